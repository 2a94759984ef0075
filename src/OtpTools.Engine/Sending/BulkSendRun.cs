using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OtpTools.Engine.Providers;

namespace OtpTools.Engine.Sending
{
    /// <summary>How a bulk run behaves.</summary>
    public sealed class BulkSendOptions
    {
        /// <summary>Sends in flight at once.</summary>
        public int ThrottleLimit { get; set; } = 4;
        /// <summary>-ErrorAction Stop: after the first failure no further request starts (those in flight finish).</summary>
        public bool StopAtFirstFailure { get; set; }
        /// <summary>The journal, when the run keeps one.</summary>
        public SendJournal? Journal { get; set; }
        /// <summary>The run's outward gate: a receipt passes it before the journal or the caller sees it.</summary>
        public Http.OutwardText Outward { get; set; } = new Http.OutwardText();
    }

    /// <summary>
    /// The scheduling of a bulk send, free of PowerShell: throttle, journal, the credential breaker, stop at the first
    /// failure, cancellation, and the figures progress shows. The caller submits rows in input order on one thread and
    /// takes finished outcomes as they come; every submitted row yields exactly one outcome.
    /// </summary>
    public sealed class BulkSendRun
    {
        private readonly IRowSender _service;
        private readonly BulkSendOptions _options;
        private readonly string _provider;
        private readonly List<(int Position, Task Task)> _inFlight = new List<(int, Task)>();
        private readonly ConcurrentQueue<SendOutcome> _finished = new ConcurrentQueue<SendOutcome>();
        // Set once, by the first answer that shows no later row can succeed: the row and that answer's error.
        private Ending? _ending;
        private int _halted;

        public BulkSendRun(IRowSender service, BulkSendOptions options, string provider)
        {
            _service = service;
            _options = options;
            _provider = provider;
        }

        private int _succeeded;
        private int _failed;

        public int Succeeded => Volatile.Read(ref _succeeded);
        /// <summary>What the providers' rate limits allow, once one has been met (for progress).</summary>
        public string? RateNote => _service.RateNote;
        public int Failed => Volatile.Read(ref _failed);

        /// <summary>Set when the journal could not record an outcome: the run must end, since rows would go unrecorded.</summary>
        public OtpException? JournalFailure { get; private set; }
        public int InFlight { get { lock (_inFlight) return _inFlight.Count; } }
        public int[] InFlightPositions { get { lock (_inFlight) return _inFlight.Select(f => f.Position).OrderBy(p => p).ToArray(); } }

        /// <summary>True once -ErrorAction Stop's first failure happened: nothing more starts.</summary>
        public bool Halted => Volatile.Read(ref _halted) != 0;

        /// <summary>
        /// The row whose answer showed that no later row can succeed (0: none): the provider rejects the credential, or
        /// its rate limit never lifted (<see cref="OtpException.EndsRun"/>).
        /// </summary>
        public int EndedAt => Volatile.Read(ref _ending)?.Position ?? 0;

        /// <summary>
        /// Checks a row. Returns null and the prepared send when it may go out; otherwise the row's outcome, already
        /// final (invalid input, or not sent because the credential was rejected).
        /// </summary>
        public SendOutcome? Check(OtpSendRequest request, out PreparedSend? prepared)
        {
            prepared = null;
            SendOutcome outcome;
            if (EndedAt != 0)
            {
                outcome = NotSentAfterEnding(request);
            }
            else
            {
                try
                {
                    prepared = _service.Prepare(request);
                    return null;
                }
                catch (OtpException invalid)
                {
                    outcome = _service.Failed(request, invalid);
                }
            }
            Finish(outcome);
            return outcome;
        }

        private SendOutcome NotSentAfterEnding(OtpSendRequest request)
        {
            var ending = Volatile.Read(ref _ending)!;
            var error = ending.Error.EndsRun
                ? new OtpException("Send.RateLimitNotLifted", OtpErrorCategory.LimitsExceeded,
                    $"Not sent: {_provider} kept refusing requests for its rate limit (row {ending.Position}), so no further request was made. " +
                    "Send this row again later (-Resume with the run's journal sends exactly these rows).")
                : new OtpException("Send.CredentialRejected", OtpErrorCategory.AuthenticationError,
                    $"Not sent: {_provider} rejected the credential on row {ending.Position}, so no further request was made. Fix the key, then send this row again (-Resume with the run's journal sends exactly these rows).");
            error.Provider = _provider;
            var outcome = _service.Failed(request, error);
            outcome.Quiet = true;
            return outcome;
        }

