using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using OtpTools.Sandbox;
using OtpTools.Sandbox.Providers.OtpBlue;
using Xunit;

namespace OtpTools.Module.Tests
{
    /// <summary>
    /// Every code accounted for: the journal, -Resume, Import-OtpJournal, -ErrorAction Stop with concurrency, the
    /// credential breaker, -WhatIf receipts, and "not sent" told apart from "maybe sent".
    /// </summary>
    [Collection(ModuleCollection.Name)]
    public sealed class BulkRunTests : IDisposable
    {
        private static int _numberBase = new Random().Next(100, 900) * 10000;
        private readonly ModuleFixture _m;
        private readonly ConfigScope _scope = new ConfigScope();

        public BulkRunTests(ModuleFixture fixture)
        {
            _m = fixture;
            Directory.CreateDirectory(_scope.Folder);
            _m.Sandbox.Faults.Clear();
        }

        public void Dispose()
        {
            _m.Sandbox.Faults.Clear();
            _scope.Dispose();
        }

        /// <summary>Distinct Australian mobile numbers no other test uses, so the sandbox's record shows exactly this run.</summary>
        private static string[] Numbers(int count)
        {
            var first = Interlocked.Add(ref _numberBase, count) - count;
            return Enumerable.Range(first, count).Select(i => "+614" + (10000000 + i % 90000000).ToString("D8")).ToArray();
        }

        private static Dictionary<string, object?> Vars(string[] numbers, string journal, string key = SandboxKeys.OtpBlue) =>
            new Dictionary<string, object?> { ["numbers"] = numbers, ["journal"] = journal, ["key"] = ModuleFixture.Secure(key) };

        private string Journal(string name = "run.jsonl") => Path.Combine(_scope.Folder, name);

        private HashSet<string> DeliveredIds(int since) => new HashSet<string>(_m.Sandbox.OtpBlue.Deliveries.Skip(since).Select(d => d.Id));

        private List<string> DeliveredTo(int since) => _m.Sandbox.OtpBlue.Deliveries.Skip(since).Select(d => d.Contact).ToList();

        [Fact]
        public void Journal_read_back_by_Import_OtpJournal_is_the_runs_receipt_and_holds_no_key_and_no_code()
        {
            var numbers = Numbers(20).Append(OtpBlueScenarios.NoIMessage).ToArray();
            var run = _m.Run(@"
                $numbers | Send-OtpCode -Provider OtpBlue -Code 'K7Q9XW' -ApiKey $key -JournalPath $journal -ErrorAction SilentlyContinue
                '---'
                Import-OtpJournal $journal", Vars(numbers, Journal()));
            Assert.Null(run.Terminating);
            var split = run.Output.FindIndex(o => "---".Equals(o.BaseObject));
            var receipts = run.Output.Take(split).Select(o => (OtpSendResult)o.BaseObject).OrderBy(r => r.Position).ToList();
            var imported = run.Output.Skip(split + 1).Select(o => (OtpSendResult)o.BaseObject).ToList();

            Assert.Equal(21, receipts.Count);
            Assert.Equal(receipts.Select(r => (r.Position, r.Recipient, r.Status, r.MessageId, r.ErrorId)),
                imported.Select(r => (r.Position, r.Recipient, r.Status, r.MessageId, r.ErrorId)));
            Assert.All(imported, r => Assert.False(r.Resumed));
            var text = File.ReadAllText(Journal());
            Assert.DoesNotContain("K7Q9XW", text);
            Assert.DoesNotContain(SandboxKeys.OtpBlue, text);
            Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(SandboxKeys.OtpBlue)), text);
        }

        [Fact]
        public void An_existing_journal_without_Resume_is_a_terminating_error_before_anything_is_sent()
        {
            File.WriteAllText(Journal(), "{\"phase\":\"run\",\"format\":\"OtpTools.SendJournal/1\"}\n");
            var before = _m.Sandbox.RequestCount("otpblue");
            var error = _m.RunTerminating("$numbers | Send-OtpCode -Provider OtpBlue -Code 1 -ApiKey $key -JournalPath $journal", Vars(Numbers(3), Journal()));
            Assert.StartsWith("Journal.AlreadyExists,", error.FullyQualifiedErrorId);
            Assert.Contains("-Resume", error.Exception.Message);
            Assert.Equal(before, _m.Sandbox.RequestCount("otpblue"));
        }

