using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using OtpTools.Sandbox;
using Xunit;

namespace OtpTools.Module.Tests
{
    /// <summary>
    /// A real pwsh sending 2,000 rows with latency is interrupted with Ctrl+C (SIGINT in a terminal) and killed with
    /// SIGKILL at random moments, then resumed from its journal: nobody gets two codes, every row that never left is sent,
    /// and the journal accounts for every row.
    /// </summary>
    [Collection(ModuleCollection.Name)]
    public sealed class KillAndResumeTests
    {
        private const int Rows = 2000;
        private const int ThrottleLimit = 8;
        private readonly ModuleFixture _m;

        public KillAndResumeTests(ModuleFixture fixture) => _m = fixture;

        private static string Script(string csv, string journal, bool resume) =>
            $"Import-Module '{Paths.Manifest}'; Import-Csv '{csv}' | Send-OtpCode -Provider OtpBlue -Code 1 -ThrottleLimit {ThrottleLimit} " +
            $"-JournalPath '{journal}'{(resume ? " -Resume" : "")} -ErrorAction SilentlyContinue | Out-Null";

        private ProcessStartInfo Pwsh(string script)
        {
            var start = Hermetic.StartInfo("dotnet", new[] { RealPwsh.Dll, "-NoLogo", "-NoProfile", "-Command", script });
            start.Environment["OTPTOOLS_OTPBLUE_BASEURI"] = _m.Sandbox.UriFor("otpblue");
            start.Environment["OTPTOOLS_OTPBLUE_APIKEY"] = SandboxKeys.OtpBlue;
            return start;
        }

        [Fact]
        public async Task Ctrl_C_and_kill_9_mid_run_then_resume_send_every_row_once()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return;   // POSIX signals and tmux
            // Seeded: where the interrupt and the kill land varies with the seed, not from one run to the next.
            var random = new Random(20261207);
            var folder = Path.Combine(Hermetic.Root, "kill-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            var csv = Path.Combine(folder, "numbers.csv");
            var journal = Path.Combine(folder, "run.jsonl");
            // 0412 is a mobile range libphonenumber knows (not every +614... number is valid).
            var first = random.Next(0, 990) * 1000;
            var numbers = Enumerable.Range(first, Rows).Select(i => "+61412" + i.ToString("D6")).ToList();
            File.WriteAllLines(csv, new[] { "Phone" }.Concat(numbers));
            var since = _m.Sandbox.OtpBlue.Deliveries.Count;
            _m.Sandbox.Faults.SetLatency("otpblue", TimeSpan.FromMilliseconds(100));
            try
            {
                // 1. Ctrl+C: pwsh takes SIGINT as Ctrl+C only in a terminal, so it runs in a tmux pane of its own.
                var lines = random.Next(20, 200);
                var requests = _m.Sandbox.RequestCount("otpblue");
                RunInTerminalAndInterrupt(Script(csv, journal, resume: false),
                    ready: () => File.Exists(journal) && File.ReadAllLines(journal).Length > lines, out var requestsAtInterrupt);
                Assert.True(requestsAtInterrupt > requests);
                var afterInterrupt = Journaled(journal);
                Assert.InRange(afterInterrupt.Count, 1, Rows - 1);
                Assert.True(afterInterrupt.Count(r => r.Status == "unknown") <= ThrottleLimit);

                // 2. kill -9 in the middle of the resumed run: no chance to clean up at all.
                using (var process = Process.Start(Pwsh(Script(csv, journal, resume: true)))!)
                {
                    // Killed at a random moment once it is sending (start-up and reading the input take a while on a busy machine).
                    var linesBefore = File.ReadAllLines(journal).Length;
                    var more = random.Next(20, 200);
                    var deadline = DateTime.UtcNow.AddSeconds(90);
                    while (File.ReadAllLines(journal).Length < linesBefore + more && DateTime.UtcNow < deadline && !process.HasExited) Thread.Sleep(20);
                    process.Kill();
                    Assert.True(process.WaitForExit(10_000));
                }
                var afterKill = Journaled(journal);
                Assert.True(afterKill.Count > afterInterrupt.Count, "the resumed run sent nothing before it was killed");
                Assert.True(afterKill.Count(r => r.Status == "unknown") <= 2 * ThrottleLimit);

                // 3. Resume to the end.
                using (var process = Process.Start(Pwsh(Script(csv, journal, resume: true)))!)
                {
                    var output = process.StandardOutput.ReadToEndAsync();
                    var errors = process.StandardError.ReadToEndAsync();
                    Assert.True(process.WaitForExit(180_000), "the last resume did not finish");
                    Assert.True(process.ExitCode == 0, await output + await errors);
                }
            }
            finally
            {
                _m.Sandbox.Faults.Clear();
            }

            var final = Journaled(journal);
            Assert.Equal(Enumerable.Range(1, Rows), final.Select(r => r.Position));
            var delivered = _m.Sandbox.OtpBlue.Deliveries.Skip(since).Select(d => d.Contact).ToList();
            Assert.Equal(delivered.Count, delivered.Distinct().Count());   // nobody got two codes
            var unknown = final.Where(r => r.Status == "unknown").ToList();
            Assert.True(unknown.Count <= 2 * ThrottleLimit, $"{unknown.Count} rows unknown");
            Assert.All(unknown, r => Assert.Contains(r.ErrorId, new[] { "Journal.InFlightWhenStopped", "Send.StoppedInFlight" }));
            // Every row whose request never left was sent by a resume; only unknown rows may lack a delivery.
            Assert.Equal(numbers.Except(unknown.Select(r => r.Recipient!)).OrderBy(n => n), delivered.Except(unknown.Select(r => r.Recipient!)).OrderBy(n => n));
            Assert.All(final.Where(r => r.Status != "unknown"), r => Assert.Equal("delivered", r.Status));
        }

