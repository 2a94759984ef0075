using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using OtpTools.Sandbox;
using OtpTools.Tests.Shared;
using Xunit;

namespace OtpTools.Module.Tests
{
    /// <summary>Bulk runs: concurrency, receipts under provider faults, progress, Ctrl+C.</summary>
    [Collection(ModuleCollection.Name)]
    public sealed class BulkSendTests
    {
        private static int _batch;
        private readonly ModuleFixture _m;
        public BulkSendTests(ModuleFixture fixture) => _m = fixture;

        /// <summary>Rows with a code unique to this batch, so the sandbox's deliveries can be joined back.</summary>
        private static (string Prefix, string Script) Rows(int count)
        {
            var prefix = "B" + Interlocked.Increment(ref _batch).ToString("D3");
            return (prefix, $"1..{count} | ForEach-Object {{ [pscustomobject]@{{ Phone = '+61412345678'; Otp = '{prefix}' + $_.ToString('D4') }} }}");
        }

        private List<Sandbox.Providers.OtpBlue.OtpBlueSandbox.HistoryRow> Delivered(string prefix) =>
            _m.Sandbox.OtpBlue.Deliveries.Where(d => d.Text.StartsWith(prefix, StringComparison.Ordinal)).ToList();

        /// <summary>
        /// Per sending provider: its sandbox prefix, rows that respect its per-recipient limits (OTPIQ allows 10 sends
        /// per number per 10 minutes, EngageLab one per template and recipient), its credential, and the codes its
        /// sandbox delivered.
        /// </summary>
        private static int _otpiqBlock = 3000;

        private (string Prefix, string Rows, string Credential, Dictionary<string, object?> Vars, Func<string, List<string>> Delivered) Bulk(string provider, int count)
        {
            var (codePrefix, _) = Rows(0);
            var otp = $"Otp = '{codePrefix}' + $_.ToString('D4')";
            switch (provider)
            {
                case "Otpiq":
                    // Numbers of this batch's own: OTPIQ refuses an 11th send to a number within 10 minutes.
                    var block = System.Threading.Interlocked.Increment(ref _otpiqBlock) * 100;
                    return ("otpiq", $"1..{count} | ForEach-Object {{ [pscustomobject]@{{ Phone = '964750' + ({block} + $_).ToString('D7'); {otp} }} }}",
                        "-ApiKey $key", new Dictionary<string, object?> { ["key"] = ModuleFixture.Secure(SandboxKeys.Otpiq) },
                        p => _m.Sandbox.Otpiq.Deliveries.Select(d => d.VerificationCode).Where(c => c.StartsWith(p, StringComparison.Ordinal)).ToList());
                case "EngageLab":
                    return ("engagelab", $"1..{count} | ForEach-Object {{ [pscustomobject]@{{ Email = 'r' + $_ + '@{codePrefix.ToLowerInvariant()}.example.com'; {otp} }} }}",
                        $"-Credential $cred -TemplateId {Sandbox.Providers.EngageLab.EngageLabScenarios.EmailTemplate}",
                        new Dictionary<string, object?> { ["cred"] = new System.Management.Automation.PSCredential(SandboxKeys.EngageLabDevKey, ModuleFixture.Secure(SandboxKeys.EngageLabDevSecret)) },
                        p => _m.Sandbox.EngageLab.Deliveries.Select(d => d.Code).Where(c => c.StartsWith(p, StringComparison.Ordinal)).ToList());
                default:
                    return ("otpblue", $"1..{count} | ForEach-Object {{ [pscustomobject]@{{ Phone = '+61412345678'; {otp} }} }}",
                        "-ApiKey $key", ModuleFixture.OtpBlueKey(),
                        p => Delivered(p).Select(d => d.Text).ToList());
            }
        }

        /// <summary>
        /// Every provider under every fault is the engine's FaultMatrixTests (a send session, no PowerShell); here one
        /// fault per outcome shows the same through the cmdlet: receipts, ErrorRecords, retries and Attempts.
        /// </summary>
        public static IEnumerable<object[]> ProviderFaults() => new[]
        {
            new object[] { "OtpBlue", FaultKind.ServiceUnavailable },
            new object[] { "Otpiq", FaultKind.ResetAfterRead },
            new object[] { "EngageLab", FaultKind.Hang },
            new object[] { "OtpBlue", FaultKind.HtmlErrorPage },
        };

