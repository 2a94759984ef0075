[Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSAvoidUsingConvertToSecureStringWithPlainText', '',
    Justification = 'Sandbox test keys: they unlock nothing anywhere.')]
param()

#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The README's PowerShell blocks, pasted one after another into one session as a new user would, against the
# sandbox. What a person types at a prompt (Read-Host, Get-Credential) is answered with the sandbox's keys. Left out
# here, because they build, package and install the module: blocks that call dotnet or build.ps1. ReadmeInstallTests
# (xunit) runs those as written, in a copy of the repository with a HOME of its own. Changed, and said here: the listener's ten minutes become one second and its port a free one;
# the sandbox-by-hand block names this sandbox's address instead of the default port 5080; the one-line registration
# starts from no registration (it is the alternative to the three lines before it).

BeforeDiscovery {
    $readme = Get-Content (Join-Path $PSScriptRoot '../../README.md') -Raw
    $lines = @(0) + @([regex]::Matches($readme, "`n") | ForEach-Object Index)
    $script:blocks = foreach ($match in [regex]::Matches($readme, '(?ms)^```powershell\r?\n(.*?)^```')) {
        $line = @($lines | Where-Object { $_ -lt $match.Index }).Count
        [pscustomobject]@{ Line = $line; Code = $match.Groups[1].Value }
    }
}

BeforeAll {
    . "$PSScriptRoot/Sandbox.ps1"
    $script:sandbox = Start-OtpSandbox
    Import-Module (Join-Path $SandboxRepoRoot 'tests/OtpTools.Module.Tests/SecretManagementStandIn/Microsoft.PowerShell.SecretManagement.psd1') -Force
    Register-SecretVault -Name CorpVault -ModuleName Microsoft.PowerShell.SecretStore
    $script:keys = $SandboxKeys.Clone()
    $script:work = Join-Path $TestDrive 'readme'
    New-Item -ItemType Directory $work | Out-Null
    Push-Location $work
    # The first block's failover: one number with iMessage, one without (the sandbox's scenario number).
    @('Phone,Code', '+61412345601,482913', '+13232000150,551177') | Set-Content numbers.csv
    $env:OTPTOOLS_OTPBLUE_APIKEY = $keys.OtpBlue
    $env:OTPTOOLS_OTPIQ_APIKEY = $keys.Otpiq
}

AfterAll {
    Pop-Location
    Remove-Item Env:OTPTOOLS_OTPBLUE_APIKEY, Env:OTPTOOLS_OTPIQ_APIKEY -ErrorAction SilentlyContinue
    Stop-OtpSandbox $sandbox
}

Describe 'The README, pasted into one session' {
    BeforeAll {
        Mock Read-Host {
            $answer = switch -Wildcard ($Prompt) {
                'OTP Blue*' { $keys.OtpBlue }
                'GetOTP*' { $keys.GetOtp }
                'OTPIQ*' { $keys.Otpiq }
                default { 'readme-webhook-secret-1' }
            }
            ConvertTo-SecureString $answer -AsPlainText -Force
        }
        Mock Get-Credential { [pscredential]::new($keys.EngageLabDevKey, (ConvertTo-SecureString $keys.EngageLabDevSecret -AsPlainText -Force)) }
    }

    It 'runs every PowerShell block as written (but for the changes named at the top of this file)' {
        $ErrorActionPreference = 'Stop'
        $ran = 0
        foreach ($block in $blocks) {
            $code = $block.Code
            if ($code -match '(?m)^\s*dotnet |build\.ps1') { continue }
            if ($code -match 'Receive-OtpDeliveryReport') {
                $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
                $probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop()
                $code = $code -replace '-Timeout 00:10:00', '-Timeout 00:00:01' -replace 'localhost:8080', "localhost:$port"
            }
            $code = $code -replace 'http://127\.0\.0\.1:5080', $sandbox.Uri
            if ($code -match '^Register-OtpProvider -Name Prod .* -ApiKey') { Unregister-OtpProvider -Name Prod -Confirm:$false }
            try {
                $null = . ([scriptblock]::Create($code))
            }
            catch {
                throw "The README's block at line $($block.Line) failed: $_`n$code"
            }
            $ran++
        }
        $ran | Should -BeGreaterOrEqual 9
        # What the blocks wrote is what they promise: a receipt row per input row (the last bulk run's, through Prod).
        @(Import-Csv receipt.csv).Position | Should -Be @('1', '2')
        @(Import-Csv receipts.csv).Count | Should -Be 2
        (Get-OtpProvider -Name Prod).SecretName | Should -Be 'OtpTools-Prod'
    }
}
