<#
.SYNOPSIS
    History to CSV in real pwsh: Get-OtpHistory | Export-Csv against Export-Csv over the same rows made in memory.
.DESCRIPTION
    Both sides write the same rows with the same Export-Csv in the same process, so the difference is what streaming
    the history costs on top of writing the file. Target: within 1.2 x. The benchmark program (bench/OtpTools.Bench)
    runs this script and puts its row in bench/RESULTS.md; the last line of output is that row's figures.
.EXAMPLE
    dotnet build OtpTools.sln -c Release; dotnet tool restore; dotnet pwsh -NoProfile -File bench/history-export.ps1 -Configuration Release
#>
[CmdletBinding()]
param(
    [int] $Rows = 1000000,
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
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
    # CPU seconds this process and the sandbox spend in each arm: on a small machine they share the same cores.
    $self = [Diagnostics.Process]::GetCurrentProcess()
    function Get-CpuTime { $self.Refresh(); $sandbox.Process.Refresh(); $self.TotalProcessorTime.TotalSeconds; $sandbox.Process.TotalProcessorTime.TotalSeconds }
    $before = Get-CpuTime
    $memoryClock = [Diagnostics.Stopwatch]::StartNew()
    $inMemory | Export-Csv (Join-Path $folder 'memory.csv') -NoTypeInformation
    $memoryClock.Stop()
    $after = Get-CpuTime
    $memoryCpu = $after[0] - $before[0]
    $count = $inMemory.Count
    $inMemory = $null
    [GC]::Collect()

    $before = Get-CpuTime
    $streamClock = [Diagnostics.Stopwatch]::StartNew()
    Get-OtpHistory @window -First $Rows | Export-Csv (Join-Path $folder 'stream.csv') -NoTypeInformation
    $streamClock.Stop()
    $after = Get-CpuTime
    $streamCpu = $after[0] - $before[0]
    $sandboxCpu = $after[1] - $before[1]

    $same = (Get-Item (Join-Path $folder 'memory.csv')).Length -eq (Get-Item (Join-Path $folder 'stream.csv')).Length
    $ratio = [math]::Round($streamClock.Elapsed.TotalSeconds / $memoryClock.Elapsed.TotalSeconds, 3)
    "$count rows; Get-OtpHistory | Export-Csv $([math]::Round($streamClock.Elapsed.TotalSeconds, 2)) s; Export-Csv of the same rows in memory $([math]::Round($memoryClock.Elapsed.TotalSeconds, 2)) s; ratio $ratio (target <= 1.2); same file size: $same"
    $version = $PSVersionTable.PSVersion
    # String expansion formats numbers in the invariant culture.
    "stream=$($streamClock.Elapsed.TotalSeconds) memory=$($memoryClock.Elapsed.TotalSeconds) streamCpu=$streamCpu memoryCpu=$memoryCpu sandboxCpu=$sandboxCpu sameSize=$([int]$same) pwshMajor=$($version.Major) pwshMinor=$($version.Minor) pwshPatch=$($version.Patch)"
}
finally {
    Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue
    Stop-OtpSandbox $sandbox
}