        [Theory]
        [MemberData(nameof(ProviderFaults))]
        public void Under_each_fault_a_bulk_run_yields_one_receipt_per_row_and_never_delivers_a_code_twice(string provider, FaultKind fault)
        {
            const int count = 50;
            var bulk = Bulk(provider, count);
            var codePrefix = "B" + _batch.ToString("D3");
            // A rate limit's 429/503 slows the whole run down to what gets through (RateLimitTests measure that); here
            // three of them are enough to prove the refused rows go again and arrive once.
            var rateLimit = fault == FaultKind.TooManyRequests || fault == FaultKind.ServiceUnavailable;
            _m.Sandbox.Faults.Inject(bulk.Prefix, fault, everyNth: 3, times: rateLimit ? 3 : int.MaxValue, retryAfter: "0");
            ScriptRun run;
            try
            {
                // -MaxRetry 10: with every third request faulted, a row must not run out of retries by bad luck.
                run = _m.Run($"{bulk.Rows} | Send-OtpCode -Provider {provider} {bulk.Credential} -ThrottleLimit 6 -TimeoutSec 1 -MaxRetry 10", bulk.Vars);
            }
            finally
            {
                _m.Sandbox.Faults.Clear();
            }

            BulkFaultOutcomes.Check(run.Objects<OtpSendResult>().ToList(), bulk.Delivered(codePrefix), r => codePrefix + r.Position.ToString("D4"),
                count, fault, run.Errors.Count);
            Assert.All(run.Errors, e => Assert.StartsWith("Http.", e.FullyQualifiedErrorId));
        }

        /// <summary>Every listing under every fault is the engine's FaultMatrixTests; here a fault that ends the listing and one that is retried.</summary>
        public static IEnumerable<object[]> PagingFaults() => new[]
        {
            new object[] { "history", FaultKind.MalformedJson },
            new object[] { "senders", FaultKind.ResetBeforeRead },
        };

        [Theory]
        [MemberData(nameof(PagingFaults))]
        public void Paging_under_a_fault_yields_every_row_once_or_a_clear_error_never_a_silent_gap(string listing, FaultKind fault)
        {
            var history = listing == "history";
            if (history) _m.Sandbox.OtpBlue.SeedHistory(2600, new DateTime(2025, 11, 1), new DateTime(2025, 11, 30));
            else _m.Sandbox.GetOtp.SeedSenders(2600);
            var prefix = history ? "otpblue" : "getotp";
            var command = history
                ? "Get-OtpHistory -Provider OtpBlue -From 2025-11-01 -To 2025-11-30 -PageSize 500 -ApiKey $key"
                : "Get-OtpSender -Provider GetOtp -PageSize 500 -ApiKey $key";
            var key = ModuleFixture.Secure(history ? SandboxKeys.OtpBlue : SandboxKeys.GetOtp);
            _m.Sandbox.Faults.Inject(prefix, fault, everyNth: 2, retryAfter: "0");
            ScriptRun run;
            try
            {
                run = _m.Run($"try {{ {command} -TimeoutSec 1 -MaxRetry 2 }} catch {{ $_ }}", new Dictionary<string, object?> { ["key"] = key });
            }
            finally
            {
                _m.Sandbox.Faults.Clear();
            }

            var ids = run.Output.Select(o => o?.BaseObject).Select(o => o is OtpHistoryEntry h ? h.Id : (o as OtpSender)?.Id).OfType<string>().ToList();
            var expected = Enumerable.Range(0, 2600).Select(i => history ? _m.Sandbox.OtpBlue.SeededRow(i).Id : Sandbox.Providers.GetOtp.GetOtpSandbox.SeededSender(i).Id).ToList();
            var error = run.Output.Select(o => o?.BaseObject).OfType<System.Management.Automation.ErrorRecord>().SingleOrDefault();
            if (error == null)
            {
                Assert.Equal(expected, ids);
            }
            else
            {
                // A clear error, and the rows before it are an unbroken prefix of the listing.
                Assert.StartsWith("Http.", error.FullyQualifiedErrorId);
                Assert.Equal(expected.Take(ids.Count), ids);
                Assert.True(ids.Count < expected.Count);
            }
        }

        [Fact]
        public void Retry_after_given_as_an_http_date_is_honoured()
        {
            var (prefix, _) = Rows(0);
            var date = DateTimeOffset.UtcNow.AddSeconds(1).ToString("r");
            _m.Sandbox.Faults.Inject("otpblue", FaultKind.TooManyRequests, everyNth: 1, times: 1, retryAfter: date);
            try
            {
                var run = _m.Run($"Send-OtpCode -Provider OtpBlue -To +61412345678 -Code {prefix}1 -ApiKey $key -Verbose", ModuleFixture.OtpBlueKey());
                var result = Assert.Single(run.Objects<OtpSendResult>());
                Assert.True(result.Success);
                Assert.Equal(2, result.Attempts);
                // The wait is the rate limit's, not a retry: every request to the provider waits until the date.
                Assert.Contains(run.Verbose, v => v.Contains("OtpBlue: rate limit (HTTP 429): every request to it waits") && v.EndsWith("not counted as a retry"));
                // One line per HTTP call.
                Assert.Contains(run.Verbose, v => v.EndsWith("-> 429 Too Many Requests in " + v.Split(" in ").Last()) && v.EndsWith("retry 0"));
                Assert.Contains(run.Verbose, v => v.Contains("-> 200 OK in "));
            }
            finally
            {
                _m.Sandbox.Faults.Clear();
            }
        }

