#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Send-OtpCode -Provider Otpiq in a real pwsh against the sandbox: CSV in, receipt CSV out with cost and credit.
[Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSAvoidUsingConvertToSecureStringWithPlainText', '',
    Justification = 'A webhook secret made up for this test, in this file; it protects nothing.')]
param()

BeforeAll {
    . "$PSScriptRoot/Sandbox.ps1"
    $script:sandbox = Start-OtpSandbox
    $script:uri = $sandbox.Uri
    $script:key = New-SandboxKey Otpiq
}

AfterAll {
    Stop-OtpSandbox $sandbox
}

Describe 'Send-OtpCode -Provider Otpiq' {
    It 'turns a CSV file into a receipt CSV with cost, credit and every column readable back' {
        $in = Join-Path $TestDrive 'numbers.csv'
        @(
            [pscustomobject]@{ Phone = '+964 750 123 4510'; Otp = '111222'; SenderId = '' }
            [pscustomobject]@{ Phone = '9647501234511'; Otp = '333444'; SenderId = 'Contoso' }
        ) | Export-Csv $in -NoTypeInformation

        $results = @(Import-Csv $in | Send-OtpCode -Provider Otpiq -ApiKey $key -ThrottleLimit 1 | Sort-Object Position)

        $receipt = Assert-CsvRoundTrip -InputObject $results -Type ([OtpTools.OtpSendResult]) -Path (Join-Path $TestDrive 'receipt.csv')
        $receipt.Count | Should -Be 2
        $receipt.Success | Should -Be @('True', 'True')
        $receipt.Destination | Should -Be @('+9647501234510', '+9647501234511')
        $receipt[0].Recipient | Should -Be '+964 750 123 4510'
        $receipt[0].Currency | Should -Be 'IQD'
        (ConvertFrom-CsvNumber $receipt[0].Cost) | Should -Be 200
        (ConvertFrom-CsvNumber $receipt[0].RemainingCredit) - (ConvertFrom-CsvNumber $receipt[1].RemainingCredit) | Should -Be 200
    }

    It 'yields a failed receipt row and an error for input it rejects' {
        $results = @('9647501234512', 'not-a-number' | ForEach-Object { [pscustomobject]@{ Mobile = $_; Code = '5555' } } |
            Send-OtpCode -Provider Otpiq -ApiKey $key -ThrottleLimit 1 -ErrorVariable failures -ErrorAction SilentlyContinue |
            Sort-Object Position)   # a row rejected before sending is answered first; Position joins receipts to input
        $results.Count | Should -Be 2
        $results[0].Success | Should -BeTrue
        $results[1].Success | Should -BeFalse
        $results[1].ErrorId | Should -Not -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $null = Assert-CsvRoundTrip -InputObject $results -Type ([OtpTools.OtpSendResult]) -Path (Join-Path $TestDrive 'mixed.csv')
    }

    It '-WhatIf sends nothing and says so in the receipt' {
        $receipt = Send-OtpCode -Provider Otpiq -To 9647501234513 -Code 1 -ApiKey $key -WhatIf
        $receipt.Status | Should -Be 'whatif'
        $receipt.Success | Should -BeFalse
        $receipt.MessageId | Should -BeNullOrEmpty
    }
}

Describe 'Send, then watch deliveries (Otpiq)' {
    It 'receives the delivery reports of a send as typed rows that join the receipts by MessageId in CSV' {
        $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop()
        $prefix = "http://127.0.0.1:$port/otpiq/"
        $hookSecret = 'pester-hook-secret-3141'

        # One SecureString for both ends: the send hands it to OTPIQ, the listener checks what OTPIQ sends back.
        $hook = ConvertTo-SecureString $hookSecret -AsPlainText -Force
        $receipts = @('9647501234521', '9647501234522' | Send-OtpCode -Provider Otpiq -ApiKey $key -Code 2468 -WebhookUrl $prefix `
            -WebhookSecret $hook -DeliveryReportType final)
        $reports = @(Receive-OtpDeliveryReport -Provider Otpiq -Prefix $prefix -WebhookSecret $hook -Count 2 -Timeout 00:00:30)

        $reports.Count | Should -Be 2
        $rows = Assert-CsvRoundTrip -InputObject $reports -Type ([OtpTools.OtpDeliveryReport]) -Path (Join-Path $TestDrive 'deliveries.csv')
        $rows.Status | Should -Be @('delivered', 'delivered')
        $rows.IsFinal | Should -Be @('True', 'True')
        @($rows.MessageId | Sort-Object) | Should -Be @($receipts.MessageId | Sort-Object)
    }

    It 'reads the account credit and the sender IDs' {
        $balance = Get-OtpBalance -Provider Otpiq -ApiKey $key
        $balance.Currency | Should -Be 'IQD'
        $balance.Credit | Should -BeGreaterThan 0
        $senders = @(Get-OtpSender -Provider Otpiq -ApiKey $key -Status accepted)
        $senders.Count | Should -BeGreaterThan 0
        $senders.Status | Should -Not -Contain 'pending'
    }
}
