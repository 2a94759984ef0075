using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace OtpTools.HelpBuilder
{
    /// <summary>A heading outside code fences and the lines under it up to the next heading.</summary>
    public sealed class MarkdownSection
    {
        public int Level { get; set; }
        public string Title { get; set; } = "";
        public List<string> Lines { get; } = new List<string>();
    }

    /// <summary>Reads the platyPS v1 (schema 2.0.0) cmdlet markdown into <see cref="CommandHelp"/>.</summary>
    public static class MarkdownHelpParser
    {
        private static readonly Regex Link = new Regex(@"\[([^\]]+)\]\(([^)\s]*)\)");

        /// <summary>Whether a markdown file is a cmdlet help file (platyPS writes "external help file" in its front matter).</summary>
        public static bool IsCommandHelp(string markdown) =>
            FrontMatter(SplitLines(markdown), out _).ContainsKey("external help file");

        public static CommandHelp ParseFile(string path) => Parse(File.ReadAllText(path), Path.GetFileName(path));

        public static CommandHelp Parse(string markdown, string source = "markdown")
        {
            var lines = SplitLines(markdown);
            var front = FrontMatter(lines, out var bodyStart);
            var help = new CommandHelp
            {
                ExternalHelpFile = front.TryGetValue("external help file", out var f) ? f : null,
                ModuleName = front.TryGetValue("Module Name", out var m) ? m : null,
                OnlineVersion = front.TryGetValue("online version", out var o) && o.Length > 0 ? o : null,
            };
            var sections = Sections(lines.Skip(bodyStart));
            var title = sections.FirstOrDefault(s => s.Level == 1)
                        ?? throw new FormatException($"{source}: no '# <Cmdlet-Name>' heading.");
            help.Name = title.Title;

            for (var i = 0; i < sections.Count; i++)
            {
                var section = sections[i];
                if (section.Level != 2) continue;
                var children = sections.Skip(i + 1).TakeWhile(s => s.Level > 2).ToList();
                switch (section.Title.ToUpperInvariant())
                {
                    case "SYNOPSIS":
                        help.Synopsis = string.Join(" ", Paragraphs(section.Lines));
                        break;
                    case "SYNTAX":
                        ReadSyntax(help, section, children);
                        break;
                    case "DESCRIPTION":
                        help.Description.AddRange(Paragraphs(section.Lines));
                        break;
                    case "EXAMPLES":
                        foreach (var child in children) help.Examples.Add(ReadExample(child));
                        break;
                    case "PARAMETERS":
                        foreach (var child in children.Where(c => c.Title.StartsWith("-", StringComparison.Ordinal)))
                            help.Parameters.Add(ReadParameter(child, source));
                        break;
                    case "INPUTS":
                        help.Inputs.AddRange(children.Select(ReadType));
                        break;
                    case "OUTPUTS":
                        help.Outputs.AddRange(children.Select(ReadType));
                        break;
                    case "NOTES":
                        help.Notes.AddRange(Paragraphs(section.Lines));
                        break;
                    case "RELATED LINKS":
                        help.RelatedLinks.AddRange(ReadLinks(section.Lines));
                        break;
                }
            }
            return help;
        }

        public static List<string> SplitLines(string text) =>
            text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n').ToList();

        /// <summary>The YAML front matter as flat "key: value" pairs; <paramref name="bodyStart"/> is the first line after it.</summary>
        public static Dictionary<string, string> FrontMatter(IReadOnlyList<string> lines, out int bodyStart)
        {
            var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            bodyStart = 0;
            if (lines.Count == 0 || lines[0].Trim() != "---") return values;
            for (var i = 1; i < lines.Count; i++)
            {
                if (lines[i].Trim() == "---")
                {
                    bodyStart = i + 1;
                    return values;
                }
                var colon = lines[i].IndexOf(':');
                if (colon > 0) values[lines[i].Substring(0, colon).Trim()] = lines[i].Substring(colon + 1).Trim();
            }
            return new Dictionary<string, string>(); // unterminated: not front matter
        }

        /// <summary>Headings (# to ###) and their bodies; lines inside ``` fences are never headings.</summary>
        public static List<MarkdownSection> Sections(IEnumerable<string> lines)
        {
            var sections = new List<MarkdownSection>();
            var current = new MarkdownSection { Level = 0 };
            var inFence = false;
            foreach (var line in lines)
            {
                if (line.TrimStart().StartsWith("```", StringComparison.Ordinal)) inFence = !inFence;
                var match = inFence ? Match.Empty : Regex.Match(line, @"^(#{1,3})\s+(.*?)\s*#*\s*$");
                if (match.Success)
                {
                    sections.Add(current);
                    current = new MarkdownSection { Level = match.Groups[1].Length, Title = match.Groups[2].Value.Trim() };
                }
                else current.Lines.Add(line);
            }
            sections.Add(current);
            return sections.Where(s => s.Level > 0).ToList();
        }

        /// <summary>
        /// Paragraphs separated by blank lines, inline markup removed. A code fence is one paragraph with its lines;
        /// lists keep one item per line; other paragraphs are joined into one line.
        /// </summary>
        public static List<string> Paragraphs(IEnumerable<string> lines)
        {
            var paragraphs = new List<string>();
            var block = new List<string>();
            var inFence = false;

            void Flush()
            {
                if (block.Count == 0) return;
                var isList = block.Any(l => IsListItem(l));
                // Joined before Inline, so a code span that wraps onto the next line is still one span.
                paragraphs.Add(isList ? Inline(string.Join("\n", block.Select(l => l.TrimEnd()))) : Inline(string.Join(" ", block.Select(l => l.Trim()))));
                block.Clear();
            }

            foreach (var line in lines)
            {
                if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
                {
                    if (inFence)
                    {
                        paragraphs.Add(string.Join("\n", block));
                        block.Clear();
                    }
                    else Flush();
                    inFence = !inFence;
                    continue;
                }
                if (inFence) block.Add(line);
                else if (string.IsNullOrWhiteSpace(line)) Flush();
                else block.Add(line);
            }
            if (inFence) paragraphs.Add(string.Join("\n", block));
            else Flush();
            return paragraphs;
        }

        private static readonly Regex InlineCode = new Regex("`([^`]+)`");

        public static bool IsListItem(string line) => Regex.IsMatch(line, @"^\s*([-*+]|\d+\.)\s+");

        /// <summary>
        /// Console text: bold markers and inline-code backticks go (the console shows them literally); links become
        /// "text (url)". Code blocks are not passed here and keep every character.
        /// </summary>
        public static string Inline(string text)
        {
            text = InlineCode.Replace(text, "$1");
            text = Link.Replace(text, m => m.Groups[2].Value.Length == 0 || m.Groups[1].Value == m.Groups[2].Value
                ? m.Groups[1].Value
                : $"{m.Groups[1].Value} ({m.Groups[2].Value})");
            return text.Replace("**", "").Replace("__", "");
        }

        private static void ReadSyntax(CommandHelp help, MarkdownSection section, List<MarkdownSection> children)
        {
            var direct = CodeBlocks(section.Lines).FirstOrDefault();
            if (direct != null) help.Syntax.Add(new SyntaxBlock { Text = direct });
            foreach (var child in children)
            {
                var name = child.Title;
                var isDefault = name.EndsWith("(Default)", StringComparison.OrdinalIgnoreCase);
                if (isDefault) name = name.Substring(0, name.Length - "(Default)".Length).Trim();
                help.Syntax.Add(new SyntaxBlock { SetName = name, IsDefault = isDefault, Text = CodeBlocks(child.Lines).FirstOrDefault() ?? "" });
            }
        }

        private static ExampleHelp ReadExample(MarkdownSection section)
        {
            var example = new ExampleHelp { Title = section.Title };
            var inFence = false;
            var code = new List<string>();
            var text = new List<string>();
            foreach (var line in section.Lines)
            {
                if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
                {
                    if (inFence)
                    {
                        example.Code.Add(string.Join("\n", code));
                        code.Clear();
                    }
                    inFence = !inFence;
                }
                else if (inFence) code.Add(line);
                else text.Add(line);
            }
            example.Remarks.AddRange(Paragraphs(text));
            return example;
        }

        private static ParameterHelp ReadParameter(MarkdownSection section, string source)
        {
            var parameter = new ParameterHelp { Name = section.Title.TrimStart('-').Trim() };
            var fenceStart = section.Lines.FindIndex(IsYamlFence);
            if (fenceStart < 0) throw new FormatException($"{source}: parameter -{parameter.Name} has no ```yaml block.");
            parameter.Description.AddRange(Paragraphs(section.Lines.Take(fenceStart)));
            var target = parameter;
            for (var i = fenceStart; i < section.Lines.Count; i++)
            {
                if (!IsYamlFence(section.Lines[i])) continue;
                if (i != fenceStart)
                {
                    target = new ParameterHelp { Name = parameter.Name };
                    target.Description.AddRange(parameter.Description);
                    parameter.Variants.Add(target);
                }
                for (i++; i < section.Lines.Count && !section.Lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal); i++)
                    ReadYamlLine(target, section.Lines[i]);
            }
            return parameter;
        }

        private static bool IsYamlFence(string line) => line.TrimStart().StartsWith("```yaml", StringComparison.OrdinalIgnoreCase);

        private static void ReadYamlLine(ParameterHelp parameter, string line)
        {
            var colon = line.IndexOf(':');
            if (colon <= 0) return;
            var key = line.Substring(0, colon).Trim();
            var value = line.Substring(colon + 1).Trim();
            switch (key.ToLowerInvariant())
            {
                case "type": parameter.Type = value; break;
                case "parameter sets": parameter.ParameterSets.AddRange(List(value)); break;
                case "aliases": parameter.Aliases.AddRange(List(value)); break;
                case "accepted values": parameter.AcceptedValues.AddRange(List(value)); break;
                case "required": parameter.Required = IsTrue(value); break;
                case "position": parameter.Position = value; break;
                case "default value": parameter.DefaultValue = value; break;
                case "accept pipeline input": parameter.PipelineInput = value; break;
                case "accept wildcard characters": parameter.Wildcard = IsTrue(value); break;
            }
        }

        private static TypeHelp ReadType(MarkdownSection section)
        {
            var type = new TypeHelp { TypeName = section.Title };
            type.Description.AddRange(Paragraphs(section.Lines));
            return type;
        }

        private static IEnumerable<LinkHelp> ReadLinks(IEnumerable<string> lines)
        {
            foreach (var raw in lines.Select(l => Regex.Replace(l.Trim(), @"^[-*+]\s+", "")).Where(l => l.Length > 0))
            {
                var match = Link.Match(raw);
                yield return match.Success
                    ? new LinkHelp { Text = match.Groups[1].Value, Uri = match.Groups[2].Value }
                    : new LinkHelp { Text = raw };
            }
        }

        private static IEnumerable<string> CodeBlocks(IEnumerable<string> lines) =>
            Paragraphs(lines.SkipWhile(l => !l.TrimStart().StartsWith("```", StringComparison.Ordinal)))
                .Take(1);

        private static IEnumerable<string> List(string value) =>
            value.Split(',').Select(v => v.Trim()).Where(v => v.Length > 0 && v != "None");

        private static bool IsTrue(string value) => value.StartsWith("True", StringComparison.OrdinalIgnoreCase);
    }
}
