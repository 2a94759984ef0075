using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using Xunit;

namespace OtpTools.Module.Tests
{
    /// <summary>
    /// This machine has no pwsh, so the Pester suite and build.ps1 cannot run here; the hosted engine's parser at least
    /// proves every script parses (a syntax error fails here, not first on a user's machine).
    /// </summary>
    public sealed class ScriptParseTests
    {
        public static IEnumerable<object[]> Scripts() =>
            Directory.EnumerateFiles(Path.Combine(Paths.RepoRoot, "tests", "pester"), "*.ps1")
                .Append(Path.Combine(Paths.RepoRoot, "build.ps1"))
                .Concat(Directory.EnumerateFiles(Path.Combine(Paths.RepoRoot, "demo"), "*.ps1", SearchOption.AllDirectories))
                .Select(p => new object[] { Path.GetRelativePath(Paths.RepoRoot, p).Replace('\\', '/') });

        [Theory]
        [MemberData(nameof(Scripts))]
        public void Script_parses_without_errors(string relativePath)
        {
            Parser.ParseFile(Path.Combine(Paths.RepoRoot, relativePath), out _, out var errors);
            Assert.True(errors.Length == 0, string.Join("\n", errors.Select(e => $"{relativePath}:{e.Extent.StartLineNumber}: {e.Message}")));
        }

        [Fact]
        public void The_Pester_suite_has_a_test_file_per_area_and_each_uses_Pester_5_blocks()
        {
            var files = Directory.EnumerateFiles(Path.Combine(Paths.RepoRoot, "tests", "pester"), "*.Tests.ps1").ToList();
            Assert.True(files.Count >= 4, "expected a Pester file per area");
            foreach (var file in files)
            {
                var ast = Parser.ParseFile(file, out _, out _);
                var commands = ast.FindAll(a => a is CommandAst, true).Cast<CommandAst>().Select(c => c.GetCommandName()).ToHashSet();
                Assert.Contains("BeforeAll", commands);
                Assert.Contains("Describe", commands);
                Assert.Contains("It", commands);
            }
        }
    }
}