        [Fact]
        public void Resume_with_a_journal_path_that_does_not_exist_is_an_error_before_anything_is_sent()
        {
            var before = _m.Sandbox.RequestCount("otpblue");
            var error = _m.RunTerminating("$numbers | Send-OtpCode -Provider OtpBlue -Code 1 -ApiKey $key -JournalPath $journal -Resume",
                Vars(Numbers(3), Journal("misspelt.jsonl")));
            Assert.StartsWith("Journal.NotFound,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Contains("Drop -Resume", error.Exception.Message);
            Assert.Equal(before, _m.Sandbox.RequestCount("otpblue"));
            Assert.False(File.Exists(Journal("misspelt.jsonl")));
        }

        [Fact]
        public void Import_OtpJournal_shows_a_recipient_read_from_the_file_terminal_safe()
        {
            File.WriteAllLines(Journal(), new[]
            {
                "{\"phase\":\"run\",\"format\":\"OtpTools.SendJournal/1\",\"provider\":\"OtpBlue\"}",
                "{\"phase\":\"result\",\"position\":1,\"recipient\":\"+614\\u001b]0;owned\\u0007\\u001b[2J\",\"receipt\":{\"Position\":1," +
                "\"Recipient\":\"+614\\u001b]0;owned\\u0007\\u001b[2J\",\"Success\":false,\"Status\":\"failed\"}}",
            });
            var row = Assert.Single(_m.Run("Import-OtpJournal $journal", Vars(new string[0], Journal())).Objects<OtpSendResult>());
            Assert.DoesNotContain("\u001b", row.Recipient, StringComparison.Ordinal);
            Assert.DoesNotContain("\u0007", row.Recipient, StringComparison.Ordinal);
            Assert.Equal("+614\\u001b]0;owned\\u0007\\u001b[2J", row.Recipient);
        }

        [Fact]
        public void Two_runs_cannot_write_one_journal_at_once()
        {
            File.WriteAllText(Journal(), "");
            using (new FileStream(Journal(), FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            {
                var before = _m.Sandbox.RequestCount("otpblue");
                var error = _m.RunTerminating("$numbers | Send-OtpCode -Provider OtpBlue -Code 1 -ApiKey $key -JournalPath $journal", Vars(Numbers(3), Journal()));
                Assert.StartsWith("Journal.InUse,", error.FullyQualifiedErrorId);
                Assert.Equal(before, _m.Sandbox.RequestCount("otpblue"));
            }
        }

        [Fact]
        public void Resume_after_a_stop_sends_exactly_the_rows_that_never_left_and_nobody_gets_two_codes()
        {
            var numbers = Numbers(60);
            var since = _m.Sandbox.OtpBlue.Deliveries.Count;
            _m.Sandbox.Faults.SetLatency("otpblue", TimeSpan.FromMilliseconds(150));
            var first = _m.Run("$numbers | Send-OtpCode -Provider OtpBlue -Code 1 -ApiKey $key -JournalPath $journal -ThrottleLimit 8",
                Vars(numbers, Journal()), whileRunning: ps =>
                {
                    // Stopped mid-run, once codes are being delivered (however long start-up takes), not after a fixed time.
                    SpinWait.SpinUntil(() => DeliveredTo(since).Count >= 8, TimeSpan.FromSeconds(90));
                    ps.Stop();
                });
            Assert.IsType<PipelineStoppedException>(first.Terminating);
            _m.Sandbox.Faults.Clear();
            var afterStop = DeliveredTo(since);
            Assert.InRange(afterStop.Count, 1, 59);

            var resumed = _m.Run("$numbers | Send-OtpCode -Provider OtpBlue -Code 1 -ApiKey $key -JournalPath $journal -Resume",
                Vars(numbers, Journal()));
            Assert.Null(resumed.Terminating);
            var receipts = resumed.Objects<OtpSendResult>().OrderBy(r => r.Position).ToList();
            Assert.True(Enumerable.Range(1, 60).SequenceEqual(receipts.Select(r => r.Position)),
                string.Join(", ", receipts.Select(r => $"{r.Position}:{r.Status}:{r.ErrorId}")) + string.Join("\n", resumed.Errors));
            var delivered = DeliveredTo(since);
            // Nobody twice; everybody whose row may not have reached the provider got one now.
            Assert.Equal(delivered.Count, delivered.Distinct().Count());
            var unknown = receipts.Where(r => r.Status == "unknown").Select(r => r.Recipient).ToList();
            Assert.Equal(numbers.Except(unknown).OrderBy(n => n), delivered.Except(unknown).OrderBy(n => n));
            Assert.All(receipts.Where(r => afterStop.Contains(r.Recipient!)), r => Assert.True(r.Resumed || r.Status == "unknown"));
            Assert.All(receipts.Where(r => !r.Resumed), r => Assert.True(r.Success, r.ErrorMessage));
        }

        [Fact]
        public void Resume_with_different_input_names_the_first_difference_and_sends_nothing()
        {
            var numbers = Numbers(5);
            _m.Run("$numbers | Send-OtpCode -Provider OtpBlue -Code 1 -ApiKey $key -JournalPath $journal", Vars(numbers, Journal()));
            var other = numbers.ToArray();
            other[2] = Numbers(1)[0];
            var before = _m.Sandbox.RequestCount("otpblue");
            var error = _m.RunTerminating("$numbers | Send-OtpCode -Provider OtpBlue -Code 1 -ApiKey $key -JournalPath $journal -Resume", Vars(other, Journal()));
            Assert.StartsWith("Journal.InputMismatch,", error.FullyQualifiedErrorId);
            Assert.Contains("row 3", error.Exception.Message);
            Assert.Contains(numbers[2], error.Exception.Message);
            Assert.Equal(before, _m.Sandbox.RequestCount("otpblue"));
        }

        [Fact]
        public void Import_OtpJournal_reports_a_row_left_in_flight_as_unknown()
        {
            File.WriteAllLines(Journal(), new[]
            {
                "{\"phase\":\"run\",\"format\":\"OtpTools.SendJournal/1\",\"provider\":\"OtpBlue\"}",
                "{\"phase\":\"sending\",\"position\":1,\"recipient\":\"+61412345678\",\"provider\":\"OtpBlue\"}",
                "{\"phase\":\"sending\",\"position\":2,\"recipient\":\"+61412345679\",\"provider\":\"OtpBlue\"}",
                "{\"phase\":\"result\",\"position\":2,\"recipient\":\"+61412345679\",\"receipt\":{\"Position\":2,\"Recipient\":\"+61412345679\",\"Success\":true,\"Status\":\"delivered\",\"MessageId\":\"m-2\"}}",
                "{\"phase\":\"sending\",\"posi",
            });
            var run = _m.Run("Import-OtpJournal $journal", Vars(new string[0], Journal()));
            var rows = run.Objects<OtpSendResult>().ToList();
            Assert.Equal(new[] { 1, 2 }, rows.Select(r => r.Position));
            Assert.Equal("unknown", rows[0].Status);
            Assert.Equal("Journal.InFlightWhenStopped", rows[0].ErrorId);
            Assert.Equal("m-2", rows[1].MessageId);
            Assert.Contains(run.Warnings, w => w.Contains("Line 5"));
        }

        [Fact]
        public void ErrorAction_Stop_repeated_leaves_no_delivered_code_without_a_receipt()
        {
            _m.Sandbox.Faults.SetLatency("otpblue", TimeSpan.FromMilliseconds(100));
            for (var i = 0; i < 50; i++)
            {
                var numbers = Numbers(4);
                numbers[2] = "+6141";   // row 3 fails the checks made before any HTTP call
                var since = _m.Sandbox.OtpBlue.Deliveries.Count;
                var run = _m.Run(@"
                    $out = [System.Collections.Generic.List[object]]::new()
                    try { $numbers | Send-OtpCode -Provider OtpBlue -Code 1 -ApiKey $key -ErrorAction Stop | ForEach-Object { $out.Add($_) } }
                    catch { $_.FullyQualifiedErrorId }
                    $out", Vars(numbers, Journal()));
                Assert.StartsWith("Validation.", (string)run.Output[0].BaseObject);
                var receipts = run.Output.Skip(1).Select(o => (OtpSendResult)o.BaseObject).ToList();
                var delivered = DeliveredIds(since);
                Assert.True(delivered.SetEquals(receipts.Where(r => r.Success).Select(r => r.MessageId!)),
                    $"run {i}: delivered {delivered.Count}, receipts {string.Join(", ", receipts.Select(r => r.Position + ":" + r.Status))}");
                // Rows 1 and 2 left before row 3 failed its checks: they finish, with receipts.
                Assert.Contains(receipts, r => r.Position == 1 && r.Success);
                Assert.Contains(receipts, r => r.Position == 2 && r.Success);
                Assert.DoesNotContain(receipts, r => r.Position == 4);
            }
        }

        [Fact]
        public void ErrorActionPreference_Stop_keeps_the_throttle_limits_concurrency()
        {
            _m.Sandbox.Faults.SetLatency("otpblue", TimeSpan.FromMilliseconds(300));
            _m.Sandbox.ResetTraffic();
            var run = _m.Run("$ErrorActionPreference = 'Stop'\n$numbers | Send-OtpCode -Provider OtpBlue -Code 1 -ApiKey $key -ThrottleLimit 8",
                Vars(Numbers(16), Journal()));
            Assert.Null(run.Terminating);
            Assert.Equal(16, run.Objects<OtpSendResult>().Count(r => r.Success));
            Assert.True(_m.Sandbox.PeakConcurrency >= 6, $"peak concurrency {_m.Sandbox.PeakConcurrency}");
        }

        [Theory]
        [InlineData("OtpBlue", "otpblue", "-ApiKey $wrong", "OtpBlue.InvalidApiKey")]
        [InlineData("Otpiq", "otpiq", "-ApiKey $wrong", "Otpiq.Unauthorized")]
        [InlineData("EngageLab", "engagelab", "-Credential $wrongPair -TemplateId test-template-1", "EngageLab.AuthenticationFailed")]
        public void A_rejected_credential_ends_the_sending_with_a_receipt_for_every_row(string provider, string prefix, string credential, string errorId)
        {
            var rows = provider == "OtpBlue" ? 1000 : 200;
            var numbers = provider == "Otpiq" ? Enumerable.Range(0, rows).Select(i => "+96477" + (10000000 + i).ToString("D8")).ToArray()
                : provider == "EngageLab" ? Enumerable.Range(0, rows).Select(i => "+86138" + (10000000 + i).ToString("D8")).ToArray()
                : Numbers(rows);
            var before = _m.Sandbox.RequestCount(prefix);
            var run = _m.Run($"$numbers | Send-OtpCode -Provider {provider} -Code 1 {credential} -ThrottleLimit 4 -JournalPath $journal",
                new Dictionary<string, object?>
                {
                    ["numbers"] = numbers, ["journal"] = Journal(),
                    ["wrong"] = ModuleFixture.Secure("not-the-key"),
                    ["wrongPair"] = new PSCredential("not-the-key", ModuleFixture.Secure("not-the-secret")),
                });
            Assert.Null(run.Terminating);
            Assert.InRange(_m.Sandbox.RequestCount(prefix) - before, 1, 4);
            var receipts = run.Objects<OtpSendResult>().ToList();
            Assert.Equal(rows, receipts.Count);
            Assert.Equal(Enumerable.Range(1, rows), receipts.Select(r => r.Position).OrderBy(p => p));
            Assert.All(receipts, r => Assert.Equal("failed", r.Status));
            var rejected = receipts.Where(r => r.ErrorId == errorId).ToList();
            Assert.InRange(rejected.Count, 1, 4);
            Assert.Equal(rejected.Count, run.Errors.Count);
            var notSent = receipts.Where(r => r.ErrorId == "Send.CredentialRejected").ToList();
            Assert.Equal(rows - rejected.Count, notSent.Count);
            Assert.All(notSent, r => Assert.Contains("rejected the credential on row", r.ErrorMessage));
            Assert.All(notSent, r => Assert.Equal(0, r.Attempts));
        }

        [Fact]
        public void Resume_after_a_rejected_key_sends_exactly_the_rows_that_were_not_sent()
        {
            var numbers = Numbers(30);
            var since = _m.Sandbox.OtpBlue.Deliveries.Count;
            var vars = Vars(numbers, Journal());
            vars["wrong"] = ModuleFixture.Secure("not-the-key");
            _m.Run("$numbers | Send-OtpCode -Provider OtpBlue -Code 1 -ApiKey $wrong -JournalPath $journal -ErrorAction SilentlyContinue", vars);
            Assert.Empty(DeliveredTo(since));
            var run = _m.Run("$numbers | Send-OtpCode -Provider OtpBlue -Code 1 -ApiKey $key -JournalPath $journal -Resume", vars);
            Assert.Empty(run.Errors);
            Assert.Equal(numbers.OrderBy(n => n), DeliveredTo(since).OrderBy(n => n));
        }

        [Fact]
        public void A_tls_handshake_failure_is_failed_not_unknown_and_names_certificates_and_proxies()
        {
            using var config = new ConfigScope();
            config.Set("OTPTOOLS_OTPBLUE_BASEURI", _m.Sandbox.UriFor("otpblue").Replace("http://", "https://"));
            var run = _m.Run("Send-OtpCode -Provider OtpBlue -To +61412345678 -Code 1 -ApiKey $key -MaxRetry 0", ModuleFixture.OtpBlueKey());
            var receipt = Assert.Single(run.Objects<OtpSendResult>());
            Assert.Equal("failed", receipt.Status);
            Assert.Equal("Http.TlsFailed", receipt.ErrorId);
            var error = Assert.Single(run.Errors);
            Assert.Contains("certificate", error.ErrorDetails.RecommendedAction);
            Assert.Contains("HTTPS_PROXY", error.ErrorDetails.RecommendedAction);
            Assert.Contains("TLS-inspecting", error.ErrorDetails.RecommendedAction);
        }

        [Fact]
        public void A_refused_connection_is_failed_not_unknown()
        {
            using var config = new ConfigScope();
            var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            config.Set("OTPTOOLS_OTPBLUE_BASEURI", $"http://127.0.0.1:{port}/otpblue");
            var run = _m.Run("Send-OtpCode -Provider OtpBlue -To +61412345678 -Code 1 -ApiKey $key -MaxRetry 0", ModuleFixture.OtpBlueKey());
            var receipt = Assert.Single(run.Objects<OtpSendResult>());
            Assert.Equal("failed", receipt.Status);
            Assert.Equal("Http.ConnectionFailed", receipt.ErrorId);
        }

        [Fact]
        public void A_name_that_does_not_resolve_is_failed_not_unknown()
        {
            using var config = new ConfigScope();
            config.Set("OTPTOOLS_OTPBLUE_BASEURI", "https://otpblue.invalid/");
            var run = _m.Run("Send-OtpCode -Provider OtpBlue -To +61412345678 -Code 1 -ApiKey $key -MaxRetry 0", ModuleFixture.OtpBlueKey());
            var receipt = Assert.Single(run.Objects<OtpSendResult>());
            Assert.Equal("failed", receipt.Status);
            Assert.Equal("Http.ConnectionFailed", receipt.ErrorId);
            Assert.Contains("Nothing was sent", receipt.ErrorMessage);
        }

        [Fact]
        public void An_unknown_row_never_recommends_trying_again()
        {
            var run = _m.Run("Send-OtpCode -Provider Otpiq -To $to -Code 1 -ApiKey $key",
                new Dictionary<string, object?> { ["to"] = Sandbox.Providers.Otpiq.OtpiqScenarios.ServerError, ["key"] = ModuleFixture.Secure(SandboxKeys.Otpiq) });
            var receipt = Assert.Single(run.Objects<OtpSendResult>());
            Assert.Equal("unknown", receipt.Status);
            var action = Assert.Single(run.Errors).ErrorDetails.RecommendedAction;
            Assert.DoesNotContain("try again", action, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("may have been delivered", action);
        }

        [Fact]
        public void A_row_declined_at_Confirm_yields_a_receipt_that_says_so_and_is_not_sent()
        {
            var host = new AnsweringHost("No");
            var before = _m.Sandbox.RequestCount("otpblue");
            var run = _m.Run("$numbers | Send-OtpCode -Provider OtpBlue -Code 1 -ApiKey $key -Confirm -JournalPath $journal", Vars(Numbers(2), Journal()), host: host);
            Assert.Equal(2, host.Prompts);
            Assert.Equal(before, _m.Sandbox.RequestCount("otpblue"));
            var receipts = run.Objects<OtpSendResult>().OrderBy(r => r.Position).ToList();
            Assert.Equal(new[] { "declined", "declined" }, receipts.Select(r => r.Status));
            Assert.All(receipts, r => Assert.Contains("Declined at the -Confirm prompt", r.Message));
            Assert.Empty(run.Errors);
            // The journal says so too, and -Resume would send them (nothing left).
            Assert.Equal(new[] { "declined", "declined" }, _m.Run("Import-OtpJournal $journal", Vars(new string[0], Journal())).Objects<OtpSendResult>().Select(r => r.Status));
        }

        [Fact]
        public void WhatIf_writes_no_journal()
        {
            var run = _m.Run("$numbers | Send-OtpCode -Provider OtpBlue -Code 1 -ApiKey $key -JournalPath $journal -WhatIf", Vars(Numbers(3), Journal()));
            Assert.Equal(3, run.Objects<OtpSendResult>().Count(r => r.Status == "whatif"));
            Assert.False(File.Exists(Journal()));
        }
    }
}
