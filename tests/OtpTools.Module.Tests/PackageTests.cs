using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Threading.Tasks;
using System.Xml.Linq;
using OtpTools.Sandbox;
using Xunit;

namespace OtpTools.Module.Tests
{
    /// <summary>
    /// Runs the packaging step as a machine without pwsh would (<c>dotnet build src/OtpTools -t:PackModule</c>, which
    /// build.ps1 -Task Package also runs), once for the test class. The test build already built out/OtpTools, and this
    /// process has it loaded, so the step packages that folder without rebuilding it (PackModuleSkipBuild).
    /// </summary>
    public sealed class PackageBuild
    {
        public string Version { get; }
        public string Folder { get; }
        public string Manifest => Path.Combine(Folder, "OtpTools.psd1");
        public string Nupkg { get; }
        public string Log { get; }

        public PackageBuild()
        {
            var props = XDocument.Load(Path.Combine(Paths.RepoRoot, "Directory.Build.props"));
            Version = props.Descendants("Version").Single().Value;
            Folder = Path.Combine(Paths.RepoRoot, "out", "package", "OtpTools", Version);
            Nupkg = Path.Combine(Paths.RepoRoot, "out", "package", $"OtpTools.{Version}.nupkg");

            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Paths.RepoRoot };
            foreach (var arg in new[] { "build", Path.Combine(Paths.RepoRoot, "src", "OtpTools", "OtpTools.csproj"), "-t:PackModule",
                         "-c", Paths.Configuration, "-p:PackModuleSkipBuild=true", "-nodeReuse:false", "-p:UseSharedCompilation=false" })
                start.ArgumentList.Add(arg);
            // No build server may outlive the step holding our output pipes open.
            start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
            start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            Log = process.StandardOutput.ReadToEnd() + stderr.Result;
            Assert.True(process.WaitForExit(300_000), "the packaging step did not finish");
            Assert.True(process.ExitCode == 0, "dotnet build -t:PackModule failed:\n" + Log);
        }
    }

    [Collection(ModuleCollection.Name)]
    public sealed class PackageTests : IClassFixture<PackageBuild>
    {
        private static readonly string[] Exported =
        {
            "Confirm-OtpCode", "Get-OtpBalance", "Get-OtpDeliveryStatus", "Get-OtpHistory", "Get-OtpProvider", "Get-OtpRegion", "Get-OtpSender", "Import-OtpJournal",
            "Receive-OtpDeliveryReport", "Register-OtpProvider", "Send-OtpCode",
            "Set-OtpProvider", "Unregister-OtpProvider",
        };
        private readonly ModuleFixture _m;
        private readonly PackageBuild _p;

        public PackageTests(ModuleFixture fixture, PackageBuild package)
        {
            _m = fixture;
            _p = package;
        }

        /// <summary>Runs script in a fresh runspace that imported the packaged manifest, never out/OtpTools.</summary>
        private ScriptRun RunPackaged(string script, Dictionary<string, object?>? variables = null)
        {
            variables ??= new Dictionary<string, object?>();
            variables["packaged"] = _p.Manifest;
            return _m.Run("Import-Module $packaged -ErrorAction Stop\n" + script, variables, import: false);
        }

        [Fact]
        public void Package_folder_is_named_by_version_and_holds_the_module_files_license_and_help()
        {
            Assert.True(Directory.Exists(_p.Folder), _p.Folder);
            foreach (var file in new[] { "OtpTools.psd1", "OtpTools.dll", "OtpTools.Models.dll", "OtpTools.format.ps1xml", "LICENSE",
                         Path.Combine("en-US", "OtpTools.dll-Help.xml"), Path.Combine("en-US", "about_OtpTools.help.txt"),
                         Path.Combine("dependencies", "OtpTools.Engine.dll") })
                Assert.True(File.Exists(Path.Combine(_p.Folder, file)), $"{file} is missing from {_p.Folder}");
            Assert.Contains("MIT License", File.ReadAllText(Path.Combine(_p.Folder, "LICENSE")));
            // Every file of the build's module folder is packaged, byte for byte (the manifest apart, which is stamped).
            foreach (var built in Directory.EnumerateFiles(Paths.ModuleFolder, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(Paths.ModuleFolder, built);
                var packaged = Path.Combine(_p.Folder, relative);
                Assert.True(File.Exists(packaged), $"{relative} is not packaged");
                if (relative != "OtpTools.psd1") Assert.Equal(File.ReadAllBytes(built), File.ReadAllBytes(packaged));
            }
        }

        [Fact]
        public void Packaged_manifest_passes_Test_ModuleManifest_with_the_build_version_and_gallery_metadata()
        {
            var run = _m.Run(@"$m = Test-ModuleManifest -Path $path
                $m.Version.ToString(); $m.Tags -join ' '; [string]$m.ProjectUri; [string]$m.LicenseUri; $m.ReleaseNotes
                $m.CompatiblePSEditions -join ','; $m.ExportedCmdlets.Keys -join ','",
                new Dictionary<string, object?> { ["path"] = _p.Manifest }, import: false);
            Assert.Empty(run.Errors);
            Assert.Null(run.Terminating);
            var values = run.Output.Select(o => o?.BaseObject?.ToString() ?? "").ToList();
            Assert.Equal(_p.Version, values[0]);
            Assert.Equal(_p.Version, new DirectoryInfo(_p.Folder).Name);
            var tags = values[1].Split(' ');
            Assert.Contains("PSEdition_Desktop", tags);
            Assert.Contains("PSEdition_Core", tags);
            Assert.StartsWith("https://", values[2]);
            Assert.StartsWith("https://", values[3]);
            Assert.False(string.IsNullOrWhiteSpace(values[4]));
            Assert.Equal("Desktop,Core", values[5]);
            Assert.Equal(Exported, values[6].Split(',').OrderBy(n => n));
        }

        [Fact]
        public void Imported_package_lists_the_cmdlets_from_the_package_folder_with_help()
        {
            var run = RunPackaged(@"(Get-Module OtpTools).ModuleBase
                (Get-Command -Module OtpTools).Name -join ','
                (Get-Help Send-OtpCode).Synopsis");
            Assert.Empty(run.Errors);
            Assert.Null(run.Terminating);
            Assert.Equal(Path.GetFullPath(_p.Folder).TrimEnd(Path.DirectorySeparatorChar),
                Path.GetFullPath((string)run.Output[0].BaseObject).TrimEnd(Path.DirectorySeparatorChar));
            Assert.Equal(Exported, ((string)run.Output[1].BaseObject).Split(',').OrderBy(n => n, StringComparer.Ordinal));
            var synopsis = (string)run.Output[2].BaseObject;
            Assert.False(string.IsNullOrWhiteSpace(synopsis));
            Assert.DoesNotContain("Send-OtpCode [", synopsis); // a synopsis from the help file, not the generated syntax
        }

        [Fact]
        public void Imported_package_sends_through_the_sandbox()
        {
            var before = _m.Sandbox.OtpBlue.Deliveries.Count;
            var run = RunPackaged("Send-OtpCode -Provider OtpBlue -To +61412345678 -Code 246810 -ApiKey $key",
                ModuleFixture.OtpBlueKey());
            Assert.Empty(run.Errors);
            Assert.Null(run.Terminating);
            var result = Assert.Single(run.Output);
            Assert.Equal(true, result.Properties["Success"].Value);
            Assert.False(string.IsNullOrEmpty((string?)result.Properties["MessageId"].Value));
            Assert.Equal(before + 1, _m.Sandbox.OtpBlue.Deliveries.Count);
        }

        [Fact]
        public async Task Packaged_module_imports_and_sends_in_a_fresh_process()
        {
            var probe = Path.Combine(Paths.RepoRoot, "tests", "OtpTools.IsolationProbe", "bin", Paths.Configuration, "net10.0", "OtpTools.IsolationProbe.dll");
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { probe, _p.Manifest, _m.Sandbox.UriFor("otpblue"), SandboxKeys.OtpBlue, "+61412345678" })
                start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd() + await stderr;
            Assert.True(process.WaitForExit(120_000));
            Assert.Contains("result Success=True", output);
            Assert.DoesNotContain("error ", output);
            Assert.Contains("in OtpTools.OtpToolsLoadContext", output);
        }

        [Fact]
        public void Nupkg_is_a_zip_with_the_nuspec_manifest_and_dlls_at_its_root()
        {
            Assert.True(File.Exists(_p.Nupkg), _p.Nupkg);
            using var zip = ZipFile.OpenRead(_p.Nupkg);
            var names = zip.Entries.Select(e => e.FullName.Replace('\\', '/')).ToHashSet();
            foreach (var name in new[] { "OtpTools.nuspec", "OtpTools.psd1", "OtpTools.dll", "OtpTools.Models.dll", "OtpTools.format.ps1xml",
                         "LICENSE", "en-US/OtpTools.dll-Help.xml", "dependencies/OtpTools.Engine.dll", "[Content_Types].xml", "_rels/.rels" })
                Assert.Contains(name, names);
            // Exactly the package folder's files, plus the NuGet parts.
            var folderFiles = Directory.EnumerateFiles(_p.Folder, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(_p.Folder, f).Replace('\\', '/'));
            Assert.Equal(folderFiles.Concat(new[] { "OtpTools.nuspec", "[Content_Types].xml", "_rels/.rels" }).OrderBy(n => n, StringComparer.Ordinal),
                names.OrderBy(n => n, StringComparer.Ordinal));
            using (var reader = new StreamReader(zip.GetEntry("OtpTools.psd1")!.Open()))
                Assert.Equal(File.ReadAllText(_p.Manifest), reader.ReadToEnd());

            // NuGet's package format (OPC): every part has a content type, by extension or by name.
            XDocument types;
            using (var stream = zip.GetEntry("[Content_Types].xml")!.Open()) types = XDocument.Load(stream);
            var extensions = types.Root!.Elements().Where(e => e.Name.LocalName == "Default")
                .Select(e => (string)e.Attribute("Extension")!).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var overrides = types.Root!.Elements().Where(e => e.Name.LocalName == "Override")
                .Select(e => ((string)e.Attribute("PartName")!).TrimStart('/')).ToHashSet();
            foreach (var name in names.Where(n => n != "[Content_Types].xml"))
                Assert.True(extensions.Contains(Path.GetExtension(name).TrimStart('.')) || overrides.Contains(name),
                    $"{name} has no content type in [Content_Types].xml");
        }

        [Fact]
        public void Nuspec_carries_id_version_metadata_and_the_PowerShellGet_tags()
        {
            using var zip = ZipFile.OpenRead(_p.Nupkg);
            XDocument nuspec;
            using (var stream = zip.GetEntry("OtpTools.nuspec")!.Open()) nuspec = XDocument.Load(stream);
            string Field(string name) => nuspec.Descendants().Single(e => e.Name.LocalName == name).Value;

            Assert.Equal("OtpTools", Field("id"));
            Assert.Equal(_p.Version, Field("version"));
            Assert.False(string.IsNullOrWhiteSpace(Field("authors")));
            Assert.StartsWith("https://", Field("projectUrl"));
            Assert.StartsWith("https://", Field("licenseUrl"));
            Assert.False(string.IsNullOrWhiteSpace(Field("releaseNotes")));

            var run = _m.Run("$m = Test-ModuleManifest -Path $path; $m.Description; $m.Author; $m.ReleaseNotes",
                new Dictionary<string, object?> { ["path"] = _p.Manifest }, import: false);
            Assert.Equal((string)run.Output[0].BaseObject, Field("description"));
            Assert.Equal((string)run.Output[1].BaseObject, Field("authors"));
            Assert.Equal((string)run.Output[2].BaseObject, Field("releaseNotes"));

            var tags = Field("tags").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (var tag in new[] { "PSModule", "PSIncludes_Cmdlet", "PSEdition_Desktop", "PSEdition_Core" })
                Assert.Contains(tag, tags);
            foreach (var cmdlet in Exported)
            {
                Assert.Contains("PSCmdlet_" + cmdlet, tags);
                Assert.Contains("PSCommand_" + cmdlet, tags);
            }
        }
    }
}