        /// <summary>The outcome of a row that was checked but will not be sent (-WhatIf, declined at -Confirm, resumed).</summary>
        public SendOutcome NotSent(PreparedSend prepared, string status, string message)
        {
            var result = new OtpSendResult { Status = status, Message = message };
            _service.Stamp(result, prepared.Request, prepared.Destination);
            _options.Journal?.Result(_options.Outward.Clean(result, recipientIsCallers: true));
            return new SendOutcome(result, null);
        }

        /// <summary>An earlier run's receipt for a row that must not be sent again (-Resume).</summary>
        public SendOutcome FromJournal(JournalRow row)
        {
            var receipt = row.ToReceipt();
            receipt.Resumed = true;
            Count(receipt);
            return new SendOutcome(receipt, null) { Quiet = true };
        }

        /// <summary>Whether fewer than ThrottleLimit requests are in flight.</summary>
        public bool HasFreeSlot => InFlight < _options.ThrottleLimit;

        /// <summary>A task that completes when one of the requests in flight finishes.</summary>
        public Task WhenOneFinishes()
        {
            lock (_inFlight) return _inFlight.Count == 0 ? Task.CompletedTask : Task.WhenAny(_inFlight.Select(f => f.Task));
        }

        /// <summary>A task that completes when every request in flight has finished (and its journal entry is written).</summary>
        public Task WhenAllFinish()
        {
            lock (_inFlight) return Task.WhenAll(_inFlight.Select(f => f.Task).ToArray());
        }

        /// <summary>
        /// Sends a checked row: the journal entry first (on disk before the request leaves), then the request. Its
        /// outcome arrives through <see cref="TakeFinished"/>. The caller waits for a free slot before calling. Returns
        /// the row's outcome instead when the credential was rejected meanwhile (the row is not sent).
        /// </summary>
        public SendOutcome? Start(PreparedSend prepared, CancellationToken cancellationToken)
        {
            if (EndedAt != 0)
            {
                var outcome = NotSentAfterEnding(prepared.Request);
                Finish(outcome);
                return outcome;
            }
            _options.Journal?.Sending(prepared, _provider);
            // Listed before its send starts, under a place that completes only once the send has unlisted itself: a send
            // that finished before being listed would stay listed for ever, and the run would wait for it in a busy loop.
            var place = new TaskCompletionSource<bool>();
            lock (_inFlight) _inFlight.Add((prepared.Request.Position, place.Task));
            _ = SendAndRecordAsync(prepared, place, cancellationToken);
            return null;
        }

