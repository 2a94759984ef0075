using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using OtpTools.HelpBuilder;
using Xunit;

namespace OtpTools.Module.Tests
{
    /// <summary>The markdown → MAML / about-text converter on its own: no PowerShell engine, no module build.</summary>
    public sealed class HelpBuilderTests
    {
        private static readonly XNamespace Maml = MamlWriter.Maml, Command = MamlWriter.Command, Dev = MamlWriter.Dev;

        private const string Sample = @"---
external help file: Sample.dll-Help.xml
Module Name: Sample
online version: https://example.org/Set-Thing
schema: 2.0.0
---

# Set-Thing

## SYNOPSIS
Sets a **thing**.

## SYNTAX

### ByName (Default)
```
Set-Thing [-Name] <String> [-Force] [<CommonParameters>]
```

### ById
```
Set-Thing -Id <Int32> [-Force] [<CommonParameters>]
```

## DESCRIPTION
First paragraph
continues here.

Second paragraph with a [link](https://example.org/doc).

## EXAMPLES

### Example 1: Set by name
```powershell
Set-Thing -Name a
# ## not a heading inside a fence
```

Sets thing a.

### Example 2: Set by id
```powershell
Set-Thing -Id 4
```

Sets thing 4.

## PARAMETERS

### -Name
The thing's name.

```yaml
Type: String
Parameter Sets: ByName
Aliases: ThingName, N

Required: True
Position: 0
Default value: None
Accept pipeline input: True (ByPropertyName, ByValue)
Accept wildcard characters: True
```

### -Id
The thing's id.

```yaml
Type: Int32
Parameter Sets: ById
Aliases: None

Required: True
Position: Named
Default value: None
Accept pipeline input: False
Accept wildcard characters: False
```

### -Force
Overwrites.

```yaml
Type: SwitchParameter
Parameter Sets: (All)
Aliases: None

Required: False
Position: Named
Default value: False
Accept pipeline input: False
Accept wildcard characters: False
```

### CommonParameters
This cmdlet supports the common parameters.

## INPUTS

### System.String
A name.

## OUTPUTS

### Sample.Thing
The thing.

## NOTES
A note.

## RELATED LINKS

[Get-Thing](Get-Thing.md)
";

        [Fact]
        public void Parser_reads_every_platyPS_section_and_parameter_field()
        {
            var help = MarkdownHelpParser.Parse(Sample);

            Assert.Equal("Set-Thing", help.Name);
            Assert.Equal("Sample.dll-Help.xml", help.ExternalHelpFile);
            Assert.Equal("https://example.org/Set-Thing", help.OnlineVersion);
            Assert.Equal("Sets a thing.", help.Synopsis);
            Assert.Equal(new[] { "First paragraph continues here.", "Second paragraph with a link (https://example.org/doc)." }, help.Description);
            Assert.Equal(new[] { "ByName", "ById" }, help.Syntax.Select(s => s.SetName));
            Assert.True(help.Syntax[0].IsDefault);
            Assert.Equal(new[] { "Name", "Id", "Force" }, help.Parameters.Select(p => p.Name));
            var name = help.Parameters[0];
            Assert.Equal("String", name.Type);
            Assert.Equal(new[] { "ThingName", "N" }, name.Aliases);
            Assert.True(name.Required);
            Assert.Equal("0", name.Position);
            Assert.Equal("True (ByPropertyName, ByValue)", name.PipelineInput);
            Assert.True(name.Wildcard);
            Assert.Equal(new[] { "The thing's name." }, name.Description);
            Assert.Empty(help.Parameters[1].Aliases);
            Assert.Equal("System.String", Assert.Single(help.Inputs).TypeName);
            Assert.Equal("Sample.Thing", Assert.Single(help.Outputs).TypeName);
            Assert.Equal(new[] { "A note." }, help.Notes);
            Assert.Equal("Get-Thing.md", Assert.Single(help.RelatedLinks).Uri);
        }

        [Fact]
        public void A_heading_inside_a_code_fence_stays_example_code()
        {
            var help = MarkdownHelpParser.Parse(Sample);

            Assert.Equal(2, help.Examples.Count);
            Assert.Equal("Example 1: Set by name", help.Examples[0].Title);
            Assert.Equal("Set-Thing -Name a\n# ## not a heading inside a fence", Assert.Single(help.Examples[0].Code));
            Assert.Equal(new[] { "Sets thing a." }, help.Examples[0].Remarks);
        }

        [Fact]
        public void Maml_has_the_command_help_elements_Get_Help_reads()
        {
            var doc = MamlWriter.Write(new[] { MarkdownHelpParser.Parse(Sample) });

            Assert.Equal(MamlWriter.Msh + "helpItems", doc.Root!.Name);
            Assert.Equal("maml", (string?)doc.Root.Attribute("schema"));
            var command = Assert.Single(doc.Root.Elements(Command + "command"));
            var details = command.Element(Command + "details")!;
            Assert.Equal("Set-Thing", details.Element(Command + "name")!.Value);
            Assert.Equal("Set", details.Element(Command + "verb")!.Value);
            Assert.Equal("Thing", details.Element(Command + "noun")!.Value);
            Assert.Equal("Sets a thing.", details.Element(Maml + "description")!.Element(Maml + "para")!.Value);
            Assert.Equal(2, command.Element(Maml + "description")!.Elements(Maml + "para").Count());
            Assert.Equal("System.String", command.Element(Command + "inputTypes")!.Descendants(Maml + "name").Single().Value);
            Assert.Equal("Sample.Thing", command.Element(Command + "returnValues")!.Descendants(Maml + "name").Single().Value);
            Assert.Equal("A note.", command.Element(Maml + "alertSet")!.Descendants(Maml + "para").Single().Value);
            var examples = command.Element(Command + "examples")!.Elements(Command + "example").ToList();
            Assert.Equal(2, examples.Count);
            Assert.Contains("Example 1: Set by name", examples[0].Element(Maml + "title")!.Value);
            Assert.Equal("Set-Thing -Id 4", examples[1].Element(Dev + "code")!.Value);
            Assert.Equal("Sets thing 4.", examples[1].Element(Dev + "remarks")!.Element(Maml + "para")!.Value);
            var links = command.Element(Command + "relatedLinks")!.Elements(Maml + "navigationLink").ToList();
            Assert.Equal("Online Version:", links[0].Element(Maml + "linkText")!.Value);
            Assert.Equal("https://example.org/Set-Thing", links[0].Element(Maml + "uri")!.Value);
            Assert.Equal("Get-Thing", links[1].Element(Maml + "linkText")!.Value);
        }

        [Fact]
        public void Maml_parameter_carries_type_aliases_position_pipeline_input_and_default()
        {
            var command = MamlWriter.WriteCommand(MarkdownHelpParser.Parse(Sample));
            var name = command.Element(Command + "parameters")!.Elements(Command + "parameter")
                .Single(p => p.Element(Maml + "name")!.Value == "Name");

            Assert.Equal("true", (string?)name.Attribute("required"));
            Assert.Equal("true", (string?)name.Attribute("globbing"));
            Assert.Equal("True (ByPropertyName, ByValue)", (string?)name.Attribute("pipelineInput"));
            Assert.Equal("0", (string?)name.Attribute("position"));
            Assert.Equal("ThingName, N", (string?)name.Attribute("aliases"));
            Assert.Equal("The thing's name.", name.Element(Maml + "description")!.Element(Maml + "para")!.Value);
            Assert.Equal("String", name.Element(Command + "parameterValue")!.Value);
            Assert.Equal("String", name.Element(Dev + "type")!.Element(Maml + "name")!.Value);
            Assert.Equal("None", name.Element(Dev + "defaultValue")!.Value);
            var id = command.Element(Command + "parameters")!.Elements(Command + "parameter").Single(p => p.Element(Maml + "name")!.Value == "Id");
            Assert.Equal("named", (string?)id.Attribute("position"));
            Assert.Equal("none", (string?)id.Attribute("aliases"));
        }

        [Fact]
        public void Maml_syntax_item_per_parameter_set_holds_that_sets_parameters_and_the_shared_ones()
        {
            var command = MamlWriter.WriteCommand(MarkdownHelpParser.Parse(Sample));
            var items = command.Element(Command + "syntax")!.Elements(Command + "syntaxItem")
                .Select(i => i.Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value).ToArray())
                .ToList();

            Assert.Equal(new[] { new[] { "Name", "Force" }, new[] { "Id", "Force" } }, items);
            var force = command.Element(Command + "syntax")!.Descendants(Command + "parameter").First(p => p.Element(Maml + "name")!.Value == "Force");
            Assert.Null(force.Element(Command + "parameterValue")); // a switch takes no value
        }

