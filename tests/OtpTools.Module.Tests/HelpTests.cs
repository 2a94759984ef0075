using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using OtpTools.HelpBuilder;
using Xunit;

namespace OtpTools.Module.Tests
{
    /// <summary>
    /// Help as users see it (Get-Help in the hosted engine, reading the MAML the build generated from docs/), and the
    /// drift between docs/*.md and the cmdlets' real parameters. The cmdlet list always comes from Get-Command, so
    /// a new cmdlet without docs fails here.
    /// </summary>
    [Collection(ModuleCollection.Name)]
    public sealed class HelpTests
    {
        /// <summary>
        /// Exempt from the drift test: the common parameters every cmdlet has, covered by "### CommonParameters".
        /// -WhatIf/-Confirm and the SupportsPaging parameters -First/-Skip/-IncludeTotalCount are NOT exempt: without
        /// a "### -Name" section Get-Help would not show them at all, and -First is how users stop paging.
        /// </summary>
        private const string CommonParametersScript = "[System.Management.Automation.Cmdlet]::CommonParameters";

        private static string DocsFolder => Path.Combine(Paths.RepoRoot, "docs");
        private readonly ModuleFixture _m;
        public HelpTests(ModuleFixture fixture) => _m = fixture;

        [Fact]
        public void Every_exported_cmdlet_has_a_written_synopsis_and_description_in_Get_Help()
        {
            var run = _m.Run(@"
foreach ($c in Get-Command -Module OtpTools) {
    $h = Get-Help $c.Name -Full
    [pscustomobject]@{ Name = $c.Name; Synopsis = [string]$h.Synopsis; Description = (@($h.description | ForEach-Object Text) -join ' ') }
}");
            Assert.Empty(run.Errors);
            Assert.NotEmpty(run.Output);
            var problems = new List<string>();
            foreach (var help in run.Output)
            {
                var name = (string)help.Properties["Name"].Value;
                var synopsis = ((string)help.Properties["Synopsis"].Value).Trim();
                // Without MAML, Get-Help makes the synopsis from the syntax: "Send-OtpCode [[-To] <string>] ...".
                if (synopsis.Length == 0 || synopsis.StartsWith(name, StringComparison.OrdinalIgnoreCase) || synopsis.Contains("<CommonParameters>"))
                    problems.Add($"{name}: no written synopsis (Get-Help shows '{synopsis}'). Fill '## SYNOPSIS' in {DocFile(name)}.");
                if (((string)help.Properties["Description"].Value).Trim().Length == 0)
                    problems.Add($"{name}: no description. Fill '## DESCRIPTION' in {DocFile(name)}.");
            }
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }

        [Fact]
        public void Every_cmdlet_parameter_has_a_description_in_Get_Help()
        {
            var run = _m.Run($@"
$common = {CommonParametersScript}
foreach ($c in Get-Command -Module OtpTools) {{
    $documented = @{{}}
    foreach ($p in (Get-Help $c.Name -Full).parameters.parameter) {{ $documented[$p.name] = (@($p.description | ForEach-Object Text) -join ' ').Trim() }}
    foreach ($name in $c.Parameters.Keys | Where-Object {{ $_ -notin $common }}) {{
        [pscustomobject]@{{ Cmdlet = $c.Name; Parameter = $name; Found = $documented.ContainsKey($name); Description = [string]$documented[$name] }}
    }}
}}");
            Assert.Empty(run.Errors);
            Assert.NotEmpty(run.Output);
            var problems = run.Output
                .Where(p => !(bool)p.Properties["Found"].Value || ((string)p.Properties["Description"].Value).Length == 0)
                .Select(p => $"{p.Properties["Cmdlet"].Value} -{p.Properties["Parameter"].Value}: no description in Get-Help. " +
                             $"Describe it under '### -{p.Properties["Parameter"].Value}' in {DocFile((string)p.Properties["Cmdlet"].Value)}.")
                .ToList();
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }

        [Fact]
        public void Every_exported_cmdlet_has_at_least_three_examples_including_a_runbook_and_a_bulk_CSV_one()
        {
            var run = _m.Run(@"
foreach ($c in Get-Command -Module OtpTools) {
    foreach ($e in @((Get-Help $c.Name -Examples).examples.example)) {
        [pscustomobject]@{ Name = $c.Name; Title = [string]$e.title; Code = [string]$e.code; Remarks = (@($e.remarks | ForEach-Object Text) -join ' ').Trim() }
    }
}");
            Assert.Empty(run.Errors);
            var examples = run.Output.Select(o => (Cmdlet: (string)o.Properties["Name"].Value, Title: (string)o.Properties["Title"].Value,
                Code: (string)o.Properties["Code"].Value, Remarks: (string)o.Properties["Remarks"].Value)).ToList();
            var problems = new List<string>();
            foreach (var cmdlet in ExportedCmdlets())
            {
                var own = examples.Where(e => e.Cmdlet == cmdlet).ToList();
                var where = $"under '## EXAMPLES' in {DocFile(cmdlet)}";
                if (own.Count < 3)
                    problems.Add($"{cmdlet}: {own.Count} example(s); write at least three (interactive, runbook, bulk CSV) {where}.");
                if (own.Any(e => e.Code.Trim().Length == 0 || e.Remarks.Length == 0))
                    problems.Add($"{cmdlet}: every example needs a ```powershell block and a sentence saying what it does ({DocFile(cmdlet)}).");
                // A runbook takes its credentials from the environment (or a vault) and never prompts.
                if (!own.Any(e => e.Code.Contains("$env:", StringComparison.OrdinalIgnoreCase) || e.Title.Contains("runbook", StringComparison.OrdinalIgnoreCase)))
                    problems.Add($"{cmdlet}: no runbook example (credentials from OTPTOOLS_* environment variables, no prompts) {where}.");
                if (!own.Any(e => e.Code.Contains("-Csv", StringComparison.OrdinalIgnoreCase)))
                    problems.Add($"{cmdlet}: no bulk CSV example (Import-Csv | {cmdlet} ... or {cmdlet} ... | Export-Csv) {where}.");
            }
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }

        [Fact]
        public void Get_Help_Parameter_shows_the_aliases_position_and_pipeline_input_written_in_the_markdown()
        {
            var run = _m.Run("$p = Get-Help Send-OtpCode -Parameter To; $p.aliases; $p.position; $p.pipelineInput; $p.type.name");

            Assert.Empty(run.Errors);
            Assert.Equal(new[] { "Contact, PhoneNumber, Phone, Mobile, Recipient, Email", "0", "True (ByPropertyName, ByValue)", "String[]" },
                run.Output.Select(o => o.ToString()));
        }

        /// <summary>
        /// The project has no web address of its own yet: Get-Help -Online must not send anyone to an address it does not
        /// own. Links in docs/ are other help files, the providers' documented hosts, example or loopback addresses, or
        /// the about_CommonParameters link every PowerShell help carries.
        /// </summary>
        [Fact]
        public void No_help_link_points_at_an_address_the_project_does_not_own()
        {
            var allowedHosts = new[]
            {
                "api.otpblue.com", "api.otp.dev", "api.otpiq.com", "otp.api.engagelab.cc",   // the providers' documented hosts
                "127.0.0.1", "localhost", "+", "go.microsoft.com",
            };
            static bool IsExample(string host) =>
                host.EndsWith("example.com", StringComparison.OrdinalIgnoreCase) || host.EndsWith("example.org", StringComparison.OrdinalIgnoreCase) ||
                host.EndsWith("contoso.com", StringComparison.OrdinalIgnoreCase);
            var problems = new List<string>();
            foreach (var file in Directory.GetFiles(DocsFolder, "*.md"))
            {
                var text = File.ReadAllText(file);
                var online = System.Text.RegularExpressions.Regex.Match(text, @"(?m)^online version:(.*)$");
                if (online.Success && online.Groups[1].Value.Trim().Length > 0)
                    problems.Add($"{Path.GetFileName(file)}: online version {online.Groups[1].Value.Trim()}");
                foreach (System.Text.RegularExpressions.Match link in System.Text.RegularExpressions.Regex.Matches(text, @"https?://([^/:\s)`'""<>,]+)"))
                {
                    var host = link.Groups[1].Value;
                    if (!allowedHosts.Contains(host, StringComparer.OrdinalIgnoreCase) && !IsExample(host))
                        problems.Add($"{Path.GetFileName(file)}: {link.Value}");
                }
            }
            Assert.True(problems.Count == 0, string.Join("\n", problems));
            var uris = _m.Run("Get-Command -Module OtpTools | Where-Object HelpUri | ForEach-Object { $_.Name + ' ' + $_.HelpUri }");
            Assert.Empty(uris.Output);
        }

        /// <summary>The README's provider table lists exactly the cmdlets each provider type serves, as the module says it.</summary>
        [Theory]
        [InlineData("OtpBlue", "Get-OtpSender -Provider OtpBlue")]
        [InlineData("GetOtp", "Get-OtpHistory -Provider GetOtp")]
        [InlineData("Otpiq", "Get-OtpHistory -Provider Otpiq")]
        [InlineData("EngageLab", "Get-OtpHistory -Provider EngageLab")]
        public void The_README_provider_table_lists_every_cmdlet_each_provider_serves(string type, string refused)
        {
            var error = _m.RunTerminating(refused);
            var serves = System.Text.RegularExpressions.Regex.Match(error.ToString(), "which serves ([A-Za-z, -]+)").Groups[1].Value
                .Split(new[] { ", " }, StringSplitOptions.RemoveEmptyEntries).Select(c => c.Trim().TrimEnd('.')).OrderBy(c => c).ToList();
            Assert.NotEmpty(serves);
            var row = File.ReadAllLines(Path.Combine(Paths.RepoRoot, "README.md")).Single(l => l.StartsWith($"| `{type}` |", StringComparison.Ordinal));
            var listed = System.Text.RegularExpressions.Regex.Matches(row.Split('|')[2], "`([A-Za-z]+-Otp[A-Za-z]+)`")
                .Select(m => m.Groups[1].Value).OrderBy(c => c).ToList();
            Assert.Equal(serves, listed);
        }

        [Fact]
        public void Get_Help_about_OtpTools_shows_the_concepts_and_troubleshooting_topic()
        {
            var run = _m.Run("Get-Help about_OtpTools");
            Assert.Empty(run.Errors);
            var text = string.Join("\n", run.Output.Select(o => o.ToString()));
            Assert.StartsWith("TOPIC", text.TrimStart());
            foreach (var expected in new[] { "about_OtpTools", "SHORT DESCRIPTION", "LONG DESCRIPTION", "OTPTOOLS_<TYPE>_BASEURI",
                         "Credentials", "Receipts and errors", "sandbox", "Retries", "OtpBlue.NoIMessage", "3004", "1439", "429" })
                Assert.Contains(expected, text);
        }

        [Fact]
        public void Console_help_text_shows_no_markdown_backticks_or_bold_markers()
        {
            var run = _m.Run(@"
foreach ($c in Get-Command -Module OtpTools) {
    $h = Get-Help $c.Name -Full
    (@($h.description | ForEach-Object Text) + @($h.parameters.parameter | ForEach-Object { $_.description | ForEach-Object Text }) +
        @($h.examples.example | ForEach-Object { $_.remarks | ForEach-Object Text })) -join ""`n"" | ForEach-Object { ""$($c.Name)|$_"" }
}");
            Assert.Empty(run.Errors);
            var texts = run.Output.Select(o => (string)o.BaseObject).ToList();
            Assert.NotEmpty(texts);
            var marked = texts.Where(t => t.Contains('`') || t.Contains("**")).Select(t => t.Split('|')[0]).ToList();
            Assert.True(marked.Count == 0, "help text with markdown marks: " + string.Join(", ", marked));
        }

        [Fact]
        public void Every_exported_cmdlet_has_a_markdown_file_in_docs()
        {
            var missing = CmdletParameters().Where(c => !File.Exists(DocPath(c.Cmdlet)))
                .Select(c => $"{c.Cmdlet}: no help. Create {DocFile(c.Cmdlet)} (platyPS format; fill in every <...>):\n" + Skeleton(c.Cmdlet, c.Parameters))
                .ToList();
            Assert.True(missing.Count == 0, string.Join("\n\n", missing));
        }

        [Fact]
        public void Markdown_documents_exactly_the_parameters_each_cmdlet_has()
        {
            var problems = new List<string>();
            foreach (var (cmdlet, parameters) in CmdletParameters())
            {
                if (!File.Exists(DocPath(cmdlet))) continue; // reported by Every_exported_cmdlet_has_a_markdown_file_in_docs
                var documented = MarkdownHelpParser.ParseFile(DocPath(cmdlet)).Parameters.Select(p => p.Name).ToList();
                foreach (var parameter in parameters.Where(p => !documented.Contains(p.Name, StringComparer.OrdinalIgnoreCase)))
                    problems.Add($"{DocFile(cmdlet)}: -{parameter.Name} is missing. Add under '## PARAMETERS' (before '### CommonParameters'):\n" +
                                 parameter.MarkdownSection());
                foreach (var name in documented.Where(d => !parameters.Any(p => p.Name.Equals(d, StringComparison.OrdinalIgnoreCase))))
                    problems.Add($"{DocFile(cmdlet)}: documents -{name}, which {cmdlet} does not have. Remove '### -{name}' (and it from '## SYNTAX').");
            }
            Assert.True(problems.Count == 0, string.Join("\n\n", problems));
        }

        [Fact]
        public void Markdown_parameter_type_aliases_position_and_pipeline_input_match_the_cmdlet()
        {
            var problems = new List<string>();
            foreach (var (cmdlet, parameters) in CmdletParameters())
            {
                if (!File.Exists(DocPath(cmdlet))) continue;
                var documented = MarkdownHelpParser.ParseFile(DocPath(cmdlet)).Parameters;
                foreach (var actual in parameters)
                {
                    var doc = documented.FirstOrDefault(d => d.Name.Equals(actual.Name, StringComparison.OrdinalIgnoreCase));
                    if (doc == null) continue; // reported by Markdown_documents_exactly_the_parameters_each_cmdlet_has
                    void Check(string field, string written, string real)
                    {
                        if (!string.Equals(written, real, StringComparison.OrdinalIgnoreCase))
                            problems.Add($"{DocFile(cmdlet)}: -{actual.Name} says '{field}: {written}' but the cmdlet has '{field}: {real}'.");
                    }
                    Check("Type", doc.Type, actual.Type);
                    Check("Aliases", AliasText(doc.Aliases), AliasText(actual.Aliases));
                    if (actual.SameInEverySet)
                    {
                        Check("Position", doc.Position, actual.Position);
                        Check("Required", doc.Required ? "True" : "False", actual.Required ? "True" : "False");
                        Check("Accept pipeline input", doc.PipelineInput, actual.PipelineInput);
                    }
                }
            }
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }

        private static string AliasText(IEnumerable<string> aliases)
        {
            var sorted = aliases.OrderBy(a => a, StringComparer.OrdinalIgnoreCase).ToList();
            return sorted.Count == 0 ? "None" : string.Join(", ", sorted);
        }

        private List<string> ExportedCmdlets() =>
            _m.Run("(Get-Command -Module OtpTools).Name").Output.Select(o => (string)o.BaseObject).ToList();

        private static string DocPath(string cmdlet) => Path.Combine(DocsFolder, cmdlet + ".md");
        private static string DocFile(string cmdlet) => $"docs/{cmdlet}.md";

        /// <summary>A new cmdlet's help file with every section platyPS expects and every parameter's yaml filled in.</summary>
        private static string Skeleton(string cmdlet, List<ActualParameter> parameters) => string.Join("\n",
            "---",
            "external help file: OtpTools.dll-Help.xml",
            "Module Name: OtpTools",
            "online version:",
            "schema: 2.0.0",
            "---",
            "",
            $"# {cmdlet}",
            "",
            "## SYNOPSIS",
            "<One sentence: what it does.>",
            "",
            "## SYNTAX",
            "",
            "```",
            $"{cmdlet} " + string.Join(" ", parameters.Select(p => p.SyntaxText())) + " [<CommonParameters>]",
            "```",
            "",
            "## DESCRIPTION",
            "<What it does, for which providers, what it writes.>",
            "",
            "## EXAMPLES",
            "",
            "### Example 1: <interactive use>",
            "```powershell",
            "<code>",
            "```",
            "",
            "<What it does.>",
            "",
            "### Example 2: <in a runbook, credentials from environment variables>",
            "",
            "### Example 3: <bulk: Import-Csv | ... | Export-Csv>",
            "",
            "## PARAMETERS",
            "",
            string.Join("\n\n", parameters.Select(p => p.MarkdownSection())),
            "",
            "### CommonParameters",
            "This cmdlet supports the common parameters: -Debug, -ErrorAction, -ErrorVariable, -InformationAction, -InformationVariable, -OutVariable, -OutBuffer, -PipelineVariable, -ProgressAction, -Verbose, -WarningAction, and -WarningVariable. For more information, see [about_CommonParameters](http://go.microsoft.com/fwlink/?LinkID=113216).",
            "",
            "## INPUTS",
            "",
            "### <Type or None>",
            "",
            "## OUTPUTS",
            "",
            "### <OtpTools.TypeName>",
            "",
            "## NOTES",
            "",
            "## RELATED LINKS",
            "",
            "[about_OtpTools](about_OtpTools.md)");

        /// <summary>Each exported cmdlet's parameters (without the common ones), as the engine reports them.</summary>
        private List<(string Cmdlet, List<ActualParameter> Parameters)> CmdletParameters()
        {
            var run = _m.Run($@"
$common = {CommonParametersScript}
foreach ($c in Get-Command -Module OtpTools) {{
    foreach ($p in $c.Parameters.Values | Where-Object Name -notin $common) {{
        $type = $p.ParameterType
        if ($type.IsGenericType -and $type.GetGenericTypeDefinition() -eq [Nullable`1]) {{ $type = $type.GetGenericArguments()[0] }}
        foreach ($set in $p.ParameterSets.GetEnumerator()) {{
            [pscustomobject]@{{
                Cmdlet = $c.Name; Name = $p.Name; Type = $type.Name; Aliases = @($p.Aliases) -join ','
                Set = $set.Key; Position = $set.Value.Position; Mandatory = $set.Value.IsMandatory
                ByValue = $set.Value.ValueFromPipeline; ByPropertyName = $set.Value.ValueFromPipelineByPropertyName
            }}
        }}
    }}
}}");
            Assert.Empty(run.Errors);
            Assert.NotEmpty(run.Output);
            return run.Output
                .GroupBy(o => (string)o.Properties["Cmdlet"].Value)
                .Select(cmdlet => (cmdlet.Key, cmdlet
                    .GroupBy(o => (string)o.Properties["Name"].Value)
                    .Select(sets => ActualParameter.From(sets.Key, sets.Select(s => new ActualParameter.SetInfo(
                        (string)s.Properties["Type"].Value,
                        ((string)s.Properties["Aliases"].Value).Split(',', StringSplitOptions.RemoveEmptyEntries),
                        (string)s.Properties["Set"].Value,
                        (int)s.Properties["Position"].Value,
                        (bool)s.Properties["Mandatory"].Value,
                        (bool)s.Properties["ByValue"].Value,
                        (bool)s.Properties["ByPropertyName"].Value)).ToList()))
                    .ToList()))
                .ToList();
        }

        /// <summary>A cmdlet parameter as PowerShell binds it, written the way platyPS writes it in markdown.</summary>
        private sealed class ActualParameter
        {
            public sealed record SetInfo(string Type, string[] Aliases, string Set, int Position, bool Mandatory, bool ByValue, bool ByPropertyName)
            {
                public string PositionText => Position == int.MinValue ? "Named" : Position.ToString(System.Globalization.CultureInfo.InvariantCulture);
                public string PipelineText => ByValue && ByPropertyName ? "True (ByPropertyName, ByValue)"
                    : ByValue ? "True (ByValue)" : ByPropertyName ? "True (ByPropertyName)" : "False";
            }

            public string Name { get; private init; } = "";
            public string Type { get; private init; } = "";
            public string[] Aliases { get; private init; } = Array.Empty<string>();
            public string Sets { get; private init; } = "";
            public bool SameInEverySet { get; private init; }
            public string Position { get; private init; } = "";
            public bool Required { get; private init; }
            public string PipelineInput { get; private init; } = "";

            public static ActualParameter From(string name, List<SetInfo> sets)
            {
                var first = sets[0];
                return new ActualParameter
                {
                    Name = name,
                    Type = first.Type,
                    Aliases = first.Aliases,
                    Sets = sets.Any(s => s.Set == "__AllParameterSets") ? "(All)" : string.Join(", ", sets.Select(s => s.Set)),
                    SameInEverySet = sets.All(s => s.PositionText == first.PositionText && s.Mandatory == first.Mandatory && s.PipelineText == first.PipelineText),
                    Position = first.PositionText,
                    Required = first.Mandatory,
                    PipelineInput = first.PipelineText,
                };
            }

            public string SyntaxText()
            {
                var value = Type == "SwitchParameter" ? $"-{Name}" : $"-{Name} <{Type}>";
                if (Position != "Named") value = $"[-{Name}] <{Type}>";
                return Required ? value : $"[{value}]";
            }

            /// <summary>A ready-to-paste platyPS section: only the description is left to write.</summary>
            public string MarkdownSection() => string.Join("\n",
                $"### -{Name}",
                "<What it does, its default and its limits.>",
                "",
                "```yaml",
                $"Type: {Type}",
                $"Parameter Sets: {Sets}",
                $"Aliases: {(Aliases.Length == 0 ? "None" : string.Join(", ", Aliases))}",
                "",
                $"Required: {(Required ? "True" : "False")}",
                $"Position: {Position}",
                $"Default value: {(Type == "SwitchParameter" ? "False" : "None")}",
                $"Accept pipeline input: {PipelineInput}",
                "Accept wildcard characters: False",
                "```");
        }
    }
}
