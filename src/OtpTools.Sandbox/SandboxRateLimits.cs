using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace OtpTools.Sandbox
{
    /// <summary>
    /// A provider's rate limit, as real APIs play it: a token bucket of N requests per second with a small burst, per
    /// path prefix. A request over the limit is answered 429 with Retry-After in whole seconds and is not processed.
    /// </summary>
    public sealed class SandboxRateLimits
    {
        private sealed class Bucket
        {
            public double PerSecond;
            public double Burst;
            public double Tokens;
            public long Stamp;
        }

        private readonly ConcurrentDictionary<string, Bucket> _buckets = new ConcurrentDictionary<string, Bucket>();
        private int _refused;

        /// <summary>Requests answered 429 by a limit since the last <see cref="Set"/> or <see cref="Clear"/>.</summary>
        public int Refused => Volatile.Read(ref _refused);

        /// <summary>
        /// Limits a prefix to <paramref name="perSecond"/> requests a second (0: refuse everything), with a burst of
        /// <paramref name="burst"/> (the bucket starts full).
        /// </summary>
        public void Set(string prefix, double perSecond, int burst = 5)
        {
            _buckets[prefix] = new Bucket { PerSecond = perSecond, Burst = Math.Max(1, burst), Tokens = perSecond <= 0 ? 0 : Math.Max(1, burst), Stamp = Stopwatch.GetTimestamp() };
            Interlocked.Exchange(ref _refused, 0);
        }

        public void Clear()
        {
            _buckets.Clear();
            Interlocked.Exchange(ref _refused, 0);
        }

        /// <summary>"otpiq=50" or "otpiq=50/8" (per second / burst), from the command line.</summary>
        public bool TrySet(string text)
        {
            var parts = text.Split('=');
            if (parts.Length != 2 || parts[0].Length == 0) return false;
            var rate = parts[1].Split('/');
            if (!double.TryParse(rate[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var perSecond) || perSecond < 0) return false;
            var burst = 5;
            if (rate.Length > 1 && (!int.TryParse(rate[1], NumberStyles.None, CultureInfo.InvariantCulture, out burst) || burst < 1)) return false;
            Set(parts[0], perSecond, burst);
            return true;
        }

        /// <summary>Takes a token, or answers 429 with the seconds until one is free; true when the request may go on.</summary>
        internal async Task<bool> AdmitAsync(string prefix, HttpContext context)
        {
            if (!_buckets.TryGetValue(prefix, out var bucket)) return true;
            double wait;
            lock (bucket)
            {
                var now = Stopwatch.GetTimestamp();
                bucket.Tokens = Math.Min(bucket.Burst, bucket.Tokens + (now - bucket.Stamp) / (double)Stopwatch.Frequency * bucket.PerSecond);
                bucket.Stamp = now;
                if (bucket.Tokens >= 1)
                {
                    bucket.Tokens -= 1;
                    return true;
                }
                wait = bucket.PerSecond <= 0 ? 60 : (1 - bucket.Tokens) / bucket.PerSecond;
            }
            Interlocked.Increment(ref _refused);
            context.Response.StatusCode = 429;
            // HTTP's Retry-After is whole seconds: round up, at least one.
            context.Response.Headers["Retry-After"] = Math.Max(1, (int)Math.Ceiling(wait)).ToString(CultureInfo.InvariantCulture);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"message\":\"Too Many Requests\"}").ConfigureAwait(false);
            return false;
        }
    }
}
