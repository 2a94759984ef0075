<#
.SYNOPSIS
    Bulk-send benchmark in real pwsh: Send-OtpCode -ThrottleLimit 16 against what a sysadmin writes instead.
.DESCRIPTION
    Measured side by side in one run against the loopback sandbox, at 0 and 50 ms latency: Send-OtpCode (plain, with
    $ErrorActionPreference = 'Stop', with a journal), ForEach-Object -Parallel -ThrottleLimit 16 { Invoke-RestMethod },
    and a plain Invoke-RestMethod loop. Targets at 50 ms: wall time <= 1.10 x N*L/C for every concurrent variant, and
    the journal costs <= 10 %. Writes bench/RESULTS-bulk.md.
.EXAMPLE
    dotnet build OtpTools.sln -c Release; dotnet tool restore; dotnet pwsh -NoProfile -File bench/bulk-send.ps1 -Configuration Release
#>
[Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSAvoidUsingConvertToSecureStringWithPlainText', '',
    Justification = 'The sandbox test key unlocks nothing elsewhere.')]
[CmdletBinding()]
param(
    [int] $Rows = 2000,
    [int] $ThrottleLimit = 16,
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    [string] $ResultPath = (Join-Path $PSScriptRoot 'RESULTS-bulk.md')
)

$ErrorActionPreference = 'Stop'
$root = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
. (Join-Path $root 'tests/pester/Sandbox.ps1')
$env:OTPTOOLS_TEST_CONFIGURATION = $Configuration
$scratch = Join-Path ([IO.Path]::GetTempPath()) ('otptools-bench-' + [guid]::NewGuid().ToString('N'))
$null = New-Item -ItemType Directory -Path $scratch

function Get-Numbers([int] $Count, [int] $Offset) {
    # Distinct Australian mobile numbers, so no row is throttled or refused as a repeat.
    foreach ($i in 0..($Count - 1)) { [pscustomobject]@{ Phone = '+614' + (20000000 + $Offset + $i).ToString('D8'); Otp = '4821' } }
}

function Measure-Variant([string] $Name, [scriptblock] $Body) {
    [GC]::Collect()
    $clock = [Diagnostics.Stopwatch]::StartNew()
    & $Body
    $clock.Stop()
    [pscustomobject]@{ Variant = $Name; Seconds = $clock.Elapsed.TotalSeconds }
}

