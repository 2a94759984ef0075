using System;
using System.IO;
using System.Linq;
using System.Text;

namespace OtpTools.HelpBuilder
{
    /// <summary>
    /// Usage: OtpTools.HelpBuilder &lt;docs folder&gt; &lt;output culture folder, e.g. out/OtpTools/en-US&gt;.
    /// Cmdlet markdown (front matter with "external help file") → one MAML file per external help file name;
    /// about_*.md → about_*.help.txt.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length != 2)
            {
                Console.Error.WriteLine("usage: OtpTools.HelpBuilder <docs folder> <output folder>");
                return 2;
            }
            try
            {
                foreach (var written in HelpGenerator.Generate(args[0], args[1]))
                    Console.WriteLine($"help: wrote {written}");
                return 0;
            }
            catch (Exception e) when (e is FormatException || e is IOException)
            {
                // MSBuild shows "error" lines in the build summary.
                Console.Error.WriteLine($"error OTPHELP001: {e.Message}");
                return 1;
            }
        }
    }

    public static class HelpGenerator
    {
        private static readonly Encoding Utf8 = new UTF8Encoding(false);

        /// <summary>Writes every help file the docs folder describes; returns the paths written.</summary>
        public static string[] Generate(string docsFolder, string outputFolder)
        {
            Directory.CreateDirectory(outputFolder);
            var markdown = Directory.GetFiles(docsFolder, "*.md").OrderBy(p => p, StringComparer.Ordinal).ToList();
            var commands = markdown
                .Where(p => MarkdownHelpParser.IsCommandHelp(File.ReadAllText(p)))
                .Select(MarkdownHelpParser.ParseFile)
                .ToList();
            var written = commands
                .GroupBy(c => c.ExternalHelpFile!, StringComparer.OrdinalIgnoreCase)
                .Select(g =>
                {
                    var path = Path.Combine(outputFolder, g.Key);
                    var xml = MamlWriter.Write(g);
                    using (var writer = new StringWriter())
                    {
                        xml.Save(writer);
                        File.WriteAllText(path, writer.ToString().Replace("utf-16", "utf-8") + "\n", Utf8);
                    }
                    return path;
                })
                .ToList();
            foreach (var about in markdown.Where(p => Path.GetFileName(p).StartsWith("about_", StringComparison.OrdinalIgnoreCase)))
            {
                var path = Path.Combine(outputFolder, Path.GetFileNameWithoutExtension(about) + ".help.txt");
                File.WriteAllText(path, AboutTopicWriter.Write(File.ReadAllText(about)), Utf8);
                written.Add(path);
            }
            return written.ToArray();
        }
    }
}
