# The suite runs in the real PowerShell the repository pins, with only the repository's modules in reach: the test
# that starts it (PesterSuiteTests) puts a SecretManagement module into the inherited module path, as a user's
# machine has, and none of it may be seen here.
Describe 'The test environment' {
    It 'is the pwsh 7.6.9 that .config/dotnet-tools.json pins' {
        $PSVersionTable.PSVersion.ToString() | Should -Be '7.6.9'
        $PSVersionTable.PSEdition | Should -Be 'Core'
    }

    It 'uses Pester 5.9.1 from the build output' {
        $pester = Get-Module Pester
        $pester.Version.ToString() | Should -Be '5.9.1'
        $pester.ModuleBase | Should -BeLike '*out?tools?Pester'
    }

    It 'sees no module of the machine, SecretManagement included' {
        Get-Module -ListAvailable Microsoft.PowerShell.SecretManagement | Should -BeNullOrEmpty
        Get-Command Get-Secret -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'has a HOME and config path of its own' {
        $env:HOME | Should -BeLike '*otptools-hermetic-*'
        $env:OTPTOOLS_CONFIG_PATH | Should -BeLike "$env:HOME*"
    }
}
