using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OtpTools.Engine.Sending;
using OtpTools.Sandbox;
using OtpTools.Sandbox.Providers.OtpBlue;
using Xunit;
using static OtpTools.Engine.Tests.BulkRuns;

namespace OtpTools.Engine.Tests
{
    /// <summary>
    /// A whole bulk send as Send-OtpCode runs it, without PowerShell: one receipt per row, -ErrorAction Stop's order,
    /// -WhatIf and -Confirm, -Resume, Ctrl+C and progress, through a host that records what the cmdlet would write.
    /// </summary>
    public sealed class SendSessionTests : IClassFixture<SandboxFixture>, IDisposable
    {
        private readonly SandboxFixture _f;
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "otptools-session-" + Guid.NewGuid().ToString("N"));

        public SendSessionTests(SandboxFixture fixture)
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

        private SendSession Open(RecordingHost host, SendSessionOptions options, CancellationToken cancellation = default, string key = SandboxKeys.OtpBlue) =>
            SendSession.Open(new[] { _f.OtpBlueHop(key) }, options, host, cancellation);

        [Fact]
        public void Every_row_yields_one_receipt_bad_rows_an_error_too_and_progress_ends_completed()
        {
            _f.Sandbox.Faults.SetLatency("otpblue", TimeSpan.FromMilliseconds(20));
            var host = new RecordingHost();
            using (var session = Open(host, new SendSessionOptions { ThrottleLimit = 4, Total = 30 }))
            {
                var rows = Rows(30, 30400000).ToList();
                rows[6].To = "not a number";
                rows[11].To = OtpBlueScenarios.NoIMessage;
                foreach (var row in rows) session.Add(row);
                session.End();
            }
            Assert.Equal(Enumerable.Range(1, 30), host.Receipts.Select(r => r.Position).OrderBy(p => p));
            Assert.Equal(new[] { 7, 12 }, host.Receipts.Where(r => !r.Success).Select(r => r.Position).OrderBy(p => p));
            Assert.Equal(new[] { "OtpBlue.NoIMessage", "Validation.InvalidPhoneNumber" }, host.Errors.Select(e => e.ErrorId).OrderBy(id => id, StringComparer.Ordinal));
            Assert.NotEmpty(host.Progress);
            Assert.True(host.Progress.Last().Completed);
            Assert.Equal(1, host.Progress.Count(p => p.Completed));
            Assert.Equal("Send-OtpCode via OtpBlue", host.Progress.Last().Activity);
            Assert.StartsWith("28 sent, 2 failed", host.Progress.Last().Status);
        }

        [Fact]
        public void Stop_at_first_failure_writes_every_receipt_in_flight_before_the_error_and_starts_nothing_after_it()
        {
            _f.Sandbox.Faults.SetLatency("otpblue", TimeSpan.FromMilliseconds(50));
            var before = _f.Sandbox.RequestCount("otpblue");
            var host = new RecordingHost { ErrorsEndTheRun = true };
            var rows = Rows(40, 30410000).ToList();
            rows[1].To = OtpBlueScenarios.NoIMessage;
            using (var session = Open(host, new SendSessionOptions { ThrottleLimit = 4, StopAtFirstFailure = true }))
            {
                Assert.Throws<RunEnded>(() =>
                {
                    foreach (var row in rows) session.Add(row);
                    session.End();
                });
            }
            // The error is the last thing written; every request that went out has its receipt before it.
            Assert.Equal("error:2", host.Events.Last());
            Assert.Equal(Sent(before), host.Receipts.Count);
            Assert.InRange(host.Receipts.Count, 2, 4 + 4);
            Assert.Equal(host.Receipts.Count, host.Receipts.Select(r => r.Position).Distinct().Count());
        }

        [Fact]
        public void WhatIf_checks_every_row_sends_nothing_and_creates_no_journal()
        {
            var journal = Path.Combine(_folder, "whatif.jsonl");
            var before = _f.Sandbox.RequestCount("otpblue");
            var host = new RecordingHost { Answer = (_, _) => SendStatus.WhatIf };
            using (var session = Open(host, new SendSessionOptions { JournalPath = journal, WhatIf = true }))
            {
                foreach (var row in Rows(3, 30420000).Append(new OtpTools.Engine.Providers.OtpSendRequest { To = "12" })) session.Add(row);
                session.End();
            }
            Assert.Equal(0, Sent(before));
            Assert.False(File.Exists(journal));
            Assert.True(host.Receipts.Take(3).All(r => r.Status == SendStatus.WhatIf), string.Join("; ", host.Receipts.Select(r => r.ErrorId + " " + r.Message)));
            Assert.Equal(SendStatus.Failed, host.Receipts[3].Status);
            Assert.Equal("Send one-time passcode via OtpBlue", host.Asked[0].Operation);
            Assert.Equal("+61430420001 (row 1)", host.Asked[0].Target);
        }

