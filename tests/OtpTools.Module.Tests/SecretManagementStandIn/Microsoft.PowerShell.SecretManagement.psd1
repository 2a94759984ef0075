# TEST STAND-IN, not the real module. See the .psm1 for what it imitates.
@{
    RootModule        = 'Microsoft.PowerShell.SecretManagement.psm1'
    ModuleVersion     = '1.1.2'
    GUID              = 'a5c858f6-4a8e-41f1-b1ee-0ff8f6ad69d3'
    Description       = 'OtpTools test stand-in for Microsoft.PowerShell.SecretManagement (in-memory vaults).'
    FunctionsToExport = @('Register-SecretVault', 'Unlock-SecretVault', 'Get-Secret', 'Set-Secret', 'Remove-Secret')
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
