using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OtpTools.Engine.Providers;
using OtpTools.Engine.Providers.OtpBlue;
using OtpTools.Engine.Sending;
using OtpTools.Sandbox;
using Xunit;
using static OtpTools.Engine.Tests.BulkRuns;

namespace OtpTools.Engine.Tests
{
    /// <summary>The bulk scheduling without PowerShell: throttle, journal, credential breaker, stop at the first failure.</summary>
    public sealed class BulkSendRunTests : IClassFixture<SandboxFixture>, IDisposable
    {
        private readonly SandboxFixture _f;
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "otptools-bulk-" + Guid.NewGuid().ToString("N"));

        public BulkSendRunTests(SandboxFixture fixture)
        {
            _f = fixture;
            _f.Sandbox.Faults.Clear();
            Directory.CreateDirectory(_folder);
        }

        public void Dispose()
        {
            _f.Sandbox.Faults.Clear();
            Directory.Delete(_folder, true);
        }

        private OtpSendService Service(string key = SandboxKeys.OtpBlue) => _f.OtpBlueService(out _, key);


        [Fact]
        public async Task Never_more_requests_in_flight_than_the_throttle_limit_and_one_outcome_per_row()
        {
            _f.Sandbox.Faults.SetLatency("otpblue", TimeSpan.FromMilliseconds(50));
            _f.Sandbox.ResetTraffic();
            var run = new BulkSendRun(Service(), new BulkSendOptions { ThrottleLimit = 5 }, "OtpBlue");
            var outcomes = await RunAll(run, Rows(40, 30000000));
            Assert.Equal(Enumerable.Range(1, 40), outcomes.Select(o => o.Result.Position).OrderBy(p => p));
            Assert.All(outcomes, o => Assert.True(o.Result.Success));
            Assert.InRange(_f.Sandbox.PeakConcurrency, 2, 5);
            Assert.Equal(40, run.Succeeded);
        }

        [Fact]
        public async Task A_rejected_key_stops_all_further_requests_and_the_rest_are_failed_quietly()
        {
            var before = _f.Sandbox.RequestCount("otpblue");
            var run = new BulkSendRun(Service("wrong-key"), new BulkSendOptions { ThrottleLimit = 3 }, "OtpBlue");
            var outcomes = await RunAll(run, Rows(100, 31000000));
            Assert.InRange(_f.Sandbox.RequestCount("otpblue") - before, 1, 3);
            Assert.Equal(100, outcomes.Count);
            Assert.All(outcomes.Where(o => !o.Quiet), o => Assert.Equal("OtpBlue.InvalidApiKey", o.Error!.ErrorId));
            Assert.All(outcomes.Where(o => o.Quiet), o => Assert.Equal("Send.CredentialRejected", o.Result.ErrorId));
            Assert.True(run.EndedAt > 0);
        }

        [Fact]
        public async Task The_journal_has_a_row_before_its_request_leaves_and_its_outcome_after()
        {
            var path = Path.Combine(_folder, "run.jsonl");
            _f.Sandbox.Faults.Inject("otpblue", FaultKind.Hang, times: 1);
            using var cancel = new CancellationTokenSource();
            using (var journal = SendJournal.Create(path, "OtpBlue"))
            {
                var run = new BulkSendRun(Service(), new BulkSendOptions { ThrottleLimit = 2, Journal = journal }, "OtpBlue");
                var rows = Rows(1, 32000000).ToList();
                var before = _f.Sandbox.RequestCount("otpblue");
                Assert.Null(run.Check(rows[0], out var prepared));
                run.Start(prepared!, cancel.Token);
                // The request hangs at the provider (waited for as an event, not a time): the journal already says it may have left.
                for (var i = 0; i < 1200 && _f.Sandbox.RequestCount("otpblue") == before; i++) await Task.Delay(50);
                Assert.Equal(before + 1, _f.Sandbox.RequestCount("otpblue"));
                var inFlight = SendJournal.Read(path, _ => { });
                Assert.Null(inFlight[1].Receipt);
                Assert.True(inFlight[1].MayHaveLeft);
                cancel.Cancel();
                await run.WhenAllFinish();
            }
            var after = SendJournal.Read(path, _ => { });
            Assert.Equal("unknown", after[1].Receipt!.Status);
            Assert.Equal("Send.StoppedInFlight", after[1].Receipt!.ErrorId);
        }

        [Fact]
        public async Task Stop_at_first_failure_starts_nothing_after_a_failure_came_back()
        {
            var run = new BulkSendRun(Service(), new BulkSendOptions { ThrottleLimit = 1, StopAtFirstFailure = true }, "OtpBlue");
            var rows = Rows(3, 33000000).ToList();
            rows[0].To = OtpTools.Sandbox.Providers.OtpBlue.OtpBlueScenarios.NoIMessage;
            Assert.Null(run.Check(rows[0], out var prepared));
            run.Start(prepared!, CancellationToken.None);
            await run.WhenAllFinish();
            Assert.True(run.Halted);
            Assert.Equal("OtpBlue.NoIMessage", Assert.Single(run.TakeFinished()).Error!.ErrorId);
        }

        [Fact]
        public void A_journal_that_exists_is_not_reused_without_resume_and_resume_reads_it()
        {
            var path = Path.Combine(_folder, "existing.jsonl");
            using (var journal = SendJournal.Create(path, "OtpBlue"))
                journal.Result(new OtpSendResult { Position = 4, Recipient = "+61412345678", Status = "failed" });
            var error = Assert.Throws<OtpException>(() => SendJournal.Create(path, "OtpBlue"));
            Assert.Equal("Journal.AlreadyExists", error.ErrorId);
            using var resumed = SendJournal.Resume(path, "OtpBlue");
            Assert.False(resumed.Earlier[4].MayHaveLeft);
            Assert.Equal("+61412345678", resumed.Earlier[4].Recipient);
        }
    }
}
