[Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSAvoidUsingConvertToSecureStringWithPlainText', '',
    Justification = 'Sandbox test keys and deliberately wrong keys: they unlock nothing anywhere.')]
param()

#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Send-OtpCode -Provider EngageLab in a real pwsh against the sandbox: phones and e-mail addresses from one CSV,
# dev_key:dev_secret as a PSCredential.

BeforeAll {
    . "$PSScriptRoot/Sandbox.ps1"
    $script:sandbox = Start-OtpSandbox
    $script:uri = $sandbox.Uri
    $script:cred = New-EngageLabCredential
}

AfterAll {
    Stop-OtpSandbox $sandbox
}

Describe 'Send-OtpCode -Provider EngageLab' {
    It 'turns a CSV of phones and e-mail addresses into a receipt CSV with the channel and every column readable back' {
        $in = Join-Path $TestDrive 'contacts.csv'
        @(
            [pscustomobject]@{ Contact = '+1 323 210 9101'; Otp = '482913'; TemplateId = 'test-template-1' }
            [pscustomobject]@{ Contact = 'pester-alice@example.com'; Otp = ''; TemplateId = 'otp-email' }
        ) | Export-Csv $in -NoTypeInformation

        $results = @(Import-Csv $in | ForEach-Object {
                # An empty Otp column means "let EngageLab generate the code".
                if (-not $_.Otp) { $_.PSObject.Properties.Remove('Otp') }
                $_
            } | Send-OtpCode -Provider EngageLab -Credential $cred -ThrottleLimit 1 | Sort-Object Position)

        $receipt = Assert-CsvRoundTrip -InputObject $results -Type ([OtpTools.OtpSendResult]) -Path (Join-Path $TestDrive 'receipt.csv')
        $receipt.Count | Should -Be 2
        $receipt.Success | Should -Be @('True', 'True')
        $receipt.Channel | Should -Be @('sms', 'email')
        $receipt.Destination | Should -Be @('+13232109101', 'pester-alice@example.com')
        $receipt[0].ProviderType | Should -Be 'EngageLab'
        $receipt[0].MessageId | Should -Not -BeNullOrEmpty
    }

    It 'fails authentication plainly with a wrong secret' {
        $wrong = [pscredential]::new($cred.UserName, (ConvertTo-SecureString 'wrong-secret' -AsPlainText -Force))
        $result = Send-OtpCode -Provider EngageLab -Credential $wrong -To +13232109110 -TemplateId test-template-1 -ErrorVariable failures -ErrorAction SilentlyContinue
        $result.Success | Should -BeFalse
        $result.ErrorId | Should -Be 'EngageLab.AuthenticationFailed'
        $failures[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
    }

    It '-WhatIf sends nothing and says so in the receipt' {
        $receipt = Send-OtpCode -Provider EngageLab -Credential $cred -To pester-bob@example.com -TemplateId otp-email -WhatIf
        $receipt.Status | Should -Be 'whatif'
        $receipt.Success | Should -BeFalse
        $receipt.MessageId | Should -BeNullOrEmpty
    }
}
