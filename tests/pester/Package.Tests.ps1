[Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSAvoidUsingConvertToSecureStringWithPlainText', '',
    Justification = 'Sandbox test keys and deliberately wrong keys: they unlock nothing anywhere.')]
param()

#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The Gallery package (build.ps1 -Task Package, i.e. dotnet build src/OtpTools -t:PackModule) as PowerShell's own
# tools see it: Test-ModuleManifest, Import-Module of the versioned folder, and where PSResourceGet is installed, a
# publish to a local repository and a Find/Save of the hand-made .nupkg.

BeforeDiscovery {
    $script:hasPSResourceGet = [bool](Get-Module -ListAvailable Microsoft.PowerShell.PSResourceGet)
}

BeforeAll {
    . "$PSScriptRoot/Sandbox.ps1"
    $script:sandbox = Start-OtpSandbox
    $version = ([xml](Get-Content (Join-Path $SandboxRepoRoot 'Directory.Build.props') -Raw)).Project.PropertyGroup.Version | Where-Object { $_ } | Select-Object -First 1
    $script:version = $version
    $configuration = if ($env:OTPTOOLS_TEST_CONFIGURATION) { $env:OTPTOOLS_TEST_CONFIGURATION } else { 'Debug' }
    & dotnet build (Join-Path $SandboxRepoRoot 'src/OtpTools/OtpTools.csproj') -c $configuration -t:PackModule -p:PackModuleSkipBuild=true -nologo -v:q | Out-Null   # this session has out/OtpTools loaded
    if ($LASTEXITCODE -ne 0) { throw "dotnet build -t:PackModule failed with exit code $LASTEXITCODE" }
    $script:packageFolder = Join-Path $SandboxRepoRoot "out/package/OtpTools/$version"
    $script:nupkg = Join-Path $SandboxRepoRoot "out/package/OtpTools.$version.nupkg"
}

AfterAll {
    Stop-OtpSandbox $sandbox
}

Describe 'The packaged module folder' {
    It 'passes Test-ModuleManifest with the build version and the Gallery metadata' {
        $manifest = Test-ModuleManifest (Join-Path $packageFolder 'OtpTools.psd1')
        $manifest.Version.ToString() | Should -Be $version
        $manifest.Tags | Should -Contain 'PSEdition_Desktop'
        $manifest.Tags | Should -Contain 'PSEdition_Core'
        $manifest.ProjectUri | Should -Not -BeNullOrEmpty
        $manifest.LicenseUri | Should -Not -BeNullOrEmpty
        $manifest.ReleaseNotes | Should -Not -BeNullOrEmpty
        Join-Path $packageFolder 'LICENSE' | Should -Exist
        Join-Path $packageFolder 'en-US/OtpTools.dll-Help.xml' | Should -Exist
    }

    It 'imports from the versioned folder and sends' {
        $job = Start-Job {
            param($Manifest, $BaseUri, $Key)
            $env:OTPTOOLS_OTPBLUE_BASEURI = $BaseUri
            Import-Module $Manifest -ErrorAction Stop
            (Get-Module OtpTools).ModuleBase
            (Send-OtpCode -Provider OtpBlue -To +61412345678 -Code 4321 -ApiKey (ConvertTo-SecureString $Key -AsPlainText -Force)).Success
        } -ArgumentList (Join-Path $packageFolder 'OtpTools.psd1'), "$($sandbox.Uri)/otpblue", $SandboxKeys.OtpBlue
        $output = $job | Wait-Job -Timeout 120 | Receive-Job
        $job | Remove-Job -Force
        (Resolve-Path $output[0]).Path | Should -Be (Resolve-Path $packageFolder).Path
        $output[1] | Should -BeTrue
    }
}

Describe 'Publishing with PSResourceGet' -Skip:(-not $hasPSResourceGet) {
    BeforeAll {
        Import-Module Microsoft.PowerShell.PSResourceGet
        $script:repoName = 'OtpToolsPester' + [guid]::NewGuid().ToString('N').Substring(0, 8)
    }

    AfterEach {
        Unregister-PSResourceRepository -Name $repoName -ErrorAction SilentlyContinue
    }

    It 'Publish-PSResource accepts the folder and the published package can be found and saved' {
        $feed = New-Item -ItemType Directory (Join-Path $TestDrive 'published')
        Register-PSResourceRepository -Name $repoName -Uri $feed.FullName -Trusted
        Publish-PSResource -Path $packageFolder -Repository $repoName -ErrorAction Stop
        (Find-PSResource -Name OtpTools -Repository $repoName).Version.ToString() | Should -Be $version
    }

    It 'reads the .nupkg the dotnet step wrote (nuspec, tags, files)' {
        $feed = New-Item -ItemType Directory (Join-Path $TestDrive 'nupkg')
        Copy-Item $nupkg $feed
        Register-PSResourceRepository -Name $repoName -Uri $feed.FullName -Trusted
        $found = Find-PSResource -Name OtpTools -Repository $repoName -ErrorAction Stop
        $found.Version.ToString() | Should -Be $version
        $found.Tags | Should -Contain 'PSEdition_Core'
        $saved = New-Item -ItemType Directory (Join-Path $TestDrive 'saved')
        Save-PSResource -Name OtpTools -Repository $repoName -Path $saved.FullName -TrustRepository -ErrorAction Stop
        Join-Path $saved.FullName "OtpTools/$version/OtpTools.psd1" | Should -Exist
        Join-Path $saved.FullName "OtpTools/$version/dependencies/OtpTools.Engine.dll" | Should -Exist
    }
}