        private async Task SendAndRecordAsync(PreparedSend prepared, TaskCompletionSource<bool> place, CancellationToken cancellationToken)
        {
            // The caller (the pipeline thread) goes back to its rows at once; the send runs on the pool. (Starting it on
            // the caller's thread measured no faster in benchmark 1.)
            await Task.Yield();
            SendOutcome outcome;
            try
            {
                outcome = await _service.SendAsync(prepared, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped (Ctrl+C) while the request may have been on the wire: the code may have arrived.
                outcome = _service.Failed(prepared.Request, new OtpException("Send.StoppedInFlight", OtpErrorCategory.OperationStopped,
                    "The run was stopped while this row's request was in flight: the code may have been delivered.")
                { MayHaveBeenDelivered = true, Attempts = 1 }, prepared.Destination);
            }
            catch (OtpException error)
            {
                outcome = _service.Failed(prepared.Request, error, prepared.Destination);
            }
            catch (Exception unexpected)
            {
                // A fault of this module, not of the provider: the row still gets its one receipt, and is never resent.
                outcome = _service.Failed(prepared.Request, new OtpException("Send.Unexpected", OtpErrorCategory.InvalidResult,
                    $"The send failed inside OtpTools ({unexpected.GetType().Name}): the code may have been delivered; it was not resent.", unexpected)
                { MayHaveBeenDelivered = true, Attempts = 1 }, prepared.Destination);
            }
            if (outcome.Error is OtpException ends && (ends.CredentialRejected || ends.EndsRun))
                Interlocked.CompareExchange(ref _ending, new Ending(prepared.Request.Position, ends), null);
            try
            {
                Finish(outcome);
            }
            catch (OtpException journalFailure)
            {
                JournalFailure ??= journalFailure;
                Interlocked.Exchange(ref _halted, 1);
            }
            finally
            {
                // Queued before it leaves the in-flight list: a caller that sees nothing in flight must find every outcome.
                _finished.Enqueue(outcome);
                lock (_inFlight) _inFlight.RemoveAll(f => f.Position == prepared.Request.Position);
                place.SetResult(true);
            }
        }

        /// <summary>Counts and journals a row's final outcome.</summary>
        private void Finish(SendOutcome outcome)
        {
            Count(outcome.Result);
            if (_options.StopAtFirstFailure && !outcome.Result.Success && !outcome.Quiet) Interlocked.Exchange(ref _halted, 1);
            _options.Journal?.Result(_options.Outward.Clean(outcome.Result, recipientIsCallers: true));
        }

        private void Count(OtpSendResult result)
        {
            if (result.Success) Interlocked.Increment(ref _succeeded);
            else Interlocked.Increment(ref _failed);
        }

        /// <summary>
        /// -Resume: checks the input against the journal as a whole (the same recipient at each recorded position, or
        /// Journal.InputMismatch before anything is sent), then says for each row whether it goes out or yields the
        /// journal's receipt (a row whose request may have left is never sent again).
        /// </summary>
        public IReadOnlyList<(OtpSendRequest Row, SendOutcome? FromJournal)> ResumePlan(IReadOnlyList<OtpSendRequest> rows, string journalPath)
        {
            var earlier = _options.Journal?.Earlier ?? new Dictionary<int, JournalRow>();
            foreach (var request in rows)
            {
                if (earlier.TryGetValue(request.Position, out var row) && !string.Equals(row.Recipient, request.To, StringComparison.Ordinal))
                    throw new OtpException("Journal.InputMismatch", OtpErrorCategory.InvalidData,
                        $"Nothing was sent: row {request.Position} of this input is '{request.To}', but the journal '{journalPath}' recorded " +
                        $"'{row.Recipient}' at that position. -Resume needs the same input, in the same order, as the run it continues.")
                    { TargetValue = request.To, ParameterName = "To" };
            }
            return rows.Select(request => (request, earlier.TryGetValue(request.Position, out var row) && row.MayHaveLeft ? FromJournal(row) : null)).ToList();
        }

        /// <summary>Progress as a line ("12 sent, 1 failed, 4 in flight, 9.5/s; OtpBlue's rate limit ..."), with the share done of a known total.</summary>
        public (string Status, int? Percent, int? SecondsRemaining) Progress(TimeSpan elapsed, int? total)
        {
            var succeeded = Succeeded;
            var failed = Failed;
            var done = succeeded + failed;
            var rate = elapsed.TotalSeconds > 0 ? done / elapsed.TotalSeconds : 0;
            var status = $"{succeeded} sent, {failed} failed, {InFlight} in flight, {rate:0.0}/s" + (RateNote is string limit ? "; " + limit : "");
            if (!(total is int all) || all <= 0) return (status, null, null);
            return (status, Math.Min(100, done * 100 / all), rate > 0 ? (int)((all - done) / rate) : (int?)null);
        }

        /// <summary>The outcomes of requests that finished since the last call, in the order they finished.</summary>
        public IReadOnlyList<SendOutcome> TakeFinished()
        {
            var list = new List<SendOutcome>();
            while (_finished.TryDequeue(out var outcome)) list.Add(outcome);
            return list;
        }

        private sealed class Ending
        {
            public Ending(int position, OtpException error)
            {
                Position = position;
                Error = error;
            }

            public int Position { get; }
            public OtpException Error { get; }
        }
    }
}
