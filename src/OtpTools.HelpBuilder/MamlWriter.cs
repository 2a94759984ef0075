using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;

namespace OtpTools.HelpBuilder
{
    /// <summary>
    /// Writes the MAML command help that Get-Help reads (the shape platyPS's New-ExternalHelp produces):
    /// helpItems / command:command with details, description, syntax, parameters, inputTypes, returnValues,
    /// alertSet, examples and relatedLinks.
    /// </summary>
    public static class MamlWriter
    {
        public static readonly XNamespace Msh = "http://msh";
        public static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        public static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        public static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
        public static readonly XNamespace MSHelp = "http://msdn.microsoft.com/mshelp";

        public static XDocument Write(IEnumerable<CommandHelp> commands) =>
            new XDocument(new XDeclaration("1.0", "utf-8", null),
                new XElement(Msh + "helpItems", new XAttribute("schema", "maml"),
                    commands.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).Select(WriteCommand)));

        public static XElement WriteCommand(CommandHelp help) =>
            new XElement(Command + "command",
                new XAttribute(XNamespace.Xmlns + "maml", Maml),
                new XAttribute(XNamespace.Xmlns + "command", Command),
                new XAttribute(XNamespace.Xmlns + "dev", Dev),
                new XAttribute(XNamespace.Xmlns + "MSHelp", MSHelp),
                new XElement(Command + "details",
                    new XElement(Command + "name", help.Name),
                    new XElement(Command + "verb", help.Verb),
                    new XElement(Command + "noun", help.Noun),
                    Description(new[] { help.Synopsis })),
                Description(help.Description),
                new XElement(Command + "syntax", SyntaxItems(help)),
                new XElement(Command + "parameters", help.Parameters.Select(p => Parameter(p, p.Position))),
                new XElement(Command + "inputTypes", help.Inputs.Select(t => TypeElement("inputType", t))),
                new XElement(Command + "returnValues", help.Outputs.Select(t => TypeElement("returnValue", t))),
                new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paras(help.Notes))),
                new XElement(Command + "examples", help.Examples.Select(Example)),
                new XElement(Command + "relatedLinks", Links(help)));

        /// <summary>
        /// One syntaxItem per parameter set named in SYNTAX, holding the parameters whose "Parameter Sets" include it
        /// (positional ones first, as PowerShell's own syntax lines order them).
        /// </summary>
        private static IEnumerable<XElement> SyntaxItems(CommandHelp help)
        {
            var sets = help.Syntax.Count > 0 ? help.Syntax.Select(s => s.SetName).ToList() : new List<string> { SyntaxBlock.AllSets };
            foreach (var set in sets)
            {
                var members = help.Parameters
                    .Select(p => p.ForSet(set))
                    .Where(p => p != null)
                    .Select(p => p!)
                    .OrderBy(p => int.TryParse(p.Position, out var n) ? n : int.MaxValue);
                yield return new XElement(Command + "syntaxItem",
                    new XElement(Maml + "name", help.Name),
                    members.Select(p => Parameter(p, p.Position, inSyntax: true)));
            }
        }

        private static XElement Parameter(ParameterHelp p, string position, bool inSyntax = false)
        {
            var element = new XElement(Command + "parameter",
                new XAttribute("required", p.Required ? "true" : "false"),
                new XAttribute("variableLength", "true"),
                new XAttribute("globbing", p.Wildcard ? "true" : "false"),
                new XAttribute("pipelineInput", p.PipelineInput),
                new XAttribute("position", position.Equals("Named", StringComparison.OrdinalIgnoreCase) ? "named" : position),
                new XAttribute("aliases", p.Aliases.Count == 0 ? "none" : string.Join(", ", p.Aliases)),
                new XElement(Maml + "name", p.Name),
                Description(p.Description));
            if (p.AcceptedValues.Count > 0)
                element.Add(new XElement(Command + "parameterValueGroup",
                    p.AcceptedValues.Select(v => new XElement(Command + "parameterValue",
                        new XAttribute("required", "false"), new XAttribute(Command + "variableLength", "false"), v))));
            if (!p.IsSwitch)
                element.Add(new XElement(Command + "parameterValue",
                    new XAttribute("required", "true"), new XAttribute("variableLength", "false"), p.Type));
            if (!inSyntax || !p.IsSwitch)
            {
                element.Add(new XElement(Dev + "type", new XElement(Maml + "name", p.Type), new XElement(Maml + "uri")));
                element.Add(new XElement(Dev + "defaultValue", p.DefaultValue));
            }
            return element;
        }

        private static XElement TypeElement(string kind, TypeHelp type) =>
            new XElement(Command + kind,
                new XElement(Dev + "type", new XElement(Maml + "name", type.TypeName)),
                Description(type.Description));

        private static XElement Example(ExampleHelp example) =>
            new XElement(Command + "example",
                new XElement(Maml + "title", $"-------------------------- {example.Title} --------------------------"),
                new XElement(Dev + "code", string.Join("\n\n", example.Code)),
                new XElement(Dev + "remarks", Paras(example.Remarks)));

        private static IEnumerable<XElement> Links(CommandHelp help)
        {
            if (help.OnlineVersion != null) yield return Link("Online Version:", help.OnlineVersion);
            foreach (var link in help.RelatedLinks) yield return Link(link.Text, link.Uri);
        }

        private static XElement Link(string text, string uri) =>
            new XElement(Maml + "navigationLink", new XElement(Maml + "linkText", text), new XElement(Maml + "uri", uri));

        private static XElement Description(IEnumerable<string> paragraphs) =>
            new XElement(Maml + "description", Paras(paragraphs));

        private static IEnumerable<XElement> Paras(IEnumerable<string> paragraphs)
        {
            var list = paragraphs.Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
            return list.Count == 0 ? new[] { new XElement(Maml + "para") } : list.Select(p => new XElement(Maml + "para", p));
        }
    }
}
