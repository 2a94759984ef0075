#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# User-visible behaviour of the OTP Blue cmdlets (Send-OtpCode, Get-OtpHistory, Get-OtpRegion) in a real pwsh, against
# the sandbox, including what the hosted test engine cannot run (Export-Csv / Import-Csv round trips,
# Select-Object -First). Run: ./build.ps1 -Task Pester

BeforeAll {
    . "$PSScriptRoot/Sandbox.ps1"
    $script:sandbox = Start-OtpSandbox
    $script:uri = $sandbox.Uri
    $script:key = New-SandboxKey OtpBlue
}

AfterAll {
    Stop-OtpSandbox $sandbox
}

Describe 'Send-OtpCode -Provider OtpBlue' {
    It 'turns a CSV file into a receipt CSV with one row per input and every column readable back' {
        $in = Join-Path $TestDrive 'numbers.csv'
        @(
            [pscustomobject]@{ Phone = '+61412345678'; Otp = '111222' }
            [pscustomobject]@{ Phone = '+13232000150'; Otp = '333444' }
        ) | Export-Csv $in -NoTypeInformation

        $results = @(Import-Csv $in | Send-OtpCode -Provider OtpBlue -ApiKey $key -ErrorAction SilentlyContinue | Sort-Object Position)

        $receipt = Assert-CsvRoundTrip -InputObject $results -Type ([OtpTools.OtpSendResult]) -Path (Join-Path $TestDrive 'receipt.csv')
        $receipt.Count | Should -Be 2
        $receipt[0].Success | Should -Be 'True'
        $receipt[0].Position | Should -Be '1'
        $receipt[0].Recipient | Should -Be '+61412345678'
        $receipt[0].MessageId | Should -Not -BeNullOrEmpty
        $receipt[1].Success | Should -Be 'False'
        $receipt[1].ErrorId | Should -Be 'OtpBlue.NoIMessage'
        $receipt[1].ErrorCode | Should -Be '150'
        $receipt[1].Recipient | Should -Be '+13232000150'
    }

    It 'binds the CSV column names people use (<Column>)' -ForEach @(
        @{ Column = 'Contact' }, @{ Column = 'PhoneNumber' }, @{ Column = 'Mobile' }, @{ Column = 'Recipient' }
    ) {
        $row = [pscustomobject]@{ $Column = '+61412345678'; VerificationCode = '4321' }
        $result = $row | Send-OtpCode -Provider OtpBlue -ApiKey $key
        $result.Success | Should -BeTrue
        $result.Recipient | Should -Be '+61412345678'
    }

    It 'writes a failed row as a non-terminating error and still returns its receipt' {
        $result = Send-OtpCode -Provider OtpBlue -To +13232000150 -Code 1234 -ApiKey $key -ErrorVariable failures -ErrorAction SilentlyContinue
        $? | Should -BeFalse
        $result.Success | Should -BeFalse
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'OtpBlue.NoIMessage*'
    }

    It 'stops with -ErrorAction Stop' {
        { Send-OtpCode -Provider OtpBlue -To +13232000150 -Code 1234 -ApiKey $key -ErrorAction Stop } | Should -Throw
    }

    It 'rejects invalid input before sending, naming the parameter' {
        { Send-OtpCode -Provider OtpBlue -To 'not a number' -Code 1234 -ApiKey $key -ErrorAction Stop } | Should -Throw
    }

    It '-WhatIf sends nothing and says so in the receipt' {
        $receipt = Send-OtpCode -Provider OtpBlue -To +61412345678 -Code 1 -ApiKey $key -WhatIf
        $receipt.Status | Should -Be 'whatif'
        $receipt.Success | Should -BeFalse
        $receipt.MessageId | Should -BeNullOrEmpty
    }

    It 'returns typed results a script can name' {
        Send-OtpCode -Provider OtpBlue -To +61412345678 -Code 9876 -ApiKey $key | Should -BeOfType ([OtpTools.OtpSendResult])
    }
}

