<#
    STAND-IN for Microsoft.PowerShell.SecretManagement, used only by the OtpTools Module tests because the real module
    cannot be installed on the build machines. The real module is a drop-in replacement: OtpTools calls only
    Get-Secret -Name -Vault and Set-Secret -Name -Vault -Secret, and this file copies their parameter names, return
    types (strings come back as SecureString unless -AsPlainText; hashtables, PSCredentials and SecureStrings as
    stored) and their error records from SecretManagement's src/code/SecretManagement.cs:
      vault not registered  terminating  GetSecretVaultNotFound  "Vault not found in registry: <vault>"
      secret not found      error        GetSecretNotFound       "The secret <name> was not found."
      vault extension fails error        GetSecretException      (a locked SecretStore says "A valid password is
                                                                  required to access the ... vault.")
    Vaults live in memory, per runspace. Stand-in-only VaultParameters: Password (the vault starts locked until
    Unlock-SecretVault gets it) and PlainText (Get-Secret returns stored strings as strings, as some non-SecretManagement
    modules exposing Get-Secret do).
#>

$script:Vaults = @{}

function Register-SecretVault {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)] [string] $Name,
        [Parameter(Position = 1)] [string] $ModuleName = 'Microsoft.PowerShell.SecretStore',
        [hashtable] $VaultParameters = @{},
        [switch] $DefaultVault
    )
    $script:Vaults[$Name] = @{
        Secrets   = @{}
        Password  = $VaultParameters.Password
        Locked    = $null -ne $VaultParameters.Password
        PlainText = [bool] $VaultParameters.PlainText
    }
}

function Unlock-SecretVault {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)] [string] $Name,
        [Parameter(Mandatory, Position = 1)] [securestring] $Password
    )
    $vault = Get-StandInVault $Name
    if ([System.Net.NetworkCredential]::new('', $Password).Password -ne $vault.Password) {
        $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
            [System.Management.Automation.PSInvalidOperationException]::new("Unable to unlock vault $Name"),
            'UnlockSecretVaultException', 'InvalidOperation', $PSCmdlet))
    }
    $vault.Locked = $false
}

function Get-Secret {
    [CmdletBinding()]
    [OutputType([object])]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)] [string] $Name,
        [Parameter(Position = 1)] [string] $Vault,
        [switch] $AsPlainText
    )
    $store = Get-StandInVault $Vault
    if ($store.Locked) {
        $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new(
            [System.Management.Automation.PSInvalidOperationException]::new(
                "A valid password is required to access the Microsoft.PowerShell.SecretStore vault.`nUse the Unlock-SecretStore cmdlet to provide the required password to access the store."),
            'GetSecretException', 'InvalidOperation', $PSCmdlet))
        return
    }
    if (-not $store.Secrets.ContainsKey($Name)) {
        $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new(
            [System.Management.Automation.ItemNotFoundException]::new("The secret $Name was not found."),
            'GetSecretNotFound', 'ObjectNotFound', $PSCmdlet))
        return
    }
    $secret = $store.Secrets[$Name]
    if ($secret -is [hashtable]) {
        $copy = @{}
        foreach ($key in $secret.Keys) { $copy[$key] = ConvertTo-ReturnedValue $secret[$key] $AsPlainText $store.PlainText }
        return $copy
    }
    ConvertTo-ReturnedValue $secret $AsPlainText $store.PlainText
}

function Set-Secret {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)] [string] $Name,
        [Parameter(Mandatory, Position = 1, ValueFromPipeline)] [object] $Secret,
        [Parameter(Position = 2)] [string] $Vault,
        [switch] $NoClobber
    )
    $store = Get-StandInVault $Vault
    if ($store.Locked) {
        $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
            [System.Management.Automation.PSInvalidOperationException]::new(
                "A valid password is required to access the Microsoft.PowerShell.SecretStore vault.`nUse the Unlock-SecretStore cmdlet to provide the required password to access the store."),
            'SetSecretException', 'InvalidOperation', $PSCmdlet))
    }
    if ($Secret -is [psobject]) { $Secret = $Secret.psobject.BaseObject }
    $store.Secrets[$Name] = $Secret
}

function Remove-Secret {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)] [string] $Name,
        [Parameter(Mandatory, Position = 1)] [string] $Vault
    )
    $null = (Get-StandInVault $Vault).Secrets.Remove($Name)
}

function Get-StandInVault {
    [CmdletBinding()]
    param([string] $Name)
    if (-not $script:Vaults.ContainsKey($Name)) {
        $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
            [System.Management.Automation.PSInvalidOperationException]::new("Vault not found in registry: $Name"),
            'GetSecretVaultNotFound', 'ObjectNotFound', $Name))
    }
    $script:Vaults[$Name]
}

# Get-Secret returns strings as SecureString unless -AsPlainText, and SecureStrings as strings with it.
function ConvertTo-ReturnedValue($value, [bool] $asPlainText, [bool] $vaultReturnsPlainText) {
    if ($value -is [string] -and -not $asPlainText -and -not $vaultReturnsPlainText) {
        return [System.Net.NetworkCredential]::new('', $value).SecurePassword
    }
    if ($value -is [securestring] -and $asPlainText) {
        return [System.Net.NetworkCredential]::new('', $value).Password
    }
    $value
}
