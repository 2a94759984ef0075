@{
    RootModule           = 'EmptyModule.dll'
    ModuleVersion        = '1.0.0'
    GUID                 = '0b6f9a3e-2c1d-4e8f-9a7b-5c4d3e2f1a0b'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    CmdletsToExport      = @('Get-Nothing')
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
}
