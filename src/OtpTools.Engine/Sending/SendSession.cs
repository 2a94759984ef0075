using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OtpTools.Engine.Http;
using OtpTools.Engine.Providers;

namespace OtpTools.Engine.Sending
{
    /// <summary>What a send session needs of whoever runs it (Send-OtpCode: PowerShell's streams and prompts).</summary>
    public interface ISendSessionHost
    {
        /// <summary>Blocks until <paramref name="task"/> completes, calling <paramref name="tick"/> now and then while it waits.</summary>
        void Wait(Task task, Action tick);
        /// <summary>-WhatIf / -Confirm: null when the row may be sent; otherwise <see cref="SendStatus.WhatIf"/> or <see cref="SendStatus.Declined"/>.</summary>
        string? Consent(string operation, string target);
        /// <summary>Writes the engine's trace lines queued so far (so they come before the receipts they explain).</summary>
        void FlushTrace();
        void WriteReceipt(OtpSendResult receipt);
        void WriteError(OtpException error, string? recipient);
        void WriteProgress(SendProgress progress);
    }

    /// <summary>One progress update of a run.</summary>
    public sealed class SendProgress
    {
        public string Activity { get; set; } = "";
        public string Status { get; set; } = "";
        public int? Percent { get; set; }
        public int? SecondsRemaining { get; set; }
        public bool Completed { get; set; }
    }

    /// <summary>How a send session runs.</summary>
    public sealed class SendSessionOptions
    {
        public int ThrottleLimit { get; set; } = 4;
        /// <summary>-ErrorAction Stop: at the first failure nothing more starts; those in flight finish and get their receipts first.</summary>
        public bool StopAtFirstFailure { get; set; }
        /// <summary>The journal's full path, or null for none.</summary>
        public string? JournalPath { get; set; }
        /// <summary>Continue the run recorded in <see cref="JournalPath"/>.</summary>
        public bool Resume { get; set; }
        /// <summary>-WhatIf: every check runs, nothing is sent, and no journal is created or appended to.</summary>
        public bool WhatIf { get; set; }
        /// <summary>The number of rows, when known before they come (an argument rather than a pipeline).</summary>
        public int? Total { get; set; }
        public OutwardText Outward { get; set; } = new OutwardText();
    }

    /// <summary>
    /// A bulk send from the bound rows to the receipts, free of PowerShell: the route, the journal and -Resume, the
    /// throttle, the credential and rate-limit breaker, -ErrorAction Stop's ordering (every receipt before the error that
    /// ends the run), consent, progress and Ctrl+C. Rows are added in input order on one thread; every row yields exactly
    /// one receipt through the host. A stop surfaces as <see cref="OperationCanceledException"/>, a journal that cannot
    /// be kept as <see cref="OtpException"/>.
    /// </summary>
    public sealed class SendSession : IDisposable
    {
        private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);
        private readonly ISendSessionHost _host;
        private readonly SendSessionOptions _options;
        private readonly CancellationToken _cancellation;
        private readonly BulkSendRun _run;
        private readonly SendJournal? _journal;
        private readonly List<OtpSendRequest> _resumeRows = new List<OtpSendRequest>();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private int _position;
        private TimeSpan? _lastProgress;
        private int[]? _inFlightAtStop;

        private SendSession(IRowSender sender, string providerName, SendSessionOptions options, ISendSessionHost host, CancellationToken cancellation)
        {
            ProviderName = providerName;
            _options = options;
            _host = host;
            _cancellation = cancellation;
            if (options.Resume && options.JournalPath == null)
                throw new OtpException("Validation.ResumeWithoutJournal", OtpErrorCategory.InvalidArgument,
                    "-Resume continues the run recorded in a journal: give its -JournalPath.") { ParameterName = "Resume" };
            if (options.JournalPath != null && !options.WhatIf)
                _journal = options.Resume ? SendJournal.Resume(options.JournalPath, providerName) : SendJournal.Create(options.JournalPath, providerName);
            _run = new BulkSendRun(sender,
                new BulkSendOptions { ThrottleLimit = options.ThrottleLimit, StopAtFirstFailure = options.StopAtFirstFailure, Journal = _journal, Outward = options.Outward },
                providerName);
        }

        /// <summary>
        /// Opens a session over one provider or a route of them (in order: a row moves on only when an answer proves
        /// nothing was delivered). Each hop has its own connection, credential and rate limit.
        /// </summary>
        public static SendSession Open(IReadOnlyList<(OtpConnection Connection, IOtpCodeSender Sender)> hops, SendSessionOptions options,
            ISendSessionHost host, CancellationToken cancellation)
        {
            var services = hops.Select(hop => new OtpSendService(hop.Connection, hop.Sender, options.ThrottleLimit)).ToList();
            var name = string.Join(" > ", hops.Select(hop => hop.Connection.Provider.Name));
            IRowSender sender = services.Count == 1 ? (IRowSender)services[0] : new RouteSendService(services);
            return new SendSession(sender, name, options, host, cancellation);
        }

        /// <summary>The provider, or the route as "OtpBlue > Otpiq".</summary>
        public string ProviderName { get; }

        /// <summary>Adds the next input row (its position is given here). A resumed run holds rows until <see cref="End"/>.</summary>
        public void Add(OtpSendRequest row)
        {
            row.Position = ++_position;
            // A resumed run is checked against its journal as a whole before anything is sent.
            if (_options.Resume) _resumeRows.Add(row);
            else Send(row);
        }

