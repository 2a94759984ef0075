<#
.SYNOPSIS
    Builds, tests, documents, packages and demonstrates OtpTools. Plain PowerShell; needs only the .NET SDK
    (and Pester 5 / platyPS for the tasks that use them).
.EXAMPLE
    ./build.ps1                       # Build
.EXAMPLE
    ./build.ps1 -Task Test            # dotnet tests, then Pester
.EXAMPLE
    ./build.ps1 -Task Docs            # cmdlet help (MAML) and about_OtpTools from docs/, with platyPS where installed
.EXAMPLE
    ./build.ps1 -Task Package         # out/package/OtpTools/<version>/ (for Publish-PSResource) and out/package/OtpTools.<version>.nupkg
.EXAMPLE
    ./build.ps1 -Task Demo            # start the sandbox, import the module, run demo/demo.ps1
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Pester', 'Docs', 'Package', 'Demo', 'Clean')]
    [string[]] $Task = 'Build',
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$moduleFolder = Join-Path $root 'out/OtpTools'

function Invoke-Dotnet {
    param([Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    Write-Host "> dotnet $($Arguments -join ' ')" -ForegroundColor Cyan
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments[0]) failed with exit code $LASTEXITCODE" }
}

function Invoke-Build { Invoke-Dotnet build (Join-Path $root 'OtpTools.sln') -c $Configuration }

function Invoke-Pester5 {
    $pester = Get-Module -ListAvailable Pester | Where-Object Version -ge '5.0' | Sort-Object Version -Descending | Select-Object -First 1
    if (-not $pester) { throw 'Pester 5 is required: Install-Module Pester -MinimumVersion 5.0 -Scope CurrentUser' }
    Import-Module $pester
    $env:OTPTOOLS_TEST_CONFIGURATION = $Configuration   # tests/pester/Sandbox.ps1 starts the sandbox this build produced
    $config = New-PesterConfiguration
    $config.Run.Path = Join-Path $root 'tests/pester'
    $config.Run.Exit = $false
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Detailed'
    $result = Invoke-Pester -Configuration $config
    if ($result.FailedCount -gt 0) { throw "$($result.FailedCount) Pester test(s) failed" }
}

# The dotnet build already writes en-US/ from docs/ with src/OtpTools.HelpBuilder; where platyPS (v1) is installed,
# its New-ExternalHelp regenerates the same files from the same markdown.
function Invoke-Docs {
    Invoke-Build
    $helpFolder = Join-Path $moduleFolder 'en-US'
    $platyPS = Get-Module -ListAvailable platyPS | Where-Object Version -lt '2.0' | Sort-Object Version -Descending | Select-Object -First 1
    if (-not $platyPS) {
        Write-Host "platyPS is not installed (Install-Module platyPS -Scope CurrentUser): keeping the help the dotnet build wrote to $helpFolder" -ForegroundColor Yellow
    }
    else {
        Import-Module $platyPS
        # Only cmdlet help (front matter with "external help file") and about topics; guides such as adding-a-provider.md are not help.
        $markdown = Get-ChildItem (Join-Path $root 'docs') -Filter *.md | Where-Object {
            $_.Name -like 'about_*.md' -or (Get-Content $_.FullName -TotalCount 6) -match '^external help file:'
        }
        New-ExternalHelp -Path $markdown.FullName -OutputPath $helpFolder -Force -ErrorAction Stop |
            ForEach-Object { Write-Host "platyPS wrote $($_.FullName)" }
    }
    foreach ($file in 'OtpTools.dll-Help.xml', 'about_OtpTools.help.txt') {
        if (-not (Test-Path (Join-Path $helpFolder $file))) { throw "Help file $file is missing from $helpFolder" }
    }
}

# The packaging is an MSBuild target, so machines without pwsh run the same step: dotnet build src/OtpTools -t:PackModule
function Invoke-Package {
    Invoke-Dotnet build (Join-Path $root 'src/OtpTools/OtpTools.csproj') -c $Configuration -t:PackModule
    $packageRoot = Join-Path $root 'out/package'
    $manifest = Get-ChildItem (Join-Path $packageRoot 'OtpTools') -Filter OtpTools.psd1 -Recurse | Select-Object -First 1
    if (-not $manifest) { throw "No packaged manifest under $packageRoot" }
    $module = Test-ModuleManifest -Path $manifest.FullName -ErrorAction Stop
    if ($module.Version.ToString() -ne $manifest.Directory.Name) { throw "Manifest version $($module.Version) does not match its folder $($manifest.Directory.Name)" }
    foreach ($tag in 'PSEdition_Desktop', 'PSEdition_Core') {
        if ($module.Tags -notcontains $tag) { throw "The manifest's Tags lack $tag" }
    }
    foreach ($field in 'ProjectUri', 'LicenseUri', 'ReleaseNotes') {
        if (-not $module.$field) { throw "The manifest has no $field" }
    }
    $nupkg = Join-Path $packageRoot "OtpTools.$($module.Version).nupkg"
    if (-not (Test-Path $nupkg)) { throw "$nupkg is missing" }
    Write-Host "Packaged $($manifest.Directory.FullName) and $nupkg" -ForegroundColor Green
    Write-Host "Publish with: Publish-PSResource -Path '$($manifest.Directory.FullName)' -Repository PSGallery -ApiKey <key>"
}

function Invoke-Demo {
    Invoke-Build
    $port = 5080
    $sandbox = Start-Process dotnet -ArgumentList @('run', '--project', (Join-Path $root 'src/OtpTools.Sandbox'), '-c', $Configuration, '--no-build', '--', '--port', $port) -PassThru -NoNewWindow
    try {
        $uri = "http://127.0.0.1:$port"
        $deadline = [datetime]::UtcNow.AddSeconds(30)
        while ($true) {
            try { $null = Invoke-WebRequest "$uri/otpblue/imsg/api/v1/otp/available-regions/" -SkipHttpErrorCheck -TimeoutSec 2; break }
            catch { if ([datetime]::UtcNow -gt $deadline) { throw "The sandbox did not start on $uri" }; Start-Sleep -Milliseconds 300 }
        }
        Import-Module (Join-Path $moduleFolder 'OtpTools.psd1') -Force
        $key = ConvertTo-SecureString 'sbx-otpblue-7f3c9a1e5d2b48c6' -AsPlainText -Force   # the sandbox's test key
        & (Join-Path $root 'demo/demo.ps1') -SandboxUri $uri -OtpBlueKey $key
    }
    finally {
        Stop-Process -Id $sandbox.Id -ErrorAction SilentlyContinue
    }
}

# Any failure ends the run with exit code 1 (clear for CI whether run with -File or -Command).
try {
    foreach ($name in $Task) {
        Write-Host "== $name ==" -ForegroundColor Green
        switch ($name) {
            'Build'  { Invoke-Build }
            'Test'   { Invoke-Dotnet test (Join-Path $root 'OtpTools.sln') -c $Configuration; Invoke-Pester5 }
            'Pester' { Invoke-Build; Invoke-Pester5 }
            'Docs'   { Invoke-Docs }
            'Package' { Invoke-Package }
            'Demo'   { Invoke-Demo }
            'Clean'  { Invoke-Dotnet clean (Join-Path $root 'OtpTools.sln') -c $Configuration; Remove-Item -Recurse -Force (Join-Path $root 'out') -ErrorAction SilentlyContinue }
        }
    }
}
catch {
    Write-Host "build.ps1 failed: $_" -ForegroundColor Red
    exit 1
}