        [Fact]
        public void Rows_declined_at_the_prompt_are_not_sent_and_the_others_are()
        {
            var before = _f.Sandbox.RequestCount("otpblue");
            var host = new RecordingHost { Answer = (_, target) => target.EndsWith("(row 2)", StringComparison.Ordinal) ? SendStatus.Declined : null };
            using (var session = Open(host, new SendSessionOptions()))
            {
                foreach (var row in Rows(3, 30430000)) session.Add(row);
                session.End();
            }
            Assert.Equal(2, Sent(before));
            Assert.Equal(SendStatus.Declined, host.Receipts.Single(r => r.Position == 2).Status);
            Assert.Empty(host.Errors);
        }

        [Fact]
        public void Resume_sends_only_rows_the_journal_does_not_show_as_possibly_sent()
        {
            var journal = Path.Combine(_folder, "resume.jsonl");
            using (var first = SendJournal.Create(journal, "OtpBlue"))
            {
                first.Result(new OtpSendResult { Position = 1, Recipient = "+61430440001", Status = "sent", Success = true, MessageId = "m1" });
                first.Result(new OtpSendResult { Position = 2, Recipient = "+61430440002", Status = SendStatus.Failed });
            }
            var before = _f.Sandbox.RequestCount("otpblue");
            var host = new RecordingHost();
            using (var session = Open(host, new SendSessionOptions { JournalPath = journal, Resume = true }))
            {
                foreach (var row in Rows(3, 30440000)) session.Add(row);
                // Nothing goes out before the whole input has been checked against the journal.
                Assert.Equal(0, Sent(before));
                session.End();
            }
            Assert.Equal(2, Sent(before));
            var resumed = host.Receipts.Single(r => r.Position == 1);
            Assert.True(resumed.Resumed);
            Assert.Equal("m1", resumed.MessageId);
            Assert.True(host.Receipts.Where(r => r.Position != 1).All(r => r.Success && !r.Resumed));
        }

        [Fact]
        public void Resume_with_other_input_than_the_journal_recorded_sends_nothing()
        {
            var journal = Path.Combine(_folder, "mismatch.jsonl");
            using (var first = SendJournal.Create(journal, "OtpBlue"))
                first.Result(new OtpSendResult { Position = 2, Recipient = "+61499999999", Status = SendStatus.Failed });
            var before = _f.Sandbox.RequestCount("otpblue");
            var host = new RecordingHost();
            using var session = Open(host, new SendSessionOptions { JournalPath = journal, Resume = true });
            foreach (var row in Rows(3, 30450000)) session.Add(row);
            var error = Assert.Throws<OtpException>(() => session.End());
            Assert.Equal("Journal.InputMismatch", error.ErrorId);
            Assert.Equal("+61430450002", error.TargetValue);
            Assert.Equal(0, Sent(before));
            Assert.Empty(host.Receipts);
        }

        [Fact]
        public void Resume_without_a_journal_is_refused_before_anything_is_sent()
        {
            var error = Assert.Throws<OtpException>(() => Open(new RecordingHost(), new SendSessionOptions { Resume = true }));
            Assert.Equal("Validation.ResumeWithoutJournal", error.ErrorId);
        }

        [Fact]
        public async Task Ctrl_C_starts_no_new_row_and_without_a_journal_names_the_rows_in_flight()
        {
            _f.Sandbox.Faults.Inject("otpblue", FaultKind.Hang, times: 2);
            var before = _f.Sandbox.RequestCount("otpblue");
            using var stop = new CancellationTokenSource();
            var host = new RecordingHost();
            var session = Open(host, new SendSessionOptions { ThrottleLimit = 2 }, stop.Token);
            var rows = Rows(5, 30460000).ToList();
            session.Add(rows[0]);
            session.Add(rows[1]);
            await WaitUntil(() => Sent(before) == 2);
            session.NoteStop();
            stop.Cancel();
            Assert.Throws<OperationCanceledException>(() => session.Add(rows[2]));
            session.Dispose();
            Assert.Equal(2, Sent(before));
            Assert.Contains("row(s) 1, 2 in flight", session.StopWarning);
        }

        [Fact]
        public void A_stopped_run_with_a_journal_records_the_rows_in_flight_instead_of_warning()
        {
            var journal = Path.Combine(_folder, "stopped.jsonl");
            _f.Sandbox.Faults.Inject("otpblue", FaultKind.Hang, times: 1);
            using var stop = new CancellationTokenSource();
            var host = new RecordingHost();
            var rows = Rows(2, 30470000).ToList();
            var session = Open(host, new SendSessionOptions { JournalPath = journal }, stop.Token);
            using (session)
            {
                session.Add(rows[0]);
                session.NoteStop();
                stop.Cancel();
                Assert.Throws<OperationCanceledException>(() => session.Add(rows[1]));
            }
            Assert.Null(session.StopWarning);
            Assert.Equal("Send.StoppedInFlight", SendJournal.Read(journal, _ => { })[1].Receipt!.ErrorId);
        }

        /// <summary>Requests OTP Blue's sandbox received since <paramref name="before"/> (its running count).</summary>
        private int Sent(int before) => _f.Sandbox.RequestCount("otpblue") - before;

        private static async Task WaitUntil(Func<bool> condition)
        {
            for (var i = 0; i < 1200 && !condition(); i++) await Task.Delay(50);
            Assert.True(condition());
        }
    }
}
