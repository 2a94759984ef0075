using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace OtpTools.HelpBuilder
{
    /// <summary>
    /// Turns an about_*.md topic into the plain-text about_*.help.txt Get-Help shows: "TOPIC" and the name, then each
    /// section as an upper-case heading with its text indented and wrapped at 80 columns, subtopics underlined.
    /// "SHORT DESCRIPTION" comes first: Get-Help takes the topic's synopsis from the line under it.
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
            var topic = sections.FirstOrDefault(s => s.Title.StartsWith("about_", StringComparison.OrdinalIgnoreCase))
                        ?? throw new FormatException("An about topic needs an 'about_<Name>' heading.");
            // platyPS's template puts sections under "#" (after "# Name" / "## about_Name"); PowerShell-Docs under "##".
            var sectionLevel = sections.FirstOrDefault(s => s.Title.Equals("SHORT DESCRIPTION", StringComparison.OrdinalIgnoreCase))?.Level
                               ?? throw new FormatException($"{topic.Title}: no 'SHORT DESCRIPTION' heading (Get-Help reads the synopsis under it).");
            var text = new StringBuilder();
            text.Append("TOPIC\n").Append(Indent).Append(topic.Title).Append("\n\n");
            // Everything before SHORT DESCRIPTION is the title block, already printed as TOPIC.
            foreach (var section in sections.SkipWhile(s => !s.Title.Equals("SHORT DESCRIPTION", StringComparison.OrdinalIgnoreCase)))
            {
                if (section.Level <= sectionLevel)
                    text.Append(section.Title.ToUpperInvariant()).Append('\n');
                else
                    text.Append(Indent).Append(section.Title).Append('\n')
                        .Append(Indent).Append(new string('-', section.Title.Length)).Append('\n');
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

        /// <summary>
        /// A table that fits in 80 columns keeps its columns; a wider one becomes one record per row (first cell, then
        /// "Header: value" lines), which stays readable in a console.
        /// </summary>
        private static void AppendTable(StringBuilder text, List<string> lines)
        {
            var rows = lines
                .Where(l => !Regex.IsMatch(l, @"^\s*\|?\s*:?-{2,}"))
                .Select(l => l.Trim().Trim('|').Split('|').Select(c => MarkdownHelpParser.Inline(c.Trim())).ToArray())
                .ToList();
            var columns = rows.Max(r => r.Length);
            var widths = Enumerable.Range(0, columns).Select(i => rows.Max(r => i < r.Length ? r[i].Length : 0)).ToArray();
            if (Indent.Length + widths.Sum() + 2 * (columns - 1) <= Width)
            {
                foreach (var row in rows)
                    text.Append((Indent + string.Join("  ", Enumerable.Range(0, columns)
                        .Select(i => (i < row.Length ? row[i] : "").PadRight(widths[i])))).TrimEnd()).Append('\n');
                return;
            }
            var header = rows[0];
            for (var r = 1; r < rows.Count; r++)
            {
                var row = rows[r];
                text.Append(Indent).Append(row[0]).Append('\n');
                for (var i = 1; i < row.Length; i++)
                {
                    var label = i < header.Length && header[i].Length > 0 ? header[i] + ": " : "";
                    Wrap(text, label + row[i], Indent + Indent, Indent + Indent);
                }
                if (r < rows.Count - 1) text.Append('\n');
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
