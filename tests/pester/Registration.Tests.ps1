#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Register-, Get-, Set- and Unregister-OtpProvider in a real pwsh: registrations in a TestDrive file, sends through a
# registered name with the runbook key variable, Get-OtpProvider exported to CSV.

BeforeAll {
    . "$PSScriptRoot/Sandbox.ps1"
    $script:sandbox = Start-OtpSandbox
    $script:uri = $sandbox.Uri
}

AfterAll {
    Stop-OtpSandbox $sandbox
    Remove-Item Env:OTPTOOLS_BLUESBX_APIKEY -ErrorAction SilentlyContinue
}

Describe 'Provider registrations' {
    BeforeEach {
        # A fresh registrations file per test, never the user's own.
        $env:OTPTOOLS_CONFIG_PATH = Join-Path $TestDrive "providers-$([guid]::NewGuid().ToString('N')).json"
    }

    It 'registers, lists and exports registrations with every column readable back and no secret in the file' {
        Register-OtpProvider -Name BlueSbx -Type OtpBlue -BaseUri "$uri/otpblue" -Default
        Register-OtpProvider -Name Prod -Type Otpiq -Vault CorpVault -SecretName OtpiqProd
        $registrations = @(Get-OtpProvider)
        $registrations.Count | Should -Be 2

        $csv = Assert-CsvRoundTrip -InputObject $registrations -Type ([OtpTools.OtpProviderInfo]) -Path (Join-Path $TestDrive 'providers.csv')
        $blue = $csv | Where-Object Name -eq 'BlueSbx'
        $blue.Type | Should -Be 'OtpBlue'
        $blue.IsDefault | Should -Be 'True'
        $blue.BaseUri | Should -BeLike "$uri/otpblue*"
        $prod = $csv | Where-Object Name -eq 'Prod'
        ($prod.Vault, $prod.SecretName, $prod.IsDefault) | Should -Be @('CorpVault', 'OtpiqProd', 'False')

        Test-Path $env:OTPTOOLS_CONFIG_PATH | Should -BeTrue
        Get-Content $env:OTPTOOLS_CONFIG_PATH -Raw | Should -Not -Match 'sbx-|sk_test'
    }

    It 'sends through a registered name with the key from OTPTOOLS_<NAME>_APIKEY, and through the default registration' {
        Register-OtpProvider -Name BlueSbx -Type OtpBlue -BaseUri "$uri/otpblue" -Default
        $env:OTPTOOLS_BLUESBX_APIKEY = $SandboxKeys.OtpBlue
        try {
            (Send-OtpCode -Provider BlueSbx -To +61412345678 -Code 2468).Success | Should -BeTrue
            $result = Send-OtpCode -To +61412345678 -Code 1357
            $result.Success | Should -BeTrue
            $result.Provider | Should -Be 'BlueSbx'
        }
        finally { Remove-Item Env:OTPTOOLS_BLUESBX_APIKEY }
    }

    It 'refuses a second registration of a name unless -Force' {
        Register-OtpProvider -Name Prod -Type OtpBlue
        { Register-OtpProvider -Name Prod -Type OtpBlue -ErrorAction Stop } | Should -Throw
        Register-OtpProvider -Name Prod -Type OtpBlue -BaseUri https://otp.example.com -Force
        (Get-OtpProvider -Name Prod).BaseUri | Should -BeLike 'https://otp.example.com*'
    }

    It 'rejects an unknown provider type' {
        { Register-OtpProvider -Name X -Type NoSuchType -ErrorAction Stop } | Should -Throw '*NoSuchType*'
    }

    It 'changes a registration with Set-OtpProvider and honours -WhatIf' {
        Register-OtpProvider -Name A -Type OtpBlue
        Register-OtpProvider -Name B -Type OtpBlue -Default
        Set-OtpProvider -Name A -Vault V1 -SecretName S1 -Default
        $a = Get-OtpProvider -Name A
        ($a.Vault, $a.SecretName, $a.IsDefault) | Should -Be @('V1', 'S1', $true)
        (Get-OtpProvider -Name B).IsDefault | Should -BeFalse

        $before = Get-Content $env:OTPTOOLS_CONFIG_PATH -Raw
        Set-OtpProvider -Name A -BaseUri https://x.example.com -WhatIf
        Get-Content $env:OTPTOOLS_CONFIG_PATH -Raw | Should -Be $before
        $passThru = Set-OtpProvider -Name A -BaseUri https://x.example.com -PassThru
        $passThru | Should -BeOfType ([OtpTools.OtpProviderInfo])
    }

    It 'unregisters names from the pipeline and reports unknown names' {
        'ProdA', 'ProdB', 'Keep' | ForEach-Object { Register-OtpProvider -Name $_ -Type OtpBlue }
        Unregister-OtpProvider -Name Keep -WhatIf
        Get-OtpProvider -Name Prod* | Unregister-OtpProvider
        (Get-OtpProvider).Name | Should -Be 'Keep'
        Unregister-OtpProvider -Name Gone -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'Registration.NotFound*'
    }

    It 'completes -Provider with registered names and provider types' {
        Register-OtpProvider -Name BlueSbx -Type OtpBlue
        $line = 'Send-OtpCode -Provider '
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $completions | Should -Contain 'BlueSbx'
        $completions | Should -Contain 'OtpBlue'
    }
}
