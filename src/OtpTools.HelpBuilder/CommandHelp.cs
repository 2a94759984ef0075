using System.Collections.Generic;
using System.Linq;

namespace OtpTools.HelpBuilder
{
    /// <summary>One cmdlet's help as a platyPS markdown file describes it.</summary>
    public sealed class CommandHelp
    {
        public string Name { get; set; } = "";
        public string? ExternalHelpFile { get; set; }
        public string? ModuleName { get; set; }
        public string? OnlineVersion { get; set; }
        public string Synopsis { get; set; } = "";
        public List<string> Description { get; } = new List<string>();
        public List<SyntaxBlock> Syntax { get; } = new List<SyntaxBlock>();
        public List<ExampleHelp> Examples { get; } = new List<ExampleHelp>();
        public List<ParameterHelp> Parameters { get; } = new List<ParameterHelp>();
        public List<TypeHelp> Inputs { get; } = new List<TypeHelp>();
        public List<TypeHelp> Outputs { get; } = new List<TypeHelp>();
        public List<string> Notes { get; } = new List<string>();
        public List<LinkHelp> RelatedLinks { get; } = new List<LinkHelp>();

        public string Verb => Name.Contains('-') ? Name.Substring(0, Name.IndexOf('-')) : Name;
        public string Noun => Name.Contains('-') ? Name.Substring(Name.IndexOf('-') + 1) : "";
    }

    /// <summary>A `## SYNTAX` block: a parameter set name ("__AllParameterSets" when the file has one set) and its text.</summary>
    public sealed class SyntaxBlock
    {
        public string SetName { get; set; } = AllSets;
        public bool IsDefault { get; set; }
        public string Text { get; set; } = "";
        public const string AllSets = "__AllParameterSets";
    }

    public sealed class ExampleHelp
    {
        public string Title { get; set; } = "";
        public List<string> Code { get; } = new List<string>();
        public List<string> Remarks { get; } = new List<string>();
    }

    public sealed class ParameterHelp
    {
        public string Name { get; set; } = "";
        public List<string> Description { get; } = new List<string>();
        public string Type { get; set; } = "";
        /// <summary>Set names, or "(All)".</summary>
        public List<string> ParameterSets { get; } = new List<string>();
        public List<string> Aliases { get; } = new List<string>();
        public List<string> AcceptedValues { get; } = new List<string>();
        public bool Required { get; set; }
        /// <summary>"Named" or a number, as written.</summary>
        public string Position { get; set; } = "Named";
        public string DefaultValue { get; set; } = "None";
        /// <summary>"False", "True (ByValue)", "True (ByPropertyName)", "True (ByPropertyName, ByValue)".</summary>
        public string PipelineInput { get; set; } = "False";
        public bool Wildcard { get; set; }
        /// <summary>
        /// Further ```yaml blocks: platyPS writes one per distinct metadata, e.g. mandatory in one set and optional in
        /// another. Each variant carries its own sets, Required, Position and pipeline input.
        /// </summary>
        public List<ParameterHelp> Variants { get; } = new List<ParameterHelp>();

        /// <summary>The metadata that applies in a parameter set (null when the parameter is not in it).</summary>
        public ParameterHelp? ForSet(string set)
        {
            if (set == SyntaxBlock.AllSets) return this;
            foreach (var candidate in new[] { this }.Concat(Variants))
                if (candidate.InAllSets || candidate.ParameterSets.Contains(set, System.StringComparer.OrdinalIgnoreCase)) return candidate;
            return null;
        }

        public bool InAllSets => ParameterSets.Count == 0 || ParameterSets.Contains("(All)");
        public bool IsSwitch => Type == "SwitchParameter";
    }

    public sealed class TypeHelp
    {
        public string TypeName { get; set; } = "";
        public List<string> Description { get; } = new List<string>();
    }

    public sealed class LinkHelp
    {
        public string Text { get; set; } = "";
        public string Uri { get; set; } = "";
    }
}