        /// <summary>The journal as Import-OtpJournal reads it.</summary>
        private List<OtpSendResult> Journaled(string journal)
        {
            var run = _m.Run("Import-OtpJournal $journal", new Dictionary<string, object?> { ["journal"] = journal });
            Assert.Null(run.Terminating);
            return run.Objects<OtpSendResult>().ToList();
        }

        /// <summary>
        /// Runs pwsh in a window of a private tmux server, sends SIGINT once <paramref name="ready"/> holds; returns what
        /// the terminal showed, and the sandbox's OTP Blue request count at the interrupt. Fails if pwsh has not ended 30
        /// seconds after it (the point is that it ends at once; the bound only keeps a broken build from hanging the suite).
        /// </summary>
        private string RunInTerminalAndInterrupt(string script, Func<bool> ready, out int requestsAtInterrupt)
        {
            var socket = "otptools-test-" + Guid.NewGuid().ToString("N");
            var start = Pwsh(script);
            var command = "exec dotnet " + string.Join(" ", start.ArgumentList.Select(Quote));
            Tmux(start, socket, "-f", "/dev/null", "new-session", "-d", "-x", "200", "-y", "50", "sleep 600");
            try
            {
                // The window stays after pwsh ends, so its last words can be read.
                Tmux(start, socket, "set-option", "-g", "remain-on-exit", "on");
                var created = Tmux(start, socket, "new-window", "-d", "-P", "-F", "#{pane_pid} #{window_id}", command).Trim().Split(' ');
                using var pwsh = Process.GetProcessById(int.Parse(created[0]));
                // Interrupted once it is under way (start-up takes a while on a busy machine): an event, not a time.
                var deadline = DateTime.UtcNow.AddSeconds(90);
                while (!ready() && DateTime.UtcNow < deadline && !pwsh.HasExited) Thread.Sleep(20);
                requestsAtInterrupt = _m.Sandbox.RequestCount("otpblue");
                using (var kill = Process.Start("kill", new[] { "-INT", created[0] })!) kill.WaitForExit();
                // Ended means exited, or a zombie tmux has not reaped yet (a busy tmux server reaps late; pwsh is gone).
                var until = DateTime.UtcNow.AddSeconds(30);
                while (!pwsh.HasExited && !IsZombie(pwsh.Id) && DateTime.UtcNow < until) Thread.Sleep(20);
                if (!pwsh.HasExited && !IsZombie(pwsh.Id))
                    Assert.Fail("pwsh did not end after Ctrl+C; the terminal shows:\n" + Tmux(start, socket, "capture-pane", "-p", "-J", "-S", "-", "-t", created[1]));
                return Tmux(start, socket, "capture-pane", "-p", "-J", "-S", "-", "-t", created[1]);
            }
            finally
            {
                Tmux(start, socket, "kill-server");
            }
        }

        [Fact]
        public void Ctrl_C_without_a_journal_warns_which_rows_were_in_flight()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return;
            var folder = Path.Combine(Hermetic.Root, "warn-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            var csv = Path.Combine(folder, "numbers.csv");
            File.WriteAllLines(csv, new[] { "Phone" }.Concat(Enumerable.Range(new Random().Next(0, 4900) * 200, 200).Select(i => "+61413" + i.ToString("D6"))));
            _m.Sandbox.Faults.SetLatency("otpblue", TimeSpan.FromMilliseconds(400));
            var requests = _m.Sandbox.RequestCount("otpblue");
            try
            {
                var screen = RunInTerminalAndInterrupt(
                    $"Import-Module '{Paths.Manifest}'; Import-Csv '{csv}' | Send-OtpCode -Provider OtpBlue -Code 1 -ThrottleLimit 4 | Out-Null",
                    ready: () => _m.Sandbox.RequestCount("otpblue") >= requests + 8, out _);
                Assert.True(System.Text.RegularExpressions.Regex.IsMatch(screen, @"WARNING: Send-OtpCode stopped with row\(s\) \d+(, \d+)* in flight: their codes may have been delivered"),
                    "no warning on the screen:\n" + screen);
            }
            finally
            {
                _m.Sandbox.Faults.Clear();
            }
        }

        /// <summary>State Z in /proc/PID/stat: the process has ended and waits only for its parent to collect it.</summary>
        private static bool IsZombie(int pid)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                return stat.Substring(stat.LastIndexOf(')') + 2, 1) == "Z";
            }
            catch (IOException)
            {
                return true;   // gone altogether
            }
        }

        private static string Tmux(ProcessStartInfo environment, string socket, params string[] arguments)
        {
            var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var variable in environment.Environment) start.Environment[variable.Key] = variable.Value;
            start.ArgumentList.Add("-L");
            start.ArgumentList.Add(socket);
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            using var process = Process.Start(start) ?? throw new InvalidOperationException("tmux could not start");
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return output;
        }

        private static string Quote(string argument) => "'" + argument.Replace("'", "'\\''") + "'";
    }
}
