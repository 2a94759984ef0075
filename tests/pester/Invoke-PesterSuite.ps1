<#
.SYNOPSIS
    Runs Pester test files in this pwsh with only the repository's modules in reach, and writes their counts.
.DESCRIPTION
    Started by the xunit suite (PesterSuiteTests) and by build.ps1 -Task Pester, each time in a pwsh with a HOME of
    its own. PowerShell puts the user's and the machine's module folders into PSModulePath at start-up; this script
    takes them out again, so an installed SecretManagement (or any other module) cannot change a result. Pester
    comes from out/tools/Pester, which the build restores from NuGet.
.EXAMPLE
    dotnet pwsh -NoProfile -File tests/pester/Invoke-PesterSuite.ps1 -Path tests/pester/OtpBlue.Tests.ps1 -ResultPath out/test-results/pester/OtpBlue.json
#>
[CmdletBinding()]
param(
    [string[]] $Path = $PSScriptRoot,
    [string] $ResultPath,
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug'
)

$ErrorActionPreference = 'Stop'
$root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$tools = Join-Path $root 'out/tools'
$env:PSModulePath = @($tools, (Join-Path $PSHOME 'Modules')) -join [IO.Path]::PathSeparator

$pesterManifest = Join-Path $tools 'Pester/Pester.psd1'
if (-not (Test-Path $pesterManifest)) { throw "Pester is not restored at $($pesterManifest): run 'dotnet build' first." }
Import-Module $pesterManifest -ErrorAction Stop

$env:OTPTOOLS_TEST_CONFIGURATION = $Configuration   # Sandbox.ps1 starts the sandbox this build produced
$config = New-PesterConfiguration
$config.Run.Path = $Path
$config.Run.Exit = $false
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$result = Invoke-Pester -Configuration $config

if ($ResultPath) {
    $null = New-Item -ItemType Directory -Force -Path (Split-Path $ResultPath -Parent)
    [ordered]@{
        Passed  = $result.PassedCount
        Failed  = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
        Skipped = $result.SkippedCount
        Failures = @($result.Failed | ForEach-Object { "$($_.ExpandedPath): $($_.ErrorRecord -join '; ')" }) +
            @($result.FailedBlocks | ForEach-Object { "$($_.ExpandedPath): $($_.ErrorRecord -join '; ')" }) +
            @($result.FailedContainers | ForEach-Object { "$($_.Item): $($_.ErrorRecord -join '; ')" })
    } | ConvertTo-Json -Depth 3 | Set-Content -Path $ResultPath -Encoding utf8
}

# Exit code: 0 only when tests ran and none failed.
if ($result.TotalCount -eq 0) { Write-Host 'Pester ran no test.'; exit 2 }
if ($result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount -gt 0) { exit 1 }
exit 0
