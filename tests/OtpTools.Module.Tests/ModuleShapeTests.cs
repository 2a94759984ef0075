using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Xml.Linq;
using OtpTools.Sandbox;
using OtpTools.Sandbox.Providers.OtpBlue;
using Xunit;

namespace OtpTools.Module.Tests
{
    [Collection(ModuleCollection.Name)]
    public sealed class ModuleShapeTests
    {
        private static readonly string[] Exported =
        {
            "Confirm-OtpCode", "Get-OtpBalance", "Get-OtpDeliveryStatus", "Get-OtpHistory", "Get-OtpProvider", "Get-OtpRegion", "Get-OtpSender", "Import-OtpJournal", "Receive-OtpDeliveryReport", "Register-OtpProvider", "Send-OtpCode",
            "Set-OtpProvider", "Unregister-OtpProvider",
        };
        private readonly ModuleFixture _m;
        public ModuleShapeTests(ModuleFixture fixture) => _m = fixture;

        [Fact]
        public void Manifest_passes_Test_ModuleManifest_for_both_editions()
        {
            var run = _m.Run("$m = Test-ModuleManifest -Path $path; $m.Version.ToString(); $m.CompatiblePSEditions -join ','; $m.PowerShellVersion.ToString(); $m.Guid.ToString(); $m.Tags.Count; $m.ExportedFormatFiles.Count",
                new System.Collections.Generic.Dictionary<string, object?> { ["path"] = Paths.Manifest }, import: false);
            Assert.Empty(run.Errors);
            Assert.Equal("0.1.0", run.Output[0].BaseObject);
            Assert.Equal("Desktop,Core", run.Output[1].BaseObject);
            Assert.Equal("5.1", run.Output[2].BaseObject);
            Assert.NotEqual(Guid.Empty.ToString(), run.Output[3].BaseObject);
            Assert.True((int)run.Output[4].BaseObject > 0);
            Assert.Equal(1, run.Output[5].BaseObject);
        }

        [Fact]
        public void Manifest_lists_cmdlets_explicitly_without_wildcards()
        {
            var manifest = File.ReadAllText(Path.Combine(Paths.RepoRoot, "OtpTools.psd1"));
            var block = manifest.Substring(manifest.IndexOf("CmdletsToExport", StringComparison.Ordinal));
            block = block.Substring(0, block.IndexOf(')'));
            Assert.DoesNotContain("*", block);
            foreach (var name in Exported) Assert.Contains($"'{name}'", block);
        }

        [Fact]
        public void Get_Command_lists_exactly_the_exported_cmdlets_with_approved_verbs()
        {
            var run = _m.Run("Get-Command -Module OtpTools | ForEach-Object { $_.Name + '|' + $_.CommandType + '|' + $_.Verb }");
            var commands = run.Output.Select(o => ((string)o.BaseObject).Split('|')).ToList();
            Assert.Equal(Exported, commands.Select(c => c[0]).OrderBy(n => n));
            Assert.All(commands, c => Assert.Equal("Cmdlet", c[1]));
            var approved = _m.Run("[System.Management.Automation.VerbsCommon].GetFields().Name + [System.Management.Automation.VerbsCommunications].GetFields().Name + [System.Management.Automation.VerbsLifecycle].GetFields().Name + [System.Management.Automation.VerbsData].GetFields().Name", import: false)
                .Output.Select(o => (string)o.BaseObject).ToHashSet();
            Assert.All(commands, c => Assert.Contains(c[2], approved));
        }

        [Fact]
        public void Every_output_type_has_a_table_view_of_existing_properties_that_fits_80_columns()
        {
            var format = XDocument.Load(Path.Combine(Paths.ModuleFolder, "OtpTools.format.ps1xml"));
            foreach (var type in OutputTypes)
            {
                var view = format.Descendants("View").Single(v => v.Element("ViewSelectedBy")!.Element("TypeName")!.Value == type.FullName
                    && v.Element("TableControl") != null);
                var headers = view.Descendants("TableColumnHeader").ToList();
                // A column without a width counts as 12, except a last one, which takes what is left (at least 6); the
                // receipt's table is also rendered at 80 columns in PipelineTests.
                var widths = headers.Select((h, i) => int.TryParse(h.Element("Width")?.Value, out var w) ? w : i == headers.Count - 1 ? 6 : 12).ToList();
                Assert.True(widths.Sum() + headers.Count - 1 <= 80, $"{type.Name} table is wider than 80 columns");
                foreach (var property in view.Descendants("PropertyName").Select(p => p.Value))
                    Assert.NotNull(type.GetProperty(property));
            }
        }

        private static readonly Type[] OutputTypes =
            { typeof(OtpSendResult), typeof(OtpHistoryEntry), typeof(OtpRegion), typeof(OtpSender), typeof(OtpProviderInfo),
              typeof(OtpVerificationResult), typeof(OtpDeliveryReport), typeof(OtpBalance) };

        [Fact]
        public void Every_output_type_has_a_list_view_of_every_public_property_after_its_table_view()
        {
            var format = XDocument.Load(Path.Combine(Paths.ModuleFolder, "OtpTools.format.ps1xml"));
            var views = format.Descendants("View").ToList();
            foreach (var type in OutputTypes)
            {
                var mine = views.Where(v => v.Element("ViewSelectedBy")!.Element("TypeName")!.Value == type.FullName).ToList();
                Assert.Equal(2, mine.Count);
                // The first view for a type is its default: the table.
                Assert.NotNull(mine[0].Element("TableControl"));
                var list = mine[1].Element("ListControl");
                Assert.NotNull(list);
                var listed = list!.Descendants("PropertyName").Select(p => p.Value).ToList();
                var expected = type.GetProperties().Select(p => p.Name).ToList();
                Assert.Equal(expected.OrderBy(n => n), listed.OrderBy(n => n));
                Assert.Equal(listed.Count, listed.Distinct().Count());
            }
        }

        [Fact]
        public void Module_imports_and_sends_when_an_older_shared_dependency_is_already_loaded()
        {
            var probe = Path.Combine(Paths.RepoRoot, "tests", "OtpTools.IsolationProbe", "bin", Paths.Configuration, "net10.0", "OtpTools.IsolationProbe.dll");
            Assert.True(File.Exists(probe), probe);
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { probe, Paths.Manifest, _m.Sandbox.UriFor("otpblue"), SandboxKeys.OtpBlue, "+61412345678" })
                start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            Assert.True(process.WaitForExit(120_000));

            Assert.Contains("default-context Microsoft.Extensions.Http 5.0.0.0", output);
            Assert.Contains("result Success=True", output);
            Assert.DoesNotContain("error ", output);
            Assert.Contains("loaded OtpTools.Engine 0.1.0.0 in OtpTools.OtpToolsLoadContext", output);
            Assert.Contains("loaded Microsoft.Extensions.Http 8.0.0.0 in OtpTools.OtpToolsLoadContext", output);
            Assert.Contains("loaded Microsoft.Extensions.Http 5.0.0.0 in Default", output);
            Assert.Contains("loaded OtpTools.Models 0.1.0.0 in Default", output);
        }
    }
}
