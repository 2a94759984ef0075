using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using OtpTools.Engine.Http;

namespace OtpTools.Engine.Sending
{
    /// <summary>
    /// One provider's rate limit as a bulk run learns it, shared by every worker sending to that provider: a 429 (or a
    /// 503 with Retry-After) seen by one pauses all until the time it names. From the first refusal on, requests are
    /// paced: the rate starts at what got through in the last second and doubles each second until a refusal
    /// comes after a full second of sending (one sooner after a pause measures nothing), then grows by 1/s a second back
    /// up to what got through before that refusal and by 0.004/s a success beyond, and at each refusal drops to a tenth
    /// below the lower of itself and what got through in the last second; the requests allowed at once adapt too
    /// (halved at each refusal, one more after as many successes as are allowed). Refusals of requests that started
    /// before the last decrease are the same event and decrease nothing more. So refusals stay rare. A refused
    /// request was not processed: it goes again, and the wait does not use up the row's retries. When the provider
    /// keeps refusing for longer than <see cref="OtpCallOptions.RateLimitTimeout"/> with no success between, the gate
    /// closes: the row and every later one fail with Http.RateLimitNotLifted, not sent.
    /// </summary>
    public sealed class RateGate
    {
        private readonly object _lock = new object();
        private readonly Queue<TaskCompletionSource<bool>> _waiters = new Queue<TaskCompletionSource<bool>>();
        private readonly string _provider;
        private readonly IOtpTrace _trace;
        private readonly int _max;
        private readonly TimeSpan _timeout;
        private int _allowed;
        private int _active;
        private int _successesSinceChange;
        private DateTimeOffset _pausedUntil;
        private DateTimeOffset? _refusingSince;
        private TimeSpan _nextBackoff = TimeSpan.FromSeconds(1);
        private int _refusals;
        private OtpException? _closed;
        // Pacing, once a limit has been met: requests a second, what got through in the second before the last measured
        // refusal, whether it is still probing upwards, when it last grew, the decrease epoch, the next start, and the
        // successes of the last second.
        private double? _rate;
        private double _ceiling;
        private bool _probing;
        private DateTimeOffset _lastGrowth;
        private int _epoch;
        private DateTimeOffset _nextStart;
        private readonly Queue<DateTimeOffset> _recentSuccesses = new Queue<DateTimeOffset>();

        public RateGate(string provider, int maxConcurrency, TimeSpan timeout, IOtpTrace? trace = null)
        {
            _provider = provider;
            _trace = trace ?? NullTrace.Instance;
            _max = Math.Max(1, maxConcurrency);
            _allowed = _max;
            _timeout = timeout;
        }

        /// <summary>Requests the provider refused for its rate limit so far.</summary>
        public int Refusals { get { lock (_lock) return _refusals; } }

        /// <summary>How many requests may be in flight to this provider now.</summary>
        public int Allowed { get { lock (_lock) return _allowed; } }

        /// <summary>For progress: the pace the provider's limit allows, once one has been met; null before.</summary>
        public string? Describe()
        {
            lock (_lock)
            {
                if (_rate == null) return null;
                var paused = _pausedUntil > DateTimeOffset.UtcNow ? $", paused until {_pausedUntil.ToLocalTime():HH:mm:ss}" : "";
                return $"{_provider}'s rate limit allows about {_rate:0.#}/s ({_refusals} refused, {_allowed} at once{paused})";
            }
        }

        /// <summary>Whether an error is the provider's rate limit: the request was not processed and may go again.</summary>
        public static bool IsRateLimit(OtpException error) =>
            error.ErrorId == "Http.TooManyRequests" || (error.ErrorId == "Http.ServiceUnavailable" && error.RetryAfter != null);

        /// <summary>
        /// Runs one attempt of a send through the gate: waits for the pause and for a place, and sends again after each
        /// rate-limit refusal (counted in <paramref name="attempts"/>, not in the retries).
        /// </summary>
        public async Task<T> SendAsync<T>(Func<Task<T>> send, AttemptCounter? attempts, CancellationToken cancellationToken)
        {
            for (var refused = false; ; refused = true)
            {
                var epoch = await EnterAsync(cancellationToken).ConfigureAwait(false);
                if (refused) attempts?.Increment();
                T result;
                try
                {
                    result = await send().ConfigureAwait(false);
                }
                catch (OtpException error) when (IsRateLimit(error))
                {
                    Refused(error.RetryAfter, epoch);
                    continue;
                }
                catch
                {
                    Leave(success: false);
                    throw;
                }
                Leave(success: true);
                return result;
            }
        }

