<#
.SYNOPSIS
    Failover benchmark in real pwsh: 10,000 rows routed OtpBlue -> Otpiq, 70 % of them without iMessage, 50 ms latency.
.DESCRIPTION
    The ideal wall time is the run's total number of requests (every row once to OTP Blue, the 70 % again to OTPIQ)
    x latency / -ThrottleLimit. Target: within 1.15 x that. Writes bench/RESULTS-failover.md.
.EXAMPLE
    dotnet build OtpTools.sln -c Release; dotnet tool restore; dotnet pwsh -NoProfile -File bench/failover.ps1 -Configuration Release
#>
[CmdletBinding()]
param(
    [int] $Rows = 10000,
    [int] $NoIMessagePercent = 70,
    [int] $LatencyMilliseconds = 50,
    [int] $ThrottleLimit = 16,
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    [string] $ResultPath = (Join-Path $PSScriptRoot 'RESULTS-failover.md')
)

$ErrorActionPreference = 'Stop'
$root = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
. (Join-Path $root 'tests/pester/Sandbox.ps1')
$env:OTPTOOLS_TEST_CONFIGURATION = $Configuration

# Numbers under +61420 have no iMessage in this sandbox; the others under +61430 do.
$sandbox = Start-OtpSandbox -LatencyMilliseconds $LatencyMilliseconds -ExtraArguments @('--no-imessage-prefix', '+61420', '--otpiq-credit', '100000000')
try {
    $env:OTPTOOLS_OTPBLUE_APIKEY = $SandboxKeys.OtpBlue
    $env:OTPTOOLS_OTPIQ_APIKEY = $SandboxKeys.Otpiq
    $without = [int]($Rows * $NoIMessagePercent / 100)
    $inputRows = foreach ($i in 0..($Rows - 1)) {
        $block = if ($i % 100 -lt $NoIMessagePercent) { '+61420' } else { '+61430' }
        [pscustomobject]@{ Phone = $block + $i.ToString('D6'); Otp = '4821' }
    }
    # Warm-up outside the measurement (JIT, connections).
    $null = 0..19 | ForEach-Object { [pscustomobject]@{ Phone = '+6143999' + $_.ToString('D4'); Otp = '1' } } | Send-OtpCode -Provider OtpBlue, Otpiq -ThrottleLimit $ThrottleLimit

    $clock = [Diagnostics.Stopwatch]::StartNew()
    $receipts = @($inputRows | Send-OtpCode -Provider OtpBlue, Otpiq -ThrottleLimit $ThrottleLimit -ErrorAction SilentlyContinue)
    $clock.Stop()

    $routed = @($receipts | Where-Object Hops -eq 2).Count
    $failed = @($receipts | Where-Object { -not $_.Success }).Count
    $requests = $Rows + $routed
    $ideal = $requests * $LatencyMilliseconds / 1000 / $ThrottleLimit
    $ratio = [math]::Round($clock.Elapsed.TotalSeconds / $ideal, 3)
    $lines = @(
        '# Failover benchmark (real pwsh)'
        ''
        'Reproduce from the repository root:'
        ''
        '```sh'
        'dotnet build OtpTools.sln -c Release && dotnet tool restore && dotnet pwsh -NoProfile -File bench/failover.ps1 -Configuration Release'
        '```'
        ''
        "- Date: $([datetime]::UtcNow.ToString('yyyy-MM-dd HH:mm')) UTC; $([Environment]::ProcessorCount) cores; PowerShell $($PSVersionTable.PSVersion)"
        "- $Rows rows, $NoIMessagePercent % without iMessage, routed OtpBlue -> Otpiq, $LatencyMilliseconds ms latency, -ThrottleLimit $ThrottleLimit, loopback sandbox."
        ''
        '| Rows | Routed to OTPIQ | Failed | Requests | Wall time | Ideal (requests x latency / throttle) | Ratio | Target |'
        '|---|---|---|---|---|---|---|---|'
        "| $Rows | $routed | $failed | $requests | $([math]::Round($clock.Elapsed.TotalSeconds, 2)) s | $([math]::Round($ideal, 2)) s | $ratio | <= 1.15 ($(if ($ratio -le 1.15 -and $failed -eq 0 -and $routed -eq $without) { 'met' } else { '**missed**' })) |"
    )
    $lines | Set-Content -Path $ResultPath -Encoding utf8
    $lines | Write-Output
}
finally {
    Stop-OtpSandbox $sandbox
}
