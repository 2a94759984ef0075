using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace OtpTools.Module.Tests
{
    /// <summary>Real PowerShell (the pwsh .NET tool pinned in .config/dotnet-tools.json) and how tests start it.</summary>
    public static class RealPwsh
    {
        private static readonly Lazy<string> PwshDll = new Lazy<string>(() =>
        {
            var (exitCode, output) = Run(new[] { "-Command", "[Console]::Out.Write((Join-Path $PSHOME 'pwsh.dll'))" }, TimeSpan.FromMinutes(2));
            Assert.True(exitCode == 0 && File.Exists(output.Trim()), "pwsh.dll not found: " + output);
            return output.Trim();
        });

        /// <summary>pwsh.dll of the pinned tool, for starting pwsh as one process (`dotnet pwsh.dll`), with no launcher in between.</summary>
        public static string Dll => PwshDll.Value;

        /// <summary>
        /// Runs pwsh with the hermetic environment; <paramref name="machineModulePath"/> plays the machine's installed
        /// modules. Returns the exit code and everything it printed.
        /// </summary>
        public static (int ExitCode, string Output) Run(IEnumerable<string> arguments, TimeSpan timeout, string? machineModulePath = null) =>
            Run(Hermetic.StartInfo("dotnet", new[] { "pwsh", "-NoLogo", "-NoProfile", "-NonInteractive" }.Concat(arguments), machineModulePath), timeout);

        /// <summary>Runs a prepared process (output redirected); its exit code and everything it printed. Killed, with all it started, past <paramref name="timeout"/>.</summary>
        public static (int ExitCode, string Output) Run(ProcessStartInfo start, TimeSpan timeout)
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit((int)timeout.TotalMilliseconds))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{start.FileName} {string.Join(" ", start.ArgumentList)} did not end within {timeout}:\n{stdout.Result}{stderr.Result}");
            }
            process.WaitForExit();
            return (process.ExitCode, stdout.Result + stderr.Result);
        }

        /// <summary>A folder with a module named like the real SecretManagement, as a user who installed it has.</summary>
        public static string DecoySecretManagement()
        {
            var folder = Path.Combine(Hermetic.Root, "machine-modules");
            var module = Path.Combine(folder, "Microsoft.PowerShell.SecretManagement");
            Directory.CreateDirectory(module);
            File.WriteAllText(Path.Combine(module, "Microsoft.PowerShell.SecretManagement.psm1"),
                "function Get-Secret { throw 'The machine''s SecretManagement was used by a test' }\nExport-ModuleMember -Function Get-Secret\n");
            return folder;
        }
    }

    /// <summary>
    /// The Pester suite (tests/pester) in real pwsh, one file per row, with a SecretManagement module in the inherited
    /// module path: the suite must pass the same whether the machine has one or not. Each run writes its counts to
    /// out/test-results/pester/ so that .ci/run can add them to the total. Not in the hosted collection: each file
    /// starts pwsh with an environment of its own and its own sandbox, so it runs beside the hosted tests.
    /// </summary>
    public sealed class PesterSuiteTests
    {
        public static IEnumerable<object[]> PesterFiles() =>
            Directory.GetFiles(Path.Combine(Paths.RepoRoot, "tests", "pester"), "*.Tests.ps1")
                .Select(f => new object[] { Path.GetFileName(f) }).OrderBy(f => (string)f[0]);

        [Theory]
        [MemberData(nameof(PesterFiles))]
        public void Pester_file_passes_in_real_pwsh_with_a_machine_secretmanagement_in_reach(string file)
        {
            var resultPath = Path.Combine(Paths.RepoRoot, "out", "test-results", "pester", Path.GetFileNameWithoutExtension(file) + ".json");
            if (File.Exists(resultPath)) File.Delete(resultPath);

            var (exitCode, output) = RealPwsh.Run(new[]
            {
                "-File", Path.Combine(Paths.RepoRoot, "tests", "pester", "Invoke-PesterSuite.ps1"),
                "-Path", Path.Combine(Paths.RepoRoot, "tests", "pester", file),
                "-ResultPath", resultPath,
                "-Configuration", Paths.Configuration,
            }, TimeSpan.FromMinutes(5), RealPwsh.DecoySecretManagement());

            Assert.True(File.Exists(resultPath), $"Pester wrote no result for {file}:\n{output}");
            using var result = JsonDocument.Parse(File.ReadAllText(resultPath));
            var failures = result.RootElement.GetProperty("Failures").EnumerateArray().Select(f => f.GetString()).ToList();
            Assert.True(failures.Count == 0 && exitCode == 0, $"{file}: exit code {exitCode}\n{string.Join("\n", failures)}\n{output}");
            Assert.True(result.RootElement.GetProperty("Passed").GetInt32() > 0, $"{file} ran no test:\n{output}");
        }
    }
}
