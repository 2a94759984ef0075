#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# User-visible behaviour of the OTP Blue cmdlets in a real pwsh, against the sandbox, including what the hosted test
# engine cannot run (Export-Csv / Import-Csv round trips, Select-Object -First). Run: ./build.ps1 -Task Pester

BeforeAll {
    $root = Resolve-Path "$PSScriptRoot/../.."
    $port = Get-Random -Minimum 20000 -Maximum 40000
    $script:sandbox = Start-Process dotnet -ArgumentList @('run', '--project', "$root/src/OtpTools.Sandbox", '--no-build', '--', '--port', $port) -PassThru -NoNewWindow -RedirectStandardOutput ([IO.Path]::GetTempFileName())
    $script:uri = "http://127.0.0.1:$port"
    $deadline = [datetime]::UtcNow.AddSeconds(30)
    while ($true) {
        try { $null = Invoke-WebRequest "$uri/otpblue/imsg/api/v1/otp/available-regions/" -SkipHttpErrorCheck -TimeoutSec 2; break }
        catch { if ([datetime]::UtcNow -gt $deadline) { throw "sandbox did not start" }; Start-Sleep -Milliseconds 300 }
    }
    $env:OTPTOOLS_OTPBLUE_BASEURI = "$uri/otpblue"
    $script:key = ConvertTo-SecureString 'sbx-otpblue-7f3c9a1e5d2b48c6' -AsPlainText -Force
    Import-Module "$root/out/OtpTools/OtpTools.psd1" -Force
}

AfterAll {
    Stop-Process -Id $script:sandbox.Id -ErrorAction SilentlyContinue
    Remove-Item Env:OTPTOOLS_OTPBLUE_BASEURI -ErrorAction SilentlyContinue
}

Describe 'Send-OtpCode -Provider OtpBlue' {
    It 'turns a CSV file into a receipt CSV with one row per input and every column readable back' {
        $in = Join-Path $TestDrive 'numbers.csv'
        $out = Join-Path $TestDrive 'receipt.csv'
        @(
            [pscustomobject]@{ Phone = '+61412345678'; Otp = '111222' }
            [pscustomobject]@{ Phone = '+13232000150'; Otp = '333444' }
        ) | Export-Csv $in -NoTypeInformation

        Import-Csv $in | Send-OtpCode -Provider OtpBlue -ApiKey $key -ErrorAction SilentlyContinue | Export-Csv $out -NoTypeInformation

        $receipt = Import-Csv $out
        $receipt.Count | Should -Be 2
        $receipt[0].Success | Should -Be 'True'
        $receipt[1].ErrorId | Should -Be 'OtpBlue.NoIMessage'
        $receipt[1].ErrorCode | Should -Be '150'
        $columns = $receipt[0].PSObject.Properties.Name
        foreach ($name in [OtpTools.OtpSendResult].GetProperties().Name) { $columns | Should -Contain $name }
        $receipt | ForEach-Object { $_.PSObject.Properties.Value } | Should -Not -Contain 'System.Object[]'
    }

    It '-WhatIf sends nothing' {
        Send-OtpCode -Provider OtpBlue -To +61412345678 -Code 1 -ApiKey $key -WhatIf | Should -BeNullOrEmpty
    }
}

Describe 'Get-OtpHistory and Get-OtpRegion' {
    It 'exports history rows to CSV with UTC dates readable back' {
        $out = Join-Path $TestDrive 'history.csv'
        Get-OtpHistory -Provider OtpBlue -ApiKey $key -First 20 | Export-Csv $out -NoTypeInformation
        $rows = Import-Csv $out
        $rows.Count | Should -BeGreaterThan 0
        [datetimeoffset]::Parse($rows[0].CreateDate).Offset | Should -Be ([timespan]::Zero)
    }

    It 'stops paging when Select-Object -First has enough' {
        (Get-OtpHistory -Provider OtpBlue -ApiKey $key | Select-Object -First 3).Count | Should -Be 3
    }

    It 'lists regions as typed objects' {
        Get-OtpRegion -Provider OtpBlue -ApiKey $key | Where-Object Code -eq 'US' | Should -Not -BeNullOrEmpty
    }
}
