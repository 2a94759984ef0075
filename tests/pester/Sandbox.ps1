# Shared by the tests/pester/*.Tests.ps1 files (dot-source it in BeforeAll) and by build.ps1 -Task Demo. Starts the
# sandbox on a free loopback port, points every provider type at it through OTPTOOLS_<TYPE>_BASEURI, keeps
# registrations in a file of its own and imports the built module. Not a test file itself (Pester runs only
# *.Tests.ps1).
[Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSAvoidUsingConvertToSecureStringWithPlainText', '',
    Justification = 'The sandbox test keys are published in its source and unlock nothing elsewhere.')]
param()

$SandboxRepoRoot = (Resolve-Path "$PSScriptRoot/../..").Path

# The sandbox's test keys, as the sandbox prints them when it starts (Start-OtpSandbox fills this): OTPTOOLS_OTPBLUE_APIKEY
# is $SandboxKeys.OtpBlue, OTPTOOLS_ENGAGELAB_DEVKEY $SandboxKeys.EngageLabDevKey (hashtable keys ignore case). They
# unlock nothing anywhere else.
$SandboxKeys = @{}

function Start-OtpSandbox {
    <#
    Starts the sandbox (built by `dotnet build`), checks that the sandbox answering is the process it started, sets the
    environment, imports the module. Returns the sandbox: Uri (its base address) and Process (for Stop-OtpSandbox).
    #>
    param([int] $LatencyMilliseconds = 0, [string[]] $ExtraArguments = @())
    $configuration = if ($env:OTPTOOLS_TEST_CONFIGURATION) { $env:OTPTOOLS_TEST_CONFIGURATION } else { 'Debug' }
    $dll = Join-Path $SandboxRepoRoot "src/OtpTools.Sandbox/bin/$configuration/net10.0/OtpTools.Sandbox.dll"
    if (-not (Test-Path $dll)) { throw "The sandbox is not built at $($dll): run 'dotnet build' (or ./build.ps1) first." }
    $log = [IO.Path]::GetTempFileName()
    $errorLog = [IO.Path]::GetTempFileName()
    # Port 0: the sandbox picks a free port and prints the address it listens on. `dotnet <dll>` is the sandbox
    # process itself (no `dotnet run` parent), so stopping it stops the sandbox.
    $process = Start-Process dotnet -ArgumentList (@("`"$dll`"", '--port', '0', '--latency', $LatencyMilliseconds) + $ExtraArguments) -PassThru -NoNewWindow -RedirectStandardOutput $log -RedirectStandardError $errorLog
    # Whatever fails from here on, the process just started does not outlive this call.
    try {
        $deadline = [datetime]::UtcNow.AddSeconds(30)
        $uri = $null
        while (-not $uri) {
            # Its last line says every other line is out: the address, then each provider's variables.
            $printedAll = Get-Content $log -ErrorAction SilentlyContinue | Select-String 'Press Ctrl\+C to stop' -Quiet
            $line = if ($printedAll) { Get-Content $log | Select-String 'listening on (\S+)' | Select-Object -First 1 }
            if ($line) { $uri = $line.Matches[0].Groups[1].Value.TrimEnd('/') }
            elseif ($process.HasExited) { throw "The sandbox exited: $(Get-Content $log, $errorLog -Raw)" }
            elseif ([datetime]::UtcNow -gt $deadline) { throw "The sandbox did not start: $(Get-Content $log, $errorLog -Raw)" }
            else { Start-Sleep -Milliseconds 200 }
        }
        $answering = Invoke-RestMethod "$uri/_sandbox/pid" -TimeoutSec 10
        if ("$answering" -ne "$($process.Id)") {
            throw "The sandbox at $uri is process $answering, not the one just started ($($process.Id))."
        }
        # Every provider the sandbox serves, as it prints them: base URIs into the environment, keys into $SandboxKeys.
        $baseUriVariables = @()
        foreach ($printed in Get-Content $log | Select-String "^\s+\`$env:(OTPTOOLS_([A-Z0-9]+)_([A-Z0-9]+))\s*=\s*'([^']*)'") {
            $name, $type, $what, $value = $printed.Matches[0].Groups[1..4].Value
            if ($what -eq 'BASEURI') {
                Set-Item "Env:$name" $value
                $baseUriVariables += $name
            }
            else {
                $SandboxKeys[$(if ($what -eq 'APIKEY') { $type } else { "$type$what" })] = $value
            }
        }
        if ($baseUriVariables.Count -eq 0) { throw "The sandbox printed no base URI: $(Get-Content $log -Raw)" }
        # No test reads or writes the user's real registrations file.
        $testDrive = Get-Variable TestDrive -ValueOnly -ErrorAction SilentlyContinue
        $configFolder = if ($testDrive) { $testDrive } else { Join-Path ([IO.Path]::GetTempPath()) ("otptools-pester-" + [guid]::NewGuid().ToString('N')) }
        $previousConfigPath = $env:OTPTOOLS_CONFIG_PATH
        $env:OTPTOOLS_CONFIG_PATH = Join-Path $configFolder 'providers.json'
        Import-Module (Join-Path $SandboxRepoRoot 'out/OtpTools/OtpTools.psd1') -Force -ErrorAction Stop
    }
    catch {
        Stop-Process -Id $process.Id -ErrorAction SilentlyContinue
        throw
    }
    [pscustomobject]@{ Uri = $uri; Process = $process; PreviousConfigPath = $previousConfigPath; BaseUriVariables = $baseUriVariables }
}

function Stop-OtpSandbox {
    param($Sandbox)
    if ($Sandbox) {
        Stop-Process -Id $Sandbox.Process.Id -ErrorAction SilentlyContinue
        $null = $Sandbox.Process.WaitForExit(10000)
    }
    if ($Sandbox) { foreach ($name in $Sandbox.BaseUriVariables) { Remove-Item "Env:$name" -ErrorAction SilentlyContinue } }
    # The config path the caller had (the suite's own, private one) comes back.
    $env:OTPTOOLS_CONFIG_PATH = if ($Sandbox) { $Sandbox.PreviousConfigPath } else { $null }
    Remove-Module OtpTools -ErrorAction SilentlyContinue
}

function New-SandboxKey([string] $Name) { ConvertTo-SecureString $SandboxKeys[$Name] -AsPlainText -Force }

function New-EngageLabCredential {
    [pscredential]::new($SandboxKeys.EngageLabDevKey, (ConvertTo-SecureString $SandboxKeys.EngageLabDevSecret -AsPlainText -Force))
}

function Assert-CsvRoundTrip {
    <#
    Exports objects of one OtpTools output type with Export-Csv, reads them back with Import-Csv and checks: one row
    per object, a column for every public property, no array property and no "System.String[]"-like cell, and every scalar value readable back
    as its own type (numbers, booleans, UTC dates, text). Returns the imported rows.
    #>
    param(
        [Parameter(Mandatory)] [object[]] $InputObject,
        [Parameter(Mandatory)] [type] $Type,
        [Parameter(Mandatory)] [string] $Path
    )
    $InputObject.Count | Should -BeGreaterThan 0
    foreach ($object in $InputObject) { $object | Should -BeOfType $Type }
    $InputObject | Export-Csv -Path $Path -NoTypeInformation
    $rows = @(Import-Csv -Path $Path)
    $rows.Count | Should -Be $InputObject.Count

    $properties = $Type.GetProperties()
    $columns = $rows[0].PSObject.Properties.Name
    foreach ($property in $properties) { $columns | Should -Contain $property.Name }

    for ($i = 0; $i -lt $rows.Count; $i++) {
        $row = $rows[$i]
        $original = $InputObject[$i]
        foreach ($property in $properties) {
            $cell = $row.($property.Name)
            $cell | Should -Not -Match '^System\.[\w.`]+\[\]$' -Because "$($Type.Name).$($property.Name) must export as text, not as a type name"
            $value = $original.($property.Name)
            $propertyType = [Nullable]::GetUnderlyingType($property.PropertyType)
            if (-not $propertyType) { $propertyType = $property.PropertyType }
            $propertyType.IsArray | Should -BeFalse -Because "$($Type.Name).$($property.Name) is a list, which Export-Csv cannot write (give a joined string property instead)"
            if ($null -eq $value) { $cell | Should -BeNullOrEmpty -Because "$($property.Name) is empty"; continue }
            $cell | Should -Not -BeNullOrEmpty -Because "$($Type.Name).$($property.Name) has a value"
            switch ($propertyType) {
                ([bool]) { [bool]::Parse($cell) | Should -Be $value }
                ([int]) { [int]::Parse($cell, [cultureinfo]::InvariantCulture) | Should -Be $value }
                ([decimal]) { ConvertFrom-CsvNumber $cell | Should -Be $value }
                ([datetimeoffset]) {
                    $back = ConvertFrom-CsvDate $cell
                    [math]::Abs(($back - $value).TotalSeconds) | Should -BeLessThan 1
                }
                default { $cell | Should -BeExactly ([string]$value) }
            }
        }
    }
    $rows
}

function ConvertFrom-CsvNumber([string] $Text) {
    $number = [decimal]0
    foreach ($culture in [cultureinfo]::InvariantCulture, [cultureinfo]::CurrentCulture) {
        if ([decimal]::TryParse($Text, [Globalization.NumberStyles]::Number, $culture, [ref]$number)) { return $number }
    }
    throw "'$Text' is not a number"
}

function ConvertFrom-CsvDate([string] $Text) {
    $date = [datetimeoffset]::MinValue
    foreach ($culture in [cultureinfo]::CurrentCulture, [cultureinfo]::InvariantCulture) {
        if ([datetimeoffset]::TryParse($Text, $culture, [Globalization.DateTimeStyles]::AssumeUniversal, [ref]$date)) { return $date }
    }
    throw "'$Text' is not a date"
}
