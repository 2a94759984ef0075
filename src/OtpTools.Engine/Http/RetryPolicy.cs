using System;
using System.Threading;
using System.Threading.Tasks;
using Polly;
using Polly.Retry;

namespace OtpTools.Engine.Http
{
    /// <summary>
    /// Retries (Polly) only what cannot deliver a second code: errors marked <see cref="OtpException.SafeToRetry"/>.
    /// Exponential backoff with jitter; a provider's Retry-After wins when it is not longer than allowed.
    /// </summary>
    public sealed class RetryPolicy
    {
        private readonly OtpConnection _connection;
        private readonly ResiliencePipeline _pipeline;

        internal RetryPolicy(OtpConnection connection)
        {
            _connection = connection;
            var options = connection.Options;
            var builder = new ResiliencePipelineBuilder();
            if (options.MaxRetry > 0)
            {
                builder.AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<OtpException>(e =>
                        e.SafeToRetry && (e.RetryAfter == null || e.RetryAfter <= options.MaxRetryAfter)),
                    MaxRetryAttempts = options.MaxRetry,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = options.BaseDelay,
                    // Retry-After wins only when it is a real wait; zero or less falls back to the backoff (no hot loop).
                    DelayGenerator = args => new ValueTask<TimeSpan?>((args.Outcome.Exception as OtpException)?.RetryAfter is TimeSpan wait && wait > TimeSpan.Zero ? wait : (TimeSpan?)null),
                    OnRetry = args =>
                    {
                        var error = args.Outcome.Exception as OtpException;
                        _connection.Trace.Verbose($"{_connection.Provider.Name}: {error?.ErrorId} - retry {args.AttemptNumber + 1} of {options.MaxRetry} in {args.RetryDelay.TotalMilliseconds:0} ms");
                        return default;
                    },
                });
            }
            _pipeline = builder.Build();
        }

        private static readonly AsyncLocal<int> CurrentRetry = new AsyncLocal<int>();

        /// <summary>How many retries preceded the HTTP call now running on this async flow (for its trace line).</summary>
        internal static int RetryNumber => CurrentRetry.Value;

        /// <summary>Runs <paramref name="call"/> until it succeeds or may not be retried; counts the attempts made.</summary>
        public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> call, AttemptCounter? attempts, CancellationToken cancellationToken)
        {
            var attempt = 0;
            return await _pipeline.ExecuteAsync(async token =>
            {
                attempts?.Increment();
                CurrentRetry.Value = attempt++;
                return await call(token).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>How many HTTP attempts one logical call made.</summary>
    public sealed class AttemptCounter
    {
        private int _count;
        public int Count => _count;
        internal void Increment() => Interlocked.Increment(ref _count);
    }
}