        [Fact]
        public void Parameter_with_a_yaml_block_per_set_is_required_only_in_the_set_that_says_so()
        {
            var markdown = Sample.Replace("Accept wildcard characters: False\n```\n\n### -Force", "Accept wildcard characters: False\n```\n\n```yaml\n" +
                "Type: Int32\nParameter Sets: ByName\nAliases: None\n\nRequired: False\nPosition: Named\nDefault value: None\n" +
                "Accept pipeline input: False\nAccept wildcard characters: False\n```\n\n### -Force").Replace("\r\n", "\n");

            var help = MarkdownHelpParser.Parse(markdown);
            var id = help.Parameters.Single(p => p.Name == "Id");
            Assert.True(id.ForSet("ById")!.Required);
            Assert.False(id.ForSet("ByName")!.Required);

            var items = MamlWriter.WriteCommand(help).Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToList();
            string RequiredIn(XElement item) => (string)item.Elements(Command + "parameter").Single(p => p.Element(Maml + "name")!.Value == "Id").Attribute("required")!;
            Assert.Equal("false", RequiredIn(items[0]));
            Assert.Equal("true", RequiredIn(items[1]));
        }

        [Fact]
        public void Maml_lists_a_parameters_accepted_values()
        {
            var markdown = Sample.Replace("Parameter Sets: ById\nAliases: None\n", "Parameter Sets: ById\nAliases: None\nAccepted values: 1, 2, 3\n").Replace("\r\n", "\n");

            var command = MamlWriter.WriteCommand(MarkdownHelpParser.Parse(markdown));

            var id = command.Element(Command + "parameters")!.Elements(Command + "parameter").Single(p => p.Element(Maml + "name")!.Value == "Id");
            Assert.Equal(new[] { "1", "2", "3" }, id.Element(Command + "parameterValueGroup")!.Elements(Command + "parameterValue").Select(v => v.Value));
        }

