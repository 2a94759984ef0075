using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OtpTools.Engine.Credentials;
using OtpTools.Engine.Listing;
using OtpTools.Engine.Providers;
using OtpTools.Engine.Providers.EngageLab;
using OtpTools.Engine.Providers.GetOtp;
using OtpTools.Engine.Providers.OtpBlue;
using OtpTools.Engine.Providers.Otpiq;
using OtpTools.Engine.Sending;
using OtpTools.Sandbox;
using OtpTools.Sandbox.Providers.EngageLab;
using OtpTools.Tests.Shared;
using Xunit;

namespace OtpTools.Engine.Tests
{
    /// <summary>
    /// Faults of the transport and of the answer's shape, played under whole bulk runs and whole listings: every row
    /// yields one receipt and no code arrives twice; a listing yields every row once or stops with a clear error after an
    /// unbroken prefix. (An echoed credential and escape sequences have tests of their own.)
    /// </summary>
    /// <remarks>
    /// One class per provider and per listing (below), each with a sandbox of its own, so that their waits (timeouts,
    /// a rate limit's pauses) run side by side.
    /// </remarks>
    public abstract class FaultMatrix : IClassFixture<SandboxFixture>, IDisposable
    {
        private static int _batch;
        private readonly SandboxFixture _f;

        /// <summary>The sending provider ("OtpBlue", "Otpiq", "EngageLab") or the listing ("history", "senders") this class runs.</summary>
        protected abstract string Subject { get; }

        protected FaultMatrix(SandboxFixture fixture)
        {
            _f = fixture;
            _f.Sandbox.Faults.Clear();
        }

        public void Dispose() => _f.Sandbox.Faults.Clear();

        public static IEnumerable<object[]> TransportFaults() =>
            Enum.GetValues<FaultKind>().Where(f => f != FaultKind.EchoCredential && f != FaultKind.EscapeSequences && f != FaultKind.EscapeSequencesInError && f != FaultKind.EchoRequestBody)
                .Select(fault => new object[] { fault });

        /// <summary>
        /// Per sending provider: its sandbox prefix, its connection, rows that respect its per-recipient limits (OTPIQ
        /// allows 10 sends per number per 10 minutes, EngageLab one per template and recipient), and the codes its sandbox delivered.
        /// </summary>
        private (string Prefix, (OtpConnection, IOtpCodeSender) Hop, List<OtpSendRequest> Rows, Func<List<string>> Delivered) Bulk(string provider, int count, string code, FaultKind fault)
        {
            var batch = Interlocked.Increment(ref _batch);
            var options = new OtpCallOptions { MaxRetry = 10, Timeout = AnswerTimeout(fault), BaseDelay = TimeSpan.FromMilliseconds(5) };
            (OtpConnection, IOtpCodeSender) Hop(IOtpProviderType type, string prefix, OtpCredential credential)
            {
                var (connection, client) = _f.Connect(type, prefix, credential, options);
                return (connection, (IOtpCodeSender)client);
            }
            List<OtpSendRequest> Rows(Func<int, string> to, Action<OtpSendRequest>? more = null) => Enumerable.Range(1, count).Select(i =>
            {
                var row = new OtpSendRequest { To = to(i), Code = code + i.ToString("D4") };
                more?.Invoke(row);
                return row;
            }).ToList();
            switch (provider)
            {
                case "Otpiq":
                    return ("otpiq", Hop(new OtpiqProviderType(), "otpiq", OtpCredential.FromPlainText(SandboxKeys.Otpiq, "test")),
                        Rows(i => "964750" + (batch * 100 + i).ToString("D7")),
                        () => _f.Sandbox.Otpiq.Deliveries.Select(d => d.VerificationCode).Where(c => c.StartsWith(code, StringComparison.Ordinal)).ToList());
                case "EngageLab":
                    return ("engagelab", Hop(new EngageLabProviderType(), "engagelab",
                            OtpCredential.FromKeyPair(OtpCredential.ToSecure(SandboxKeys.EngageLabDevKey), OtpCredential.ToSecure(SandboxKeys.EngageLabDevSecret), "test")),
                        Rows(i => $"r{i}@{code.ToLowerInvariant()}.example.com", row => row.Options["TemplateId"] = EngageLabScenarios.EmailTemplate),
                        () => _f.Sandbox.EngageLab.Deliveries.Select(d => d.Code).Where(c => c.StartsWith(code, StringComparison.Ordinal)).ToList());
                default:
                    return ("otpblue", Hop(new OtpBlueProviderType(), "otpblue", OtpCredential.FromPlainText(SandboxKeys.OtpBlue, "test")),
                        Rows(_ => "+61412345678"),
                        () => _f.Sandbox.OtpBlue.Deliveries.Select(d => d.Text).Where(t => t.StartsWith(code, StringComparison.Ordinal)).ToList());
            }
        }

        /// <summary>
        /// A hung answer is given up after a second; any other answer gets the default time, so that a busy machine
        /// (the classes run side by side) does not turn a slow answer into a timeout the fault did not cause.
        /// </summary>
        private static TimeSpan AnswerTimeout(FaultKind fault) => fault == FaultKind.Hang ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(30);

