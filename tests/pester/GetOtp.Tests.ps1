[Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSAvoidUsingConvertToSecureStringWithPlainText', '',
    Justification = 'Sandbox test keys and deliberately wrong keys: they unlock nothing anywhere.')]
param()

#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# GetOTP in a real pwsh against the sandbox: Get-OtpSender (paging, -Status, CSV round trip), and Send-OtpCode /
# Confirm-OtpCode by each channel, the way the help's examples use them.

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
        { Get-OtpHistory -Provider GetOtp -ApiKey $key } | Should -Throw '*Get-OtpHistory is available for OtpBlue providers*'
    }
}

Describe 'Send-OtpCode and Confirm-OtpCode with GetOTP' {
    BeforeAll {
        $script:template = '6d16aa9d-bf19-4141-8169-48b46d972fc6'
    }

    It 'sends by each channel, one receipt each with its channel and expiry' {
        $receipts = @(
            Send-OtpCode -Provider GetOtp -ApiKey $key -To '+60 12 345 6789' -Code 482913 -Channel sms -Sender GetOTP -TemplateId $template
            Send-OtpCode -Provider GetOtp -ApiKey $key -To '+60 12 345 6789' -CodeLength 6 -Channel viber -Sender GetOTP -TemplateId $template -NumberFormatting false
            Send-OtpCode -Provider GetOtp -ApiKey $key -To '+60 12 345 6789' -Code 4821 -Channel voice -VoiceType tts -Language MS
            Send-OtpCode -Provider GetOtp -ApiKey $key -To '+60 12 345 6789' -CodeLength 4 -Channel voice -VoiceType flash -RingingDuration 6
            Send-OtpCode -Provider GetOtp -ApiKey $key -To '+60 12 345 6789' -CodeLength 6 -Channel telegram -TimeToLive 600 -Payload @{ source = 'pester' }
        )
        $receipts.Success | Should -Be @($true, $true, $true, $true, $true)
        $receipts.Channel | Should -Be @('sms', 'viber', 'voice', 'voice', 'telegram')
        $receipts.Destination | Sort-Object -Unique | Should -Be '+60123456789'
        $receipts | ForEach-Object { [datetime]$_.ExpiresAtUtc | Should -BeGreaterThan ([datetime]$_.CreatedAtUtc).AddSeconds(-1) }
    }

    It 'confirms the code it generated from a piped receipt, and a wrong one is false' {
        $receipt = Send-OtpCode -Provider GetOtp -ApiKey $key -To '+60 12 345 6788' -CodeLength 6 -Channel telegram
        $typed = Invoke-RestMethod "$env:OTPTOOLS_GETOTP_BASEURI/_sandbox/codes/$($receipt.MessageId)"
        ($receipt | Confirm-OtpCode -Code $typed -ApiKey $key).Verified | Should -BeTrue
        $wrong = '{0:D6}' -f ((([int]$typed) + 1) % 1000000)
        $result = $receipt | Confirm-OtpCode -Code $wrong -ApiKey $key
        $result.Verified | Should -BeFalse
        $result.Reason | Should -Match 'no send of this code'
    }

    It 'refuses a code voice cannot carry before any call, naming the limit' {
        { Send-OtpCode -Provider GetOtp -ApiKey $key -To '+60 12 345 6789' -Code 1234567 -Channel voice -VoiceType tts -ErrorAction Stop } |
            Should -Throw '*4 to 6 digits*'
    }
}