        [Fact]
        public void Parameter_without_a_yaml_block_fails_naming_the_file_and_parameter()
        {
            var broken = Sample.Replace("The thing's id.\n\n```yaml", "The thing's id.\n\n```text").Replace("\r\n", "\n");

            var error = Assert.Throws<FormatException>(() => MarkdownHelpParser.Parse(broken, "Set-Thing.md"));
            Assert.Contains("Set-Thing.md", error.Message);
            Assert.Contains("-Id", error.Message);
        }

        [Fact]
        public void About_text_starts_with_TOPIC_takes_sections_from_either_heading_style_and_wraps_at_80_columns()
        {
            var platyPS = "# Sample\n## about_Sample\n\n# SHORT DESCRIPTION\nShort text.\n\n# LONG DESCRIPTION\n" +
                          string.Join(" ", Enumerable.Repeat("word", 60)) + "\n\n## A subtopic\n- item one\n- item two\n\n```powershell\nGet-Thing\n```\n";
            var docs = "# about_Sample\n\n## Short description\nShort text.\n\n## Long description\nBody.\n";

            var text = AboutTopicWriter.Write(platyPS);
            var lines = text.Split('\n');
            Assert.Equal(new[] { "TOPIC", "    about_Sample", "", "SHORT DESCRIPTION", "    Short text.", "", "LONG DESCRIPTION" }, lines.Take(7));
            Assert.All(lines, l => Assert.True(l.Length <= AboutTopicWriter.Width, l));
            Assert.Contains("    A subtopic\n    ----------\n    - item one\n    - item two\n", text);
            Assert.Contains("\n        Get-Thing\n", text);
            Assert.StartsWith("TOPIC\n    about_Sample\n\nSHORT DESCRIPTION\n    Short text.\n\nLONG DESCRIPTION\n    Body.", AboutTopicWriter.Write(docs));
        }

        [Fact]
        public void About_text_keeps_narrow_tables_as_columns_and_turns_wide_ones_into_records()
        {
            var markdown = "# about_T\n\n## SHORT DESCRIPTION\nS.\n\n## Codes\n| Code | Meaning |\n|---|---|\n| 1 | One |\n| 22 | Twenty-two |\n\n" +
                           "| Code | Meaning | What to do |\n|---|---|---|\n| 150 | " + new string('m', 40) + " | " + new string('w', 40) + " |\n";

            var text = AboutTopicWriter.Write(markdown);

            Assert.Contains("    Code  Meaning\n    1     One\n    22    Twenty-two\n", text);
            Assert.Contains("    150\n        Meaning: " + new string('m', 40) + "\n        What to do: " + new string('w', 40) + "\n", text);
        }

        [Fact]
        public void Generator_writes_one_MAML_file_for_the_cmdlets_and_a_text_file_per_about_topic_and_skips_other_markdown()
        {
            var root = Path.Combine(Path.GetTempPath(), "otphelp-" + Guid.NewGuid().ToString("N"));
            var docs = Directory.CreateDirectory(Path.Combine(root, "docs")).FullName;
            try
            {
                File.WriteAllText(Path.Combine(docs, "Set-Thing.md"), Sample);
                File.WriteAllText(Path.Combine(docs, "Get-Thing.md"), Sample.Replace("# Set-Thing", "# Get-Thing"));
                File.WriteAllText(Path.Combine(docs, "about_Sample.md"), "# about_Sample\n\n## SHORT DESCRIPTION\nS.\n");
                File.WriteAllText(Path.Combine(docs, "guide.md"), "# A guide\n\nNot help.\n");
                var output = Path.Combine(root, "en-US");

                var written = HelpGenerator.Generate(docs, output);

                Assert.Equal(new[] { "Sample.dll-Help.xml", "about_Sample.help.txt" }, written.Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
                var maml = XDocument.Load(Path.Combine(output, "Sample.dll-Help.xml"));
                Assert.Equal(new[] { "Get-Thing", "Set-Thing" }, maml.Root!.Elements(Command + "command")
                    .Select(c => c.Element(Command + "details")!.Element(Command + "name")!.Value));
                Assert.StartsWith("TOPIC", File.ReadAllText(Path.Combine(output, "about_Sample.help.txt")));
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }
}