        [Fact]
        public void A_rate_limit_wait_past_RateLimitTimeout_is_not_waited_for_and_the_error_says_how_long_it_asked()
        {
            _m.Sandbox.Faults.Inject("otpblue", FaultKind.TooManyRequests, everyNth: 1, times: 1, retryAfter: "600");
            try
            {
                var run = _m.Run("Send-OtpCode -Provider OtpBlue -To +61412345678 -Code 1 -ApiKey $key", ModuleFixture.OtpBlueKey());
                var result = Assert.Single(run.Objects<OtpSendResult>());
                // Longer than -RateLimitTimeout (300 s): not waited for, and nothing was sent.
                Assert.Equal("Http.RateLimitNotLifted", result.ErrorId);
                Assert.Equal("failed", result.Status);
                Assert.Contains("600 s", result.ErrorMessage);
            }
            finally
            {
                _m.Sandbox.Faults.Clear();
            }
        }

        [Theory]
        [InlineData(1)]
        [InlineData(8)]
        public void ThrottleLimit_bounds_the_sends_in_flight_over_reused_connections(int limit)
        {
            var (prefix, rows) = Rows(40);
            _m.Sandbox.Faults.SetLatency("otpblue", TimeSpan.FromMilliseconds(60));
            _m.Sandbox.ResetTraffic();
            try
            {
                var run = _m.Run($"{rows} | Send-OtpCode -Provider OtpBlue -ApiKey $key -ThrottleLimit {limit}", ModuleFixture.OtpBlueKey());
                Assert.Equal(40, run.Objects<OtpSendResult>().Count(r => r.Success));
            }
            finally
            {
                _m.Sandbox.Faults.Clear();
            }
            Assert.Equal(40, Delivered(prefix).Count);
            Assert.InRange(_m.Sandbox.PeakConcurrency, Math.Min(limit, 2), limit);
            Assert.InRange(_m.Sandbox.Connections, 1, limit);
        }

        [Fact]
        public void Progress_reports_sent_failed_rate_and_percent_when_the_total_is_known()
        {
            _m.Sandbox.Faults.SetLatency("otpblue", TimeSpan.FromMilliseconds(40));
            ScriptRun run;
            try
            {
                run = _m.Run("$to = @(1..30 | ForEach-Object { '+61412345678' }) + '+13232000150'; Send-OtpCode -Provider OtpBlue -To $to -Code 1 -ApiKey $key -ThrottleLimit 2 -ErrorAction SilentlyContinue",
                    ModuleFixture.OtpBlueKey());
            }
            finally
            {
                _m.Sandbox.Faults.Clear();
            }
            Assert.Equal(31, run.Objects<OtpSendResult>().Count());
            var running = run.Progress.Where(p => p.RecordType == System.Management.Automation.ProgressRecordType.Processing).ToList();
            Assert.NotEmpty(running);
            Assert.All(running, p => Assert.Matches(@"^\d+ sent, \d+ failed, \d+ in flight, \d+\.\d/s$", p.StatusDescription));
            Assert.All(running, p => Assert.InRange(p.PercentComplete, 0, 100));
            var final = run.Progress.Last();
            Assert.Equal(System.Management.Automation.ProgressRecordType.Completed, final.RecordType);
            Assert.StartsWith("30 sent, 1 failed", final.StatusDescription);
            Assert.Equal("Send-OtpCode via OtpBlue", final.Activity);
        }

        [Fact]
        public void Stop_ends_a_bulk_run_without_starting_another_request_and_every_delivered_code_has_its_receipt()
        {
            var (prefix, rows) = Rows(400);
            _m.Sandbox.Faults.SetLatency("otpblue", TimeSpan.FromMilliseconds(150));
            var requestsAtStop = 0;
            ScriptRun run;
            try
            {
                run = _m.Run($"{rows} | Send-OtpCode -Provider OtpBlue -ApiKey $key -ThrottleLimit 4", ModuleFixture.OtpBlueKey(),
                    whileRunning: ps =>
                    {
                        // Stop mid-run: once some codes have been delivered, whatever import and JIT cost.
                        var deadline = DateTime.UtcNow.AddSeconds(20);
                        while (Delivered(prefix).Count < 12 && DateTime.UtcNow < deadline) Thread.Sleep(20);
                        // Then into the middle of the next sends' latency, as a person's Ctrl+C would land: an answer
                        // already on the wire at the instant of Stop cannot be written (PowerShell refuses output then).
                        Thread.Sleep(60);
                        requestsAtStop = _m.Sandbox.RequestCount("otpblue");
                        ps.Stop();
                    });
            }
            finally
            {
                _m.Sandbox.Faults.Clear();
            }
            Thread.Sleep(400); // let cancelled requests finish on the server side before counting deliveries
            // Stop does not let the run go on: of the hundreds of rows left, at most those already on their way (and any
            // that started in the instant between the count and the Stop, -ThrottleLimit again) reach the provider.
            Assert.InRange(_m.Sandbox.RequestCount("otpblue") - requestsAtStop, 0, 8);
            var receipts = run.Objects<OtpSendResult>().ToList();
            Assert.InRange(receipts.Count, 1, 399);
            var receiptCodes = receipts.Select(r => prefix + r.Position.ToString("D4")).ToHashSet();
            var delivered = Delivered(prefix).Select(d => d.Text).ToList();
            Assert.All(delivered, code => Assert.Contains(code, receiptCodes));
            Assert.True(delivered.Count < 400);
        }
    }
}