$results = foreach ($latency in 0, 50) {
    $sandbox = Start-OtpSandbox -LatencyMilliseconds $latency
    try {
        $key = ConvertTo-SecureString $SandboxKeys.OtpBlue -AsPlainText -Force
        $plainKey = $SandboxKeys.OtpBlue
        $uri = "$($sandbox.Uri)/otpblue/imsg/api/v1.1/otp/send/"
        $offset = $latency * 100000
        # Warm-up: JIT and connections for every variant.
        $null = Get-Numbers 20 ($offset + 90000) | Send-OtpCode -Provider OtpBlue -ApiKey $key -ThrottleLimit $ThrottleLimit
        $null = Invoke-RestMethod -Method Post -Uri $uri -Headers @{ Authorization = $plainKey } -ContentType 'application/json' -Body '{"contact":"+61420099999","code":"1"}'

        $variants = @(
            Measure-Variant 'Send-OtpCode -ThrottleLimit 16' {
                $null = Get-Numbers $Rows ($offset + 0) | Send-OtpCode -Provider OtpBlue -ApiKey $key -ThrottleLimit $ThrottleLimit
            }
            Measure-Variant "Send-OtpCode -ThrottleLimit 16, `$ErrorActionPreference = 'Stop'" {
                & { $ErrorActionPreference = 'Stop'; $null = Get-Numbers $Rows ($offset + 10000) | Send-OtpCode -Provider OtpBlue -ApiKey $key -ThrottleLimit $ThrottleLimit }
            }
            Measure-Variant 'Send-OtpCode -ThrottleLimit 16 -JournalPath' {
                $null = Get-Numbers $Rows ($offset + 20000) | Send-OtpCode -Provider OtpBlue -ApiKey $key -ThrottleLimit $ThrottleLimit -JournalPath (Join-Path $scratch "journal-$latency.jsonl")
            }
            Measure-Variant 'ForEach-Object -Parallel -ThrottleLimit 16 { Invoke-RestMethod }' {
                $null = Get-Numbers $Rows ($offset + 30000) | ForEach-Object -ThrottleLimit $ThrottleLimit -Parallel {
                    Invoke-RestMethod -Method Post -Uri $using:uri -Headers @{ Authorization = $using:plainKey } -ContentType 'application/json' -Body (@{ contact = $_.Phone; code = $_.Otp } | ConvertTo-Json -Compress)
                }
            }
            Measure-Variant 'Invoke-RestMethod loop (one at a time)' {
                foreach ($row in Get-Numbers ([math]::Min($Rows, 100)) ($offset + 40000)) {
                    $null = Invoke-RestMethod -Method Post -Uri $uri -Headers @{ Authorization = $plainKey } -ContentType 'application/json' -Body (@{ contact = $row.Phone; code = $row.Otp } | ConvertTo-Json -Compress)
                }
            }
        )
        foreach ($v in $variants) {
            $n = if ($v.Variant -like 'Invoke-RestMethod loop*') { [math]::Min($Rows, 100) } else { $Rows }
            $concurrency = if ($v.Variant -like 'Invoke-RestMethod loop*') { 1 } else { $ThrottleLimit }
            $ideal = $n * $latency / 1000 / $concurrency
            [pscustomobject]@{
                LatencyMs = $latency
                Variant   = $v.Variant
                Rows      = $n
                Seconds   = [math]::Round($v.Seconds, 3)
                MsPerRow  = [math]::Round($v.Seconds * 1000 / $n, 3)
                VsIdeal   = if ($ideal -gt 0) { [math]::Round($v.Seconds / $ideal, 2) } else { $null }
            }
        }
    }
    finally {
        Stop-OtpSandbox $sandbox
    }
}
Remove-Item -Recurse -Force $scratch -ErrorAction SilentlyContinue

$at50 = $results | Where-Object LatencyMs -eq 50
$plain = ($at50 | Where-Object Variant -eq 'Send-OtpCode -ThrottleLimit 16').Seconds
$journal = ($at50 | Where-Object Variant -eq 'Send-OtpCode -ThrottleLimit 16 -JournalPath').Seconds
$journalCost = [math]::Round(($journal / $plain - 1) * 100, 1)
$concurrent = $at50 | Where-Object Variant -like 'Send-OtpCode*'
$worst = ($concurrent | Measure-Object VsIdeal -Maximum).Maximum

$lines = @(
    '# Bulk-send benchmark (real pwsh)'
    ''
    'Reproduce from the repository root:'
    ''
    '```sh'
    'dotnet build OtpTools.sln -c Release && dotnet tool restore && dotnet pwsh -NoProfile -File bench/bulk-send.ps1 -Configuration Release'
    '```'
    ''
    "- Date: $([datetime]::UtcNow.ToString('yyyy-MM-dd HH:mm')) UTC; $([Environment]::ProcessorCount) cores; PowerShell $($PSVersionTable.PSVersion)"
    "- $Rows rows per concurrent variant (100 for the one-at-a-time loop), -ThrottleLimit $ThrottleLimit, loopback sandbox, one run, side by side."
    '- VsIdeal: wall time / (N x L / C), at 50 ms latency.'
    ''
    '| Latency | Variant | Rows | Seconds | ms/row | vs ideal |'
    '|---|---|---|---|---|---|'
) + @($results | ForEach-Object { "| $($_.LatencyMs) ms | $($_.Variant) | $($_.Rows) | $($_.Seconds) | $($_.MsPerRow) | $($_.VsIdeal) |" }) + @(
    ''
    "- Target: every Send-OtpCode variant at 50 ms within 1.10 x ideal: worst $worst ($(if ($worst -le 1.10) { 'met' } else { '**missed**' }))."
    "- Target: the journal costs at most 10 % at 50 ms: $journalCost % ($(if ($journalCost -le 10) { 'met' } else { '**missed**' }))."
)
$lines | Set-Content -Path $ResultPath -Encoding utf8
$lines | Write-Output
