<#
.SYNOPSIS
    OtpTools demo against the sandbox: regions, a bulk send from CSV-shaped rows, the receipt, and history.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 -Task Demo   # starts the sandbox, imports the built module, runs this script
#>
param(
    # Root URI of a running sandbox (dotnet run --project src/OtpTools.Sandbox).
    [Parameter(Mandatory)] [string] $SandboxUri,
    # The sandbox's OTP Blue test key (printed by the sandbox).
    [Parameter(Mandatory)] [securestring] $OtpBlueKey,
    # Also emit the receipt objects (the Module test that runs this script reads them).
    [switch] $PassThru
)

$env:OTPTOOLS_OTPBLUE_BASEURI = "$($SandboxUri.TrimEnd('/'))/otpblue"

'== Regions OTP Blue sends to (first five) =='
Get-OtpRegion -Provider OtpBlue -ApiKey $OtpBlueKey | Where-Object Code -in 'US', 'GB', 'AU', 'DE', 'NZ' | Out-Host

'== Bulk send: rows shaped like Import-Csv output =='
$rows = @(
    [pscustomobject]@{ Phone = '+61 412 345 678'; Otp = '482913' }
    [pscustomobject]@{ Phone = '+13232000150';    Otp = '771204' }   # a recipient without iMessage
    [pscustomobject]@{ Phone = '+8613800138000';  Otp = '009911' }   # China: OTP Blue does not send there
    [pscustomobject]@{ Phone = '+4915112345678';  Otp = '665544' }
)
$receipt = $rows | Send-OtpCode -Provider OtpBlue -ApiKey $OtpBlueKey -Sender 'Contoso' -ErrorVariable failures -ErrorAction SilentlyContinue
$receipt | Out-Host
"{0} sent, {1} failed; every row has exactly one receipt line ({2} rows in, {3} out)." -f
    @($receipt | Where-Object Success).Count, $failures.Count, $rows.Count, @($receipt).Count
foreach ($failure in $failures) { "  $($failure.FullyQualifiedErrorId.Split(',')[0]): $($failure.Exception.Message)" }

'== Today''s history (first five rows) =='
$today = [datetime]::UtcNow.Date
Get-OtpHistory -Provider OtpBlue -ApiKey $OtpBlueKey -From $today -To $today -First 5 | Out-Host

if ($PassThru) { $receipt }
