<#
.SYNOPSIS
    Builds, tests, documents, packages and demonstrates OtpTools. Plain PowerShell; needs only the .NET SDK: run it
    with `dotnet tool restore` then `dotnet pwsh ./build.ps1` (the pinned PowerShell 7.6.9); the build restores Pester
    from NuGet. platyPS, where installed, checks the help markdown.
.EXAMPLE
    ./build.ps1                       # Build
.EXAMPLE
    ./build.ps1 -Task Test            # dotnet test: the xunit suites and the Pester suite in real pwsh
.EXAMPLE
    ./build.ps1 -Task Docs            # cmdlet help (MAML) and about_OtpTools from docs/; platyPS, where installed, validates the markdown
.EXAMPLE
    ./build.ps1 -Task Package         # a Release build packaged as out/package/OtpTools/<version>/ (for Publish-PSResource) and out/package/OtpTools.<version>.nupkg
.EXAMPLE
    ./build.ps1 -Task Demo            # start the sandbox on a free port, import the module, run demo/demo.ps1, stop the sandbox
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

function Invoke-SolutionBuild { Invoke-Dotnet build (Join-Path $root 'OtpTools.sln') -c $Configuration }

# The Pester suite in a child pwsh with a HOME of its own, through the same runner the xunit suite uses.
function Invoke-PesterSuite {
    $privateHome = Join-Path ([IO.Path]::GetTempPath()) ("otptools-hermetic-" + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Force -Path (Join-Path $privateHome '.config')
    $saved = @{}
    $isolated = @{ HOME = $privateHome; XDG_CONFIG_HOME = (Join-Path $privateHome '.config'); XDG_DATA_HOME = (Join-Path $privateHome '.local/share')
        XDG_CACHE_HOME = (Join-Path $privateHome '.cache'); OTPTOOLS_CONFIG_PATH = (Join-Path $privateHome '.config/OtpTools/providers.json')
        NUGET_PACKAGES = $(if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path $HOME '.nuget/packages' }) }
    foreach ($name in $isolated.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $isolated[$name]) }
    try {
        # This same PowerShell: `dotnet pwsh` (the .NET tool) runs as dotnet + pwsh.dll, an installed pwsh as itself.
        $self = [Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
        $pwsh = if ([IO.Path]::GetFileNameWithoutExtension($self) -eq 'dotnet') { @($self, (Join-Path $PSHOME 'pwsh.dll')) } else { @($self) }
        & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $root 'tests/pester/Invoke-PesterSuite.ps1') -Configuration $Configuration
        if ($LASTEXITCODE -ne 0) { throw "The Pester suite failed (exit code $LASTEXITCODE)" }
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        Remove-Item -Recurse -Force $privateHome -ErrorAction SilentlyContinue
    }
}

# The dotnet build writes en-US/ from docs/ with src/OtpTools.HelpBuilder, which keeps the tables and examples of
# about_OtpTools intact. platyPS (v1), where installed, only checks that the same markdown converts: its output goes to
# a scratch folder and never replaces the build's help.
function Invoke-Docs {
    Invoke-SolutionBuild
    $helpFolder = Join-Path $moduleFolder 'en-US'
    foreach ($file in 'OtpTools.dll-Help.xml', 'about_OtpTools.help.txt') {
        if (-not (Test-Path (Join-Path $helpFolder $file))) { throw "Help file $file is missing from $helpFolder" }
    }
    $platyPS = Get-Module -ListAvailable platyPS | Where-Object Version -lt '2.0' | Sort-Object Version -Descending | Select-Object -First 1
    if (-not $platyPS) {
        Write-Host "platyPS is not installed: the help the dotnet build wrote to $helpFolder is the module's help." -ForegroundColor Yellow
        return
    }
    Import-Module $platyPS
    # Only cmdlet help (front matter with "external help file"); guides such as adding-a-provider.md are not help.
    $markdown = Get-ChildItem (Join-Path $root 'docs') -Filter *.md | Where-Object { (Get-Content $_.FullName -TotalCount 6) -match '^external help file:' }
    $scratch = Join-Path ([IO.Path]::GetTempPath()) ('otptools-platyps-' + [guid]::NewGuid().ToString('N'))
    try {
        $null = New-ExternalHelp -Path $markdown.FullName -OutputPath $scratch -Force -ErrorAction Stop
        Write-Host "platyPS converts the cmdlet help markdown cleanly; $helpFolder keeps the build's help." -ForegroundColor Green
    }
    finally { Remove-Item -Recurse -Force $scratch -ErrorAction SilentlyContinue }
}

# The packaging is an MSBuild target, so machines without pwsh run the same step: dotnet build src/OtpTools -c Release -t:PackModule.
# What goes to the Gallery is always a Release build, whatever -Configuration says for the other tasks.
function Invoke-Package {
    Invoke-Dotnet build (Join-Path $root 'src/OtpTools/OtpTools.csproj') -c Release -t:PackModule
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

# The sandbox on a free port (the process answering is checked to be the one started), the module, demo/demo.ps1;
# the sandbox process itself is stopped whatever happens.
function Invoke-Demo {
    Invoke-SolutionBuild
    . (Join-Path $root 'tests/pester/Sandbox.ps1')
    $env:OTPTOOLS_TEST_CONFIGURATION = $Configuration
    $sandbox = $null
    try {
        $sandbox = Start-OtpSandbox
        & (Join-Path $root 'demo/demo.ps1') -SandboxUri $sandbox.Uri -OtpBlueKey (New-SandboxKey OtpBlue)
    }
    finally {
        Stop-OtpSandbox $sandbox
    }
}

# Any failure ends the run with exit code 1 (clear for CI whether run with -File or -Command).
try {
    foreach ($name in $Task) {
        Write-Host "== $name ==" -ForegroundColor Green
        switch ($name) {
            'Build'  { Invoke-SolutionBuild }
            'Test'   { Invoke-Dotnet test (Join-Path $root 'OtpTools.sln') -c $Configuration }
            'Pester' { Invoke-SolutionBuild; Invoke-PesterSuite }
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
