using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace OtpTools.HelpBuilder
{
    /// <summary>
    /// Turns an about_*.md topic into the plain-text about_*.help.txt Get-Help shows: "TOPIC", then each "##" section
    /// as an upper-case heading with its text indented and wrapped at 80 columns ("SHORT DESCRIPTION" must come
    /// first after the topic name: Get-Help takes the synopsis from the line under it).
    /// </summary>
    public static class AboutTopicWriter
    {
        public const int Width = 80;
        private const string Indent = "    ";

        public static string Write(string markdown)
        {
            var lines = MarkdownHelpParser.SplitLines(markdown);
            MarkdownHelpParser.FrontMatter(lines, out var bodyStart);
            var sections = MarkdownHelpParser.Sections(lines.Skip(bodyStart));
            var topic = sections.FirstOrDefault(s => s.Level == 1)?.Title
                        ?? throw new FormatException("An about topic needs a '# about_<Name>' heading.");
            var text = new StringBuilder();
            text.Append("TOPIC\n").Append(Indent).Append(topic).Append("\n\n");
            foreach (var section in sections.Where(s => s.Level > 1))
            {
                if (section.Level == 2)
                {
                    // platyPS's template repeats the topic name as a level-2 heading; it is already printed.
                    if (section.Title.Equals(topic, StringComparison.OrdinalIgnoreCase)) continue;
                    text.Append(section.Title.ToUpperInvariant()).Append('\n');
                }
                else
                {
                    text.Append(Indent).Append(section.Title).Append('\n')
                        .Append(Indent).Append(new string('-', section.Title.Length)).Append('\n');
                }
                AppendBody(text, section.Lines);
            }
            return text.ToString().TrimEnd('\n') + "\n";
        }

        private static void AppendBody(StringBuilder text, List<string> lines)
        {
            var blocks = Blocks(lines);
            foreach (var block in blocks)
            {
                if (block.Kind == BlockKind.Code)
                    foreach (var line in block.Lines) text.Append(Indent).Append(Indent).Append(line).Append('\n');
                else if (block.Kind == BlockKind.Table)
                    AppendTable(text, block.Lines);
                else if (block.Kind == BlockKind.List)
                    foreach (var item in ListItems(block.Lines))
                    {
                        var bullet = Regex.Match(item, @"^([-*+]|\d+\.)\s+");
                        var marker = bullet.Groups[1].Value == "*" || bullet.Groups[1].Value == "+" ? "-" : bullet.Groups[1].Value;
                        Wrap(text, MarkdownHelpParser.Inline(item.Substring(bullet.Length)), Indent + marker + " ",
                            Indent + new string(' ', marker.Length + 1));
                    }
                else
                    Wrap(text, MarkdownHelpParser.Inline(string.Join(" ", block.Lines.Select(l => l.Trim()))), Indent, Indent);
                text.Append('\n');
            }
        }

        /// <summary>A list item with its continuation lines joined.</summary>
        private static IEnumerable<string> ListItems(List<string> lines)
        {
            var current = (string?)null;
            foreach (var line in lines)
            {
                if (MarkdownHelpParser.IsListItem(line))
                {
                    if (current != null) yield return current;
                    current = line.Trim();
                }
                else current = (current == null ? "" : current + " ") + line.Trim();
            }
            if (current != null) yield return current;
        }

        /// <summary>Columns padded to the widest cell; the last column wraps under itself.</summary>
        private static void AppendTable(StringBuilder text, List<string> lines)
        {
            var rows = lines
                .Where(l => !Regex.IsMatch(l, @"^\s*\|?\s*:?-{2,}"))
                .Select(l => l.Trim().Trim('|').Split('|').Select(c => MarkdownHelpParser.Inline(c.Trim())).ToArray())
                .ToList();
            var columns = rows.Max(r => r.Length);
            var widths = Enumerable.Range(0, columns - 1)
                .Select(i => rows.Max(r => i < r.Length ? r[i].Length : 0)).ToArray();
            var lead = Indent + string.Concat(widths.Select(w => new string(' ', w + 2)));
            foreach (var row in rows)
            {
                var first = Indent + string.Concat(Enumerable.Range(0, columns - 1)
                    .Select(i => (i < row.Length ? row[i] : "").PadRight(widths[i] + 2)));
                var last = row.Length >= columns ? row[columns - 1] : "";
                if (lead.Length > Width - 20) text.Append(first.TrimEnd()).Append('\n').Append(Indent).Append(Indent).Append(last).Append('\n');
                else Wrap(text, last, first, lead);
            }
        }

        private static void Wrap(StringBuilder text, string content, string firstIndent, string nextIndent)
        {
            var line = new StringBuilder(firstIndent);
            var empty = true;
            foreach (var word in content.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!empty && line.Length + 1 + word.Length > Width)
                {
                    text.Append(line.ToString().TrimEnd()).Append('\n');
                    line.Clear().Append(nextIndent);
                    empty = true;
                }
                if (!empty) line.Append(' ');
                line.Append(word);
                empty = false;
            }
            text.Append(line.ToString().TrimEnd()).Append('\n');
        }

        private enum BlockKind { Paragraph, List, Code, Table }

        private sealed class Block
        {
            public BlockKind Kind { get; set; }
            public List<string> Lines { get; } = new List<string>();
        }

        private static List<Block> Blocks(List<string> lines)
        {
            var blocks = new List<Block>();
            Block? current = null;
            var inFence = false;
            foreach (var line in lines)
            {
                if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
                {
                    if (!inFence) blocks.Add(current = new Block { Kind = BlockKind.Code });
                    else current = null;
                    inFence = !inFence;
                    continue;
                }
                if (inFence)
                {
                    current!.Lines.Add(line);
                    continue;
                }
                if (string.IsNullOrWhiteSpace(line))
                {
                    current = null;
                    continue;
                }
                if (current == null)
                {
                    var kind = line.TrimStart().StartsWith("|", StringComparison.Ordinal) ? BlockKind.Table
                        : MarkdownHelpParser.IsListItem(line) ? BlockKind.List : BlockKind.Paragraph;
                    blocks.Add(current = new Block { Kind = kind });
                }
                current.Lines.Add(line);
            }
            return blocks;
        }
    }
}
