using System;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;

namespace OtpTools.Engine.Tests
{
    /// <summary>The sandbox as a user starts it (`dotnet run --project src/OtpTools.Sandbox`) behaves like a server.</summary>
    public sealed class SandboxProcessTests
    {
        private static string SandboxDll
        {
            get
            {
                var dir = new DirectoryInfo(AppContext.BaseDirectory);
                var configuration = dir.Parent!.Name;   // bin/<Configuration>/net10.0/
                while (dir != null && !File.Exists(Path.Combine(dir.FullName, "OtpTools.sln"))) dir = dir.Parent;
                return Path.Combine(dir!.FullName, "src", "OtpTools.Sandbox", "bin", configuration, "net10.0", "OtpTools.Sandbox.dll");
            }
        }

        private sealed class SandboxProcess : IDisposable
        {
            public Process Process { get; }
            public Uri Uri { get; }
            public StringWriter Output { get; } = new StringWriter();

            public SandboxProcess(params string[] arguments)
            {
                var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
                start.ArgumentList.Add(SandboxDll);
                foreach (var argument in arguments) start.ArgumentList.Add(argument);
                Process = Process.Start(start)!;
                Process.ErrorDataReceived += (_, e) => { lock (Output) Output.WriteLine(e.Data); };
                Process.BeginErrorReadLine();
                var first = Process.StandardOutput.ReadLine() ?? "";
                Output.WriteLine(first);
                var match = Regex.Match(first, @"listening on (\S+)");
                Assert.True(match.Success, "The sandbox printed no address: " + first + Output);
                Uri = new Uri(match.Groups[1].Value);
                _ = Task.Run(() => { for (string? line; (line = Process.StandardOutput.ReadLine()) != null;) lock (Output) Output.WriteLine(line); });
            }

            public void Signal(string signal)
            {
                using var kill = Process.Start("kill", new[] { "-" + signal, Process.Id.ToString() })!;
                kill.WaitForExit();
            }

            public void Dispose()
            {
                if (!Process.HasExited) Process.Kill();
                Process.Dispose();
            }
        }

        [Fact]
        public async Task Port_0_picks_a_free_port_prints_the_url_and_answers_with_its_own_process_id()
        {
            using var sandbox = new SandboxProcess("--port", "0");
            Assert.NotEqual(0, sandbox.Uri.Port);
            using var http = new HttpClient();
            Assert.Equal(sandbox.Process.Id.ToString(), await http.GetStringAsync(new Uri(sandbox.Uri, "/_sandbox/pid")));
        }

        [Fact]
        public async Task A_busy_port_is_one_clear_line_and_a_non_zero_exit_without_a_stack_trace()
        {
            using var first = new SandboxProcess("--port", "0");
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { SandboxDll, "--port", first.Uri.Port.ToString() }) start.ArgumentList.Add(argument);
            using var second = Process.Start(start)!;
            var stdout = second.StandardOutput.ReadToEndAsync();
            var stderr = second.StandardError.ReadToEnd().Trim();
            Assert.True(second.WaitForExit(30_000));

            Assert.Equal(1, second.ExitCode);
            Assert.Contains($"port {first.Uri.Port}", stderr);
            Assert.Contains("--port", stderr);
            Assert.DoesNotContain("\n", stderr);
            var output = stderr + await stdout;
            Assert.DoesNotContain("Unhandled", output);
            Assert.DoesNotContain(" at ", output);
        }

        [Theory]
        [InlineData("TERM")]
        [InlineData("INT")]
        public void A_termination_signal_stops_the_sandbox_cleanly(string signal)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return;   // POSIX signals
            using var sandbox = new SandboxProcess("--port", "0");
            sandbox.Signal(signal);
            Assert.True(sandbox.Process.WaitForExit(15_000), $"SIG{signal} did not stop the sandbox:\n{sandbox.Output}");
            Assert.Equal(0, sandbox.Process.ExitCode);
        }

        [Fact]
        public async Task Latency_option_delays_every_answer_by_at_least_that_long()
        {
            using var sandbox = new SandboxProcess("--port", "0", "--latency", "400");
            using var http = new HttpClient();
            var clock = Stopwatch.StartNew();
            using var answer = await http.GetAsync(new Uri(sandbox.Uri, "/otpblue/imsg/api/v1/otp/available-regions/"));
            Assert.True(clock.ElapsedMilliseconds >= 390, $"answered after {clock.ElapsedMilliseconds} ms");
        }

        [Fact]
        public void An_option_it_does_not_know_is_a_usage_error()
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { SandboxDll, "--prot", "5080" }) start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEnd();
            Assert.True(process.WaitForExit(30_000));
            Assert.Equal(2, process.ExitCode);
            Assert.Contains("'--prot'", stderr);
            Assert.Contains("usage:", stderr);
        }
    }
}