        /// <summary>No more rows: sends a resumed run's rows, then waits for every request in flight and writes its receipt.</summary>
        public void End()
        {
            if (_options.Resume) SendResumed();
            while (_run.InFlight > 0)
            {
                WaitFor(_run.WhenOneFinishes());
                EmitFinished();
            }
            EmitFinished();
            ReportProgress(final: true);
        }

        /// <summary>
        /// Ctrl+C, from any thread: only noted (the token stops the requests); the rows in flight now are named by
        /// <see cref="StopWarning"/> when no journal records them.
        /// </summary>
        public void NoteStop() => _inFlightAtStop = _run.InFlightPositions;

        /// <summary>After a stop without a journal: the rows that were in flight, whose codes may have been delivered.</summary>
        public string? StopWarning => _journal != null || _inFlightAtStop == null || _inFlightAtStop.Length == 0 ? null
            : $"Send-OtpCode stopped with row(s) {string.Join(", ", _inFlightAtStop)} in flight: their codes may have been " +
              "delivered, with no receipt. Check them before sending again; -JournalPath keeps a record that survives a stop.";

        /// <summary>
        /// However the run ends (completed, Ctrl+C, -ErrorAction Stop, an exception): requests still in flight get a
        /// moment to record their outcome, then the journal is closed (and its lock released).
        /// </summary>
        public void Dispose()
        {
            _run.WhenAllFinish().Wait(TimeSpan.FromSeconds(1));
            _journal?.Dispose();
        }

        private void SendResumed()
        {
            foreach (var (row, fromJournal) in _run.ResumePlan(_resumeRows, _options.JournalPath!))
            {
                if (fromJournal != null) Emit(fromJournal);
                else Send(row);
            }
        }

        private void Send(OtpSendRequest request)
        {
            StopIfStopping();
            if (_run.Halted)
            {
                // -ErrorAction Stop: a failure came back; this row is not sent (the journal never records it as sent).
                DrainThenEmit();
                return;
            }
            var outcome = _run.Check(request, out var prepared);
            if (outcome != null)
            {
                Emit(outcome);
                return;
            }
            var refused = _host.Consent($"Send one-time passcode via {ProviderName}", $"{prepared!.Destination} (row {request.Position})");
            if (refused != null)
            {
                Emit(refused == SendStatus.WhatIf
                    ? _run.NotSent(prepared, SendStatus.WhatIf, $"WhatIf: passed every check; would be sent via {ProviderName}. Nothing was sent.")
                    : _run.NotSent(prepared, SendStatus.Declined, "Declined at the -Confirm prompt: nothing was sent."));
                return;
            }
            while (!_run.HasFreeSlot)
            {
                WaitFor(_run.WhenOneFinishes());
                EmitFinished();
                StopIfStopping();
            }
            if (_run.Halted)
            {
                DrainThenEmit();
                return;
            }
            var notSent = _run.Start(prepared, _cancellation);
            if (notSent != null) Emit(notSent);
            EmitFinished();
        }

        private void WaitFor(Task task) => _host.Wait(task, () => ReportProgress(final: false));

        /// <summary>Ctrl+C: no new request starts (those in flight reach the journal in Dispose).</summary>
        private void StopIfStopping() => _cancellation.ThrowIfCancellationRequested();

        /// <summary>Lets every request in flight finish, then writes the finished outcomes.</summary>
        private void DrainThenEmit()
        {
            WaitFor(_run.WhenAllFinish());
            EmitFinished();
        }

        /// <summary>Writes every finished send, in the order they finished.</summary>
        private void EmitFinished()
        {
            _host.FlushTrace();
            Emit(_run.TakeFinished());
            if (_run.JournalFailure != null) throw _run.JournalFailure;
            ReportProgress(final: false);
        }

        private void Emit(SendOutcome outcome) => Emit(new[] { outcome });

        /// <summary>
        /// Every receipt of a batch first, then the errors: under -ErrorAction Stop the first error ends the run, and
        /// no receipt may be lost to it. Before that error, the requests still in flight finish and get their receipts
        /// (their errors are in their receipts).
        /// </summary>
        private void Emit(IReadOnlyList<SendOutcome> outcomes)
        {
            foreach (var outcome in outcomes) _host.WriteReceipt(outcome.Result);
            foreach (var outcome in outcomes)
            {
                if (outcome.Error == null || outcome.Quiet) continue;
                if (_options.StopAtFirstFailure)
                {
                    WaitFor(_run.WhenAllFinish());
                    _host.FlushTrace();
                    foreach (var other in _run.TakeFinished()) _host.WriteReceipt(other.Result);
                }
                _host.WriteError(outcome.Error, outcome.Result.Recipient);
            }
        }

        private void ReportProgress(bool final)
        {
            var now = _clock.Elapsed;
            // At most four updates a second; none at all for a run too short to have shown any.
            if (!final && _lastProgress != null && now - _lastProgress < ProgressInterval) return;
            if (final && _lastProgress == null) return;
            _lastProgress = now;
            var (status, percent, remaining) = _run.Progress(now, _options.Total);
            _host.WriteProgress(new SendProgress
            {
                Activity = $"Send-OtpCode via {ProviderName}",
                Status = status,
                Percent = percent,
                SecondsRemaining = remaining,
                Completed = final,
            });
        }
    }
}