Describe 'Get-OtpHistory' {
    It 'exports history rows to CSV with every column readable back and UTC dates' {
        $rows = @(Get-OtpHistory -Provider OtpBlue -ApiKey $key -First 20)
        $rows.Count | Should -Be 20
        $csv = Assert-CsvRoundTrip -InputObject $rows -Type ([OtpTools.OtpHistoryEntry]) -Path (Join-Path $TestDrive 'history.csv')
        foreach ($entry in $rows) { $entry.CreateDate.Offset | Should -Be ([timespan]::Zero) }
        $csv[0].Contact | Should -Not -BeNullOrEmpty
    }

    It 'stops paging when Select-Object -First has enough' {
        (Get-OtpHistory -Provider OtpBlue -ApiKey $key | Select-Object -First 3).Count | Should -Be 3
    }

    It 'filters by -From and -To' {
        $from = [datetime]::UtcNow.Date.AddDays(-10)
        $to = [datetime]::UtcNow.Date.AddDays(-5)
        $rows = @(Get-OtpHistory -Provider OtpBlue -ApiKey $key -From $from -To $to)
        $rows.Count | Should -BeGreaterThan 0
        foreach ($row in $rows) { $row.CreateDate.UtcDateTime | Should -BeGreaterOrEqual $from }
    }

    It 'supports -Skip and -IncludeTotalCount' {
        $all = @(Get-OtpHistory -Provider OtpBlue -ApiKey $key -First 6)
        $skipped = @(Get-OtpHistory -Provider OtpBlue -ApiKey $key -Skip 3 -First 3)
        $skipped.Id | Should -Be $all[3..5].Id
        $counted = @(Get-OtpHistory -Provider OtpBlue -ApiKey $key -First 1 -IncludeTotalCount)
        $counted.Count | Should -Be 2
    }

    It 'says plainly which provider type it serves' {
        { Get-OtpHistory -Provider GetOtp -ApiKey (New-SandboxKey GetOtp) } | Should -Throw '*Get-OtpHistory is available for OtpBlue providers*'
    }
}

Describe 'Get-OtpRegion' {
    It 'lists regions as typed objects' {
        Get-OtpRegion -Provider OtpBlue -ApiKey $key | Where-Object Code -eq 'US' | Should -Not -BeNullOrEmpty
    }

    It 'exports regions to CSV with every column readable back' {
        $regions = @(Get-OtpRegion -Provider OtpBlue -ApiKey $key)
        $csv = Assert-CsvRoundTrip -InputObject $regions -Type ([OtpTools.OtpRegion]) -Path (Join-Path $TestDrive 'regions.csv')
        ($csv | Where-Object Code -eq 'US').Name | Should -Not -BeNullOrEmpty
    }
}

Describe 'The send journal' {
    It 'is read back by Import-OtpJournal as the receipt, refuses reuse without -Resume, and -Resume sends nobody a second code' {
        $journal = Join-Path $TestDrive 'run.jsonl'
        $rows = 1..5 | ForEach-Object { [pscustomobject]@{ Phone = '+6141255' + $_.ToString('D4'); Otp = '7' + $_ } }
        $rows += [pscustomobject]@{ Phone = '+13232000150'; Otp = '9' }   # no iMessage: failed, nothing delivered

        $receipt = @($rows | Send-OtpCode -Provider OtpBlue -ApiKey $key -JournalPath $journal -ErrorAction SilentlyContinue | Sort-Object Position)
        $imported = @(Import-OtpJournal $journal)
        $imported.Count | Should -Be 6
        $imported.Status | Should -Be $receipt.Status
        $imported.MessageId | Should -Be $receipt.MessageId
        Get-Content $journal -Raw | Should -Not -Match ([regex]::Escape($SandboxKeys.OtpBlue))

        { $rows | Send-OtpCode -Provider OtpBlue -ApiKey $key -JournalPath $journal -ErrorAction Stop } |
            Should -Throw -ErrorId 'Journal.AlreadyExists,OtpTools.SendOtpCodeCommand'

        $resumed = @($rows | Send-OtpCode -Provider OtpBlue -ApiKey $key -JournalPath $journal -Resume -ErrorAction SilentlyContinue | Sort-Object Position)
        $resumed.Count | Should -Be 6
        # Delivered rows come from the journal, same message ids; the failed row (nothing was delivered) is sent again.
        ($resumed | Select-Object -First 5).Resumed | Should -Be @($true, $true, $true, $true, $true)
        ($resumed | Select-Object -First 5).MessageId | Should -Be ($receipt | Select-Object -First 5).MessageId
        $resumed[5].Resumed | Should -BeFalse
        $resumed[5].ErrorId | Should -Be 'OtpBlue.NoIMessage'
    }
}
