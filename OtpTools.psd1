@{
    RootModule             = 'OtpTools.dll'
    ModuleVersion          = '0.1.0'
    GUID                   = '6f0f5c8e-3b7a-4d0e-9a51-2c8e7b14d9a3'
    Author                 = 'OtpTools contributors'
    CompanyName            = 'OtpTools'
    Copyright              = '(c) OtpTools contributors. MIT License.'
    Description            = 'Send one-time passcodes and read OTP provider data (OTP Blue, GetOTP, OTPIQ, EngageLab) from PowerShell, with typed output, pipeline binding and SecretManagement credentials.'
    PowerShellVersion      = '5.1'
    CompatiblePSEditions   = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess       = @('OtpTools.format.ps1xml')
    CmdletsToExport        = @(
        'Send-OtpCode'
        'Import-OtpJournal'
        'Confirm-OtpCode'
        'Receive-OtpDeliveryReport'
        'Get-OtpDeliveryStatus'
        'Get-OtpBalance'
        'Get-OtpHistory'
        'Get-OtpRegion'
        'Get-OtpSender'
        'Register-OtpProvider'
        'Get-OtpProvider'
        'Set-OtpProvider'
        'Unregister-OtpProvider'
    )
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('OTP', 'SMS', 'iMessage', 'WhatsApp', 'Telegram', '2FA', 'Verification', 'OtpBlue', 'GetOTP', 'OTPIQ', 'EngageLab', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/otptools/OtpTools'
            LicenseUri   = 'https://github.com/otptools/OtpTools/blob/main/LICENSE'
            ReleaseNotes = 'First release: Send-OtpCode (OTP Blue, OTPIQ, EngageLab), Get-OtpHistory and Get-OtpRegion (OTP Blue), Get-OtpSender (GetOTP), provider registrations with SecretManagement credentials, cmdlet help, table and list views.'
        }
    }
}
