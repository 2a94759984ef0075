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
    }
}