        /// <summary>Waits for the pause, the pace and a place; returns the decrease epoch the request starts in.</summary>
        private async Task<int> EnterAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                TaskCompletionSource<bool>? place = null;
                TimeSpan pause;
                lock (_lock)
                {
                    if (_closed != null) throw Closed();
                    var now = DateTimeOffset.UtcNow;
                    var until = _pausedUntil > _nextStart ? _pausedUntil : _nextStart;
                    pause = until - now;
                    if (pause <= TimeSpan.Zero)
                    {
                        if (_active < _allowed)
                        {
                            _active++;
                            if (_rate is double rate) _nextStart = (_nextStart > now ? _nextStart : now) + TimeSpan.FromSeconds(1 / rate);
                            return _epoch;
                        }
                        place = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                        _waiters.Enqueue(place);
                    }
                }
                if (place != null)
                {
                    using (cancellationToken.Register(() => place.TrySetCanceled()))
                        await place.Task.ConfigureAwait(false);
                    continue;
                }
                // The provider's own wait, or the pace: Ctrl+C ends it at once.
                await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            }
        }

        private void Refused(TimeSpan? retryAfter, int epoch)
        {
            lock (_lock)
            {
                _active--;
                _refusals++;
                var now = DateTimeOffset.UtcNow;
                _refusingSince ??= now;
                // The provider's word when it gives one (0: at once; the pace still drops), else a doubling backoff.
                var wait = retryAfter is TimeSpan named ? (named > TimeSpan.Zero ? named : TimeSpan.Zero) : _nextBackoff;
                if (retryAfter == null) _nextBackoff = TimeSpan.FromTicks(Math.Min(_nextBackoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
                // What got through in the last second, when the whole second was spent sending: the provider's rate,
                // give or take its burst.
                while (_recentSuccesses.Count > 0 && now - _recentSuccesses.Peek() > TimeSpan.FromSeconds(1)) _recentSuccesses.Dequeue();
                double? measured = now - _pausedUntil >= TimeSpan.FromSeconds(1) ? _recentSuccesses.Count : (double?)null;
                if (now + wait > _pausedUntil)
                {
                    _pausedUntil = now + wait;
                    if (_trace.VerboseEnabled)
                        _trace.Verbose($"{_provider}: rate limit (HTTP 429): every request to it waits {wait.TotalSeconds:0.#} s, until {_pausedUntil.ToLocalTime():HH:mm:ss}; not counted as a retry");
                }
                if (epoch == _epoch)
                {
                    _epoch++;
                    _allowed = Math.Max(1, _allowed / 2);
                    _successesSinceChange = 0;
                    // The first refusal: from what got through, doubling each second until the next; later ones: a tenth
                    // below the lower of the pace and what got through.
                    // Probing ends only with a measure of what gets through: a refusal soon after a pause says little.
                    if (_rate == null) _probing = true;
                    else if (measured != null) _probing = false;
                    _lastGrowth = _pausedUntil;
                    if (measured != null) _ceiling = measured.Value;
                    _rate = _rate is double rate ? Math.Max(0.5, Math.Min(rate, measured ?? rate) * 0.9) : Math.Max(_allowed, _recentSuccesses.Count);
                }
                // Refusing for longer than the run waits, or asking for a wait that would end past it: give up now.
                if (_pausedUntil - _refusingSince.Value > _timeout)
                    _closed = new OtpException("Http.RateLimitNotLifted", OtpErrorCategory.LimitsExceeded,
                        $"Not sent: {_provider} has refused every request for its rate limit (HTTP 429) for {(now - _refusingSince.Value).TotalSeconds:0} s " +
                        $"and asks to wait {wait.TotalSeconds:0} s more: longer than the run waits (-RateLimitTimeout {_timeout.TotalSeconds:0}). Nothing more " +
                        "was sent to it; send the rows without a receipt again later (-Resume with the run's journal sends exactly those).")
                    { Provider = _provider, EndsRun = true };
                WakeLocked();
            }
        }

        private void Leave(bool success)
        {
            lock (_lock)
            {
                _active--;
                if (success)
                {
                    var now = DateTimeOffset.UtcNow;
                    _recentSuccesses.Enqueue(now);
                    if (_recentSuccesses.Count > 1024) _recentSuccesses.Dequeue();
                    if (_rate is double rate)
                    {
                        // Below the pace the last refusal measured, back up to it quickly (one request a second more
                        // each second); near it, slowly.
                        if (!_probing) _rate = rate + (rate < 0.97 * _ceiling ? Math.Max(0.004, 1 / rate) : 0.004);
                        else if (now > _lastGrowth)
                        {
                            _rate = rate * Math.Pow(2, Math.Min(1, (now - _lastGrowth).TotalSeconds));
                            _lastGrowth = now;
                        }
                    }
                    _refusingSince = null;
                    _nextBackoff = TimeSpan.FromSeconds(1);
                    // Additive increase: one more at once after as many successes as are allowed now.
                    if (_allowed < _max && ++_successesSinceChange >= _allowed)
                    {
                        _allowed++;
                        _successesSinceChange = 0;
                    }
                }
                WakeLocked();
            }
        }

        /// <summary>Everyone waiting for a place looks again: a closed gate fails them, a pause holds them, a free place lets one in.</summary>
        private void WakeLocked()
        {
            while (_waiters.Count > 0) _waiters.Dequeue().TrySetResult(true);
        }

        private OtpException Closed() =>
            new OtpException(_closed!.ErrorId, _closed.Category, _closed.Message) { Provider = _provider, EndsRun = true };
    }
}
