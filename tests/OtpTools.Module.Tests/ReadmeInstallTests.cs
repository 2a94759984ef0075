using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace OtpTools.Module.Tests
{
    /// <summary>
    /// The README's blocks that build, package and install the module (the ones tests/pester/Readme.Tests.ps1 leaves
    /// out), run as written in real pwsh, in a copy of the repository with a HOME of its own: so the install lands in
    /// that HOME's module path and this checkout's out/ folder, which the other tests are using, is never touched.
    /// Its own collection, so it builds while the hosted tests run.
    /// </summary>
    public sealed class ReadmeInstallTests
    {
        private static readonly string[] Skipped = { "bin", "obj", "out", ".git", "TestResults", ".vs" };

        private static void CopyTree(string from, string to)
        {
            Directory.CreateDirectory(to);
            foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            foreach (var folder in Directory.GetDirectories(from).Where(d => !Skipped.Contains(Path.GetFileName(d))))
                CopyTree(folder, Path.Combine(to, Path.GetFileName(folder)));
        }

        /// <summary>Runs a process in the copy with the private HOME; returns its exit code and everything it printed.</summary>
        private static (int ExitCode, string Output) Run(string copy, string home, string file, params string[] arguments)
        {
            var start = Hermetic.StartInfo(file, arguments);
            start.WorkingDirectory = copy;
            start.Environment["HOME"] = home;
            foreach (var (name, sub) in new[] { ("XDG_CONFIG_HOME", ".config"), ("XDG_DATA_HOME", ".local/share"), ("XDG_CACHE_HOME", ".cache"), ("XDG_STATE_HOME", ".local/state") })
                start.Environment[name] = Path.Combine(home, sub);
            // A user's module path: pwsh starts it with the user's and its own module folders.
            start.Environment.Remove("PSModulePath");
            // No build server may outlive the build holding this test's output pipes open.
            start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
            start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
            start.Environment["UseSharedCompilation"] = "false";
            return RealPwsh.Run(start, TimeSpan.FromMinutes(20));
        }

        [Fact]
        public void The_READMEs_build_package_and_install_blocks_run_as_written_and_the_module_then_imports_by_name_from_the_users_module_path()
        {
            var readme = File.ReadAllText(Path.Combine(Paths.RepoRoot, "README.md"));
            var blocks = Regex.Matches(readme, "(?ms)^```powershell\\r?\\n(.*?)^```").Select(m => m.Groups[1].Value)
                .Where(code => Regex.IsMatch(code, @"(?m)^\s*dotnet |build\.ps1")).ToList();
            Assert.True(blocks.Count >= 2, "the README's build and install blocks were not found");
            Assert.Contains(blocks, b => b.Contains("Install-PSResource"));

            var root = Path.Combine(Hermetic.Root, "readme-install-" + Guid.NewGuid().ToString("N"));
            var copy = Path.Combine(root, "repo");
            var home = Path.Combine(root, "home");
            CopyTree(Paths.RepoRoot, copy);
            Directory.CreateDirectory(home);
            try
            {
                // As pasted into one session; a native command that fails stops it, as a person would stop.
                var script = "$ErrorActionPreference = 'Stop'\n$PSNativeCommandUseErrorActionPreference = $true\n" + string.Join("\n", blocks);
                var scriptFile = Path.Combine(root, "readme-install.ps1");
                File.WriteAllText(scriptFile, script);
                var (exitCode, output) = Run(copy, home, "dotnet", "pwsh", "-NoLogo", "-NoProfile", "-NonInteractive", "-File", scriptFile);
                Assert.True(exitCode == 0, "The README's blocks failed:\n" + output);
                Assert.Contains("Send-OtpCode", output);   // Get-Command -Module OtpTools after Import-Module ./out/OtpTools

                // A new session finds the installed module by name, from the user's module path in its HOME.
                var (_, found) = Run(copy, home, "dotnet", "pwsh", "-NoLogo", "-NoProfile", "-NonInteractive", "-Command",
                    "Import-Module OtpTools -ErrorAction Stop; (Get-Module OtpTools).ModuleBase; (Get-InstalledPSResource OtpTools).Name; (Get-Command Send-OtpCode).Source");
                var lines = found.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
                Assert.True(lines.Count >= 3, found);
                Assert.StartsWith(Path.Combine(home, ".local", "share", "powershell", "Modules", "OtpTools"), lines[0]);
                Assert.Contains("OtpTools", lines.Skip(1));

                // Debug and Release lay out the same out/OtpTools: the build says when one replaces the other.
                var (debugExit, debug) = Run(copy, home, "dotnet", "build", Path.Combine("src", "OtpTools", "OtpTools.csproj"));
                Assert.True(debugExit == 0, debug);
                Assert.Contains("the Debug build now replaces the Release build that was there", debug);
                var (againExit, again) = Run(copy, home, "dotnet", "build", Path.Combine("src", "OtpTools", "OtpTools.csproj"));
                Assert.True(againExit == 0, again);
                Assert.DoesNotContain("now replaces", again);
                Assert.Contains("(Debug build)", again);
            }
            finally
            {
                try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }
    }
}
