<#
.SYNOPSIS
    History to CSV in real pwsh: Get-OtpHistory | Export-Csv against Export-Csv over the same rows made in memory.
.DESCRIPTION
    Both sides write the same rows with the same Export-Csv in the same process, so the difference is what streaming
    the history costs on top of writing the file. Each side runs -Repeat times and its fastest run counts, so that both
    are compared once the runtime has finished optimising them. Target: within 1.2 x. The benchmark program (bench/OtpTools.Bench)
    runs this script and puts its row in bench/RESULTS.md; the last line of output is that row's figures.
.EXAMPLE
    dotnet build OtpTools.sln -c Release; dotnet tool restore; dotnet pwsh -NoProfile -File bench/history-export.ps1 -Configuration Release
#>
[CmdletBinding()]
param(
    [int] $Rows = 1000000,
    [ValidateRange(1, 10)]
    [int] $Repeat = 3,
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
    # Warm-up outside the measurement (connections, the first compilation of both paths).
    Get-OtpHistory @window -First 20000 | Export-Csv (Join-Path $folder 'warm.csv') -NoTypeInformation

    # CPU seconds this process and the sandbox spend in an arm: on a small machine they share the same cores.
    $self = [Diagnostics.Process]::GetCurrentProcess()
    function Measure-Arm([scriptblock] $Arm) {
        $self.Refresh(); $sandbox.Process.Refresh()
        $cpu = $self.TotalProcessorTime.TotalSeconds; $sandboxCpu = $sandbox.Process.TotalProcessorTime.TotalSeconds
        $clock = [Diagnostics.Stopwatch]::StartNew()
        & $Arm
        $seconds = $clock.Elapsed.TotalSeconds
        $self.Refresh(); $sandbox.Process.Refresh()
        [pscustomobject]@{
            Seconds = $seconds
            Cpu = $self.TotalProcessorTime.TotalSeconds - $cpu
            SandboxCpu = $sandbox.Process.TotalProcessorTime.TotalSeconds - $sandboxCpu
        }
    }

    # Each arm runs $Repeat times and its fastest run counts: the runtime takes a few million-row runs to finish
    # optimising the code (Export-Csv over the list: 8.6, 7.4, then 6.2 s in one process), so a first run of one arm
    # against a later run of the other would compare a cold path with a warm one.
    $memoryCsv = Join-Path $folder 'memory.csv'
    $streamCsv = Join-Path $folder 'stream.csv'
    $inMemory = [System.Collections.Generic.List[object]]::new($Rows)
    Get-OtpHistory @window -First $Rows | ForEach-Object { $inMemory.Add($_) }
    [GC]::Collect()
    $memoryRuns = foreach ($run in 1..$Repeat) { Measure-Arm { $inMemory | Export-Csv $memoryCsv -NoTypeInformation } }
    $count = $inMemory.Count
    $inMemory = $null
    [GC]::Collect()
    # The stream is measured from the first request to the last row written.
    $streamRuns = foreach ($run in 1..$Repeat) { Measure-Arm { Get-OtpHistory @window -First $Rows | Export-Csv $streamCsv -NoTypeInformation } }
    $memory = $memoryRuns | Sort-Object Seconds | Select-Object -First 1
    $stream = $streamRuns | Sort-Object Seconds | Select-Object -First 1

    $same = (Get-Item $memoryCsv).Length -eq (Get-Item $streamCsv).Length
    $ratio = [math]::Round($stream.Seconds / $memory.Seconds, 3)
    "$count rows, fastest of $Repeat runs each; Get-OtpHistory | Export-Csv $([math]::Round($stream.Seconds, 2)) s; Export-Csv of the same rows in memory $([math]::Round($memory.Seconds, 2)) s; ratio $ratio (target <= 1.2); same file size: $same"
    "all runs (s): in memory $(($memoryRuns | ForEach-Object { [math]::Round($_.Seconds, 2) }) -join ', '); streamed $(($streamRuns | ForEach-Object { [math]::Round($_.Seconds, 2) }) -join ', ')"
    $version = $PSVersionTable.PSVersion
    # String expansion formats numbers in the invariant culture.
    "stream=$($stream.Seconds) memory=$($memory.Seconds) streamFirst=$($streamRuns[0].Seconds) memoryFirst=$($memoryRuns[0].Seconds) streamCpu=$($stream.Cpu) memoryCpu=$($memory.Cpu) sandboxCpu=$($stream.SandboxCpu) sameSize=$([int]$same) pwshMajor=$($version.Major) pwshMinor=$($version.Minor) pwshPatch=$($version.Patch)"
}
finally {
    Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue
    Stop-OtpSandbox $sandbox
}
