[Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSAvoidUsingConvertToSecureStringWithPlainText', '',
    Justification = 'Sandbox test keys and deliberately wrong keys: they unlock nothing anywhere.')]
param()

#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Get-OtpSender (GetOTP) in a real pwsh against the sandbox's seeded senders: paging, -Status, CSV round trip.

BeforeAll {
    . "$PSScriptRoot/Sandbox.ps1"
    $script:sandbox = Start-OtpSandbox
    $script:uri = $sandbox.Uri
    $script:key = New-SandboxKey GetOtp
}

AfterAll {
    Stop-OtpSandbox $sandbox
}

Describe 'Get-OtpSender' {
    It 'exports senders to CSV with every column readable back and countries as a joined column' {
        $senders = @(Get-OtpSender -Provider GetOtp -ApiKey $key -First 25)
        $senders.Count | Should -Be 25
        $csv = Assert-CsvRoundTrip -InputObject $senders -Type ([OtpTools.OtpSender]) -Path (Join-Path $TestDrive 'senders.csv')
        for ($i = 0; $i -lt $csv.Count; $i++) {
            $csv[$i].CountryList | Should -Be ($senders[$i].GetCountries() -join ';')
        }
    }

    It 'streams every page and stops early with Select-Object -First' {
        $all = @(Get-OtpSender -Provider GetOtp -ApiKey $key)
        $all.Count | Should -BeGreaterThan 100
        (Get-OtpSender -Provider GetOtp -ApiKey $key | Select-Object -First 5).Count | Should -Be 5
    }

    It 'reports the total first with -IncludeTotalCount' {
        $output = @(Get-OtpSender -Provider GetOtp -ApiKey $key -First 2 -IncludeTotalCount)
        $output.Count | Should -Be 3
    }

    It 'filters by -Status' {
        $rejected = @(Get-OtpSender -Provider GetOtp -ApiKey $key -Status rejected)
        $rejected.Count | Should -BeGreaterThan 0
        $rejected.Status | Sort-Object -Unique | Should -Be 'Rejected'
    }

    It 'fails plainly with a wrong key' {
        { Get-OtpSender -Provider GetOtp -ApiKey (ConvertTo-SecureString 'not-the-key' -AsPlainText -Force) -ErrorAction Stop } | Should -Throw
    }

    It 'says plainly which provider type it serves' {
        { Get-OtpSender -Provider OtpBlue -ApiKey (New-SandboxKey OtpBlue) } | Should -Throw '*Get-OtpSender is available for GetOtp, Otpiq providers*'
        { Send-OtpCode -Provider GetOtp -To +61412345678 -Code 1234 -ApiKey $key -ErrorAction Stop } | Should -Throw '*Send-OtpCode is available for OtpBlue*'
    }
}