        /// <summary>A bulk run of 50 rows with every third request faulted.</summary>
        protected void BulkRunUnder(FaultKind fault)
        {
            var provider = Subject;
            const int count = 50;
            var code = "F" + Interlocked.Increment(ref _batch).ToString("D3");
            var bulk = Bulk(provider, count, code, fault);
            // A rate limit's 429/503 slows the whole run down to what gets through (RateLimitTests measure that); here
            // three of them are enough to prove the refused rows go again and arrive once.
            var rateLimit = fault == FaultKind.TooManyRequests || fault == FaultKind.ServiceUnavailable;
            _f.Sandbox.Faults.Inject(bulk.Prefix, fault, everyNth: 3, times: rateLimit ? 3 : int.MaxValue, retryAfter: "0");
            var host = new RecordingHost();
            try
            {
                using var session = SendSession.Open(new[] { bulk.Hop }, new SendSessionOptions { ThrottleLimit = 6 }, host, CancellationToken.None);
                foreach (var row in bulk.Rows) session.Add(row);
                session.End();
            }
            finally
            {
                _f.Sandbox.Faults.Clear();
            }

            BulkFaultOutcomes.Check(host.Receipts, bulk.Delivered(), r => code + r.Position.ToString("D4"), count, fault, host.Errors.Count);
        }

        /// <summary>A listing of 2,600 rows in pages of 500 with every second request faulted.</summary>
        protected async Task ListingUnder(FaultKind fault)
        {
            var history = Subject == "history";
            var options = new OtpCallOptions { MaxRetry = 2, Timeout = AnswerTimeout(fault), BaseDelay = TimeSpan.FromMilliseconds(5) };
            List<string> expected;
            var ids = new List<string>();
            OtpException? error = null;
            if (history)
            {
                _f.Sandbox.OtpBlue.SeedHistory(2600, new DateTime(2025, 11, 1), new DateTime(2025, 11, 30));
                expected = Enumerable.Range(0, 2600).Select(i => _f.Sandbox.OtpBlue.SeededRow(i).Id!).ToList();
                var (connection, client) = _f.Connect(new OtpBlueProviderType(), "otpblue", OtpCredential.FromPlainText(SandboxKeys.OtpBlue, "test"), options);
                var pager = ((OtpBlueClient)client).History(new OtpHistoryQuery { From = new DateTime(2025, 11, 1), To = new DateTime(2025, 11, 30), PageSize = 500 });
                error = await ReadAll(new ListingSession<OtpHistoryEntry>(pager, connection, new ListingWindow(), null, CancellationToken.None), row => ids.Add(row.Id!), "otpblue", fault);
            }
            else
            {
                _f.Sandbox.GetOtp.SeedSenders(2600);
                expected = Enumerable.Range(0, 2600).Select(i => Sandbox.Providers.GetOtp.GetOtpSandbox.SeededSender(i).Id!).ToList();
                var (connection, client) = _f.Connect(new GetOtpProviderType(), "getotp", OtpCredential.FromPlainText(SandboxKeys.GetOtp, "test"), options);
                var pager = ((GetOtpClient)client).Senders(new OtpSenderQuery { PageSize = 500 });
                error = await ReadAll(new ListingSession<OtpSender>(pager, connection, new ListingWindow(), null, CancellationToken.None), row => ids.Add(row.Id!), "getotp", fault);
            }
            if (error == null)
            {
                Assert.Equal(expected, ids);
            }
            else
            {
                // A clear error, and the rows before it are an unbroken prefix of the listing.
                Assert.StartsWith("Http.", error.ErrorId);
                Assert.Equal(expected.Take(ids.Count), ids);
                Assert.True(ids.Count < expected.Count);
            }
        }

        /// <summary>Reads a whole listing with every second request faulted; the error that ended it, if any.</summary>
        private async Task<OtpException?> ReadAll<T>(ListingSession<T> listing, Action<T> take, string prefix, FaultKind fault) where T : class
        {
            _f.Sandbox.Faults.Inject(prefix, fault, everyNth: 2, retryAfter: "0");
            try
            {
                using (listing)
                {
                    for (var page = await listing.NextAsync(); page != null; page = await listing.NextAsync())
                        foreach (var row in page) take(row);
                }
                return null;
            }
            catch (OtpException error)
            {
                return error;
            }
            finally
            {
                _f.Sandbox.Faults.Clear();
            }
        }
    }

    public abstract class SendFaultMatrix : FaultMatrix
    {
        protected SendFaultMatrix(SandboxFixture fixture) : base(fixture) { }

        [Theory]
        [MemberData(nameof(TransportFaults), MemberType = typeof(FaultMatrix))]
        public void Under_each_fault_a_bulk_run_yields_one_receipt_per_row_and_never_delivers_a_code_twice(FaultKind fault) => BulkRunUnder(fault);
    }

    public abstract class ListingFaultMatrix : FaultMatrix
    {
        protected ListingFaultMatrix(SandboxFixture fixture) : base(fixture) { }

        [Theory]
        [MemberData(nameof(TransportFaults), MemberType = typeof(FaultMatrix))]
        public Task Paging_under_a_fault_yields_every_row_once_or_a_clear_error_never_a_silent_gap(FaultKind fault) => ListingUnder(fault);
    }

    public sealed class OtpBlueSendFaultTests : SendFaultMatrix
    {
        public OtpBlueSendFaultTests(SandboxFixture fixture) : base(fixture) { }
        protected override string Subject => "OtpBlue";
    }

    public sealed class OtpiqSendFaultTests : SendFaultMatrix
    {
        public OtpiqSendFaultTests(SandboxFixture fixture) : base(fixture) { }
        protected override string Subject => "Otpiq";
    }

    public sealed class EngageLabSendFaultTests : SendFaultMatrix
    {
        public EngageLabSendFaultTests(SandboxFixture fixture) : base(fixture) { }
        protected override string Subject => "EngageLab";
    }

    public sealed class HistoryListingFaultTests : ListingFaultMatrix
    {
        public HistoryListingFaultTests(SandboxFixture fixture) : base(fixture) { }
        protected override string Subject => "history";
    }

    public sealed class SenderListingFaultTests : ListingFaultMatrix
    {
        public SenderListingFaultTests(SandboxFixture fixture) : base(fixture) { }
        protected override string Subject => "senders";
    }
}
