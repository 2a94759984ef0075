<#
.SYNOPSIS
    History to CSV in real pwsh: Get-OtpHistory | Export-Csv against Export-Csv over the same rows made in memory.
.DESCRIPTION
    Both sides write the same rows with the same Export-Csv in the same process, so the difference is what streaming
    the history costs on top of writing the file. Target: within 1.2 x. Writes bench/RESULTS-export.md.
.EXAMPLE
    dotnet build OtpTools.sln -c Release; dotnet tool restore; dotnet pwsh -NoProfile -File bench/history-export.ps1 -Configuration Release
#>
[CmdletBinding()]
param(
    [int] $Rows = 1000000,
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    [string] $ResultPath = (Join-Path $PSScriptRoot 'RESULTS-export.md')
)

$ErrorActionPreference = 'Stop'
$root = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
. (Join-Path $root 'tests/pester/Sandbox.ps1')
$env:OTPTOOLS_TEST_CONFIGURATION = $Configuration

$sandbox = Start-OtpSandbox -ExtraArguments @('--seed', $Rows)
$folder = Join-Path ([IO.Path]::GetTempPath()) ('otptools-export-' + [guid]::NewGuid().ToString('N'))
$null = New-Item -ItemType Directory -Path $folder
try {
    $env:OTPTOOLS_OTPBLUE_APIKEY = $SandboxKeys.OtpBlue
    $window = @{ Provider = 'OtpBlue'; StartDate = [datetime]::UtcNow.Date.AddDays(-29); EndDate = [datetime]::UtcNow.Date.AddDays(-1) }
    # Warm-up outside the measurement (JIT, connections, Export-Csv's own first run).
    Get-OtpHistory @window -First 20000 | Export-Csv (Join-Path $folder 'warm.csv') -NoTypeInformation

    # The rows in memory first (read once), then written; the stream is measured from the first request to the last row.
    $inMemory = [System.Collections.Generic.List[object]]::new($Rows)
    Get-OtpHistory @window -First $Rows | ForEach-Object { $inMemory.Add($_) }
    [GC]::Collect()
    $memoryClock = [Diagnostics.Stopwatch]::StartNew()
    $inMemory | Export-Csv (Join-Path $folder 'memory.csv') -NoTypeInformation
    $memoryClock.Stop()
    $count = $inMemory.Count
    $inMemory = $null
    [GC]::Collect()

    $streamClock = [Diagnostics.Stopwatch]::StartNew()
    Get-OtpHistory @window -First $Rows | Export-Csv (Join-Path $folder 'stream.csv') -NoTypeInformation
    $streamClock.Stop()

    $same = (Get-Item (Join-Path $folder 'memory.csv')).Length -eq (Get-Item (Join-Path $folder 'stream.csv')).Length
    $ratio = [math]::Round($streamClock.Elapsed.TotalSeconds / $memoryClock.Elapsed.TotalSeconds, 3)
    $lines = @(
        '# History to CSV benchmark (real pwsh)'
        ''
        'Reproduce from the repository root:'
        ''
        '```sh'
        'dotnet build OtpTools.sln -c Release && dotnet tool restore && dotnet pwsh -NoProfile -File bench/history-export.ps1 -Configuration Release'
        '```'
        ''
        "- Date: $([datetime]::UtcNow.ToString('yyyy-MM-dd HH:mm')) UTC; $([Environment]::ProcessorCount) cores; PowerShell $($PSVersionTable.PSVersion)"
        "- $count history rows from the loopback sandbox, one process, one run; the two files are the same size: $same."
        ''
        '| Rows | Get-OtpHistory | Export-Csv | Export-Csv of the same rows in memory | Ratio | Target |'
        '|---|---|---|---|---|---|'
        "| $count | streamed | $([math]::Round($streamClock.Elapsed.TotalSeconds, 2)) s | $([math]::Round($memoryClock.Elapsed.TotalSeconds, 2)) s | $ratio | <= 1.2 ($(if ($ratio -le 1.2) { 'met' } else { 'not met' })) |"
    )
    Set-Content -Path $ResultPath -Value $lines -Encoding utf8
    $lines
}
finally {
    Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue
    Stop-OtpSandbox $sandbox
}
