using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OtpTools.Engine.Sending;
using Xunit;
using static OtpTools.Engine.Tests.BulkRuns;

namespace OtpTools.Engine.Tests
{
    /// <summary>A bulk run at a provider's rate limit (the sandbox's token bucket): no row fails, none goes twice.</summary>
    public sealed class RateLimitTests : IClassFixture<SandboxFixture>, IDisposable
    {
        private readonly SandboxFixture _f;

        public RateLimitTests(SandboxFixture fixture)
        {
            _f = fixture;
            _f.Sandbox.RateLimits.Clear();
        }

        public void Dispose() => _f.Sandbox.RateLimits.Clear();

        private OtpSendService Service(int throttle, int maxRetry, TimeSpan rateLimitTimeout) =>
            _f.OtpBlueService(out _, options: new OtpCallOptions { MaxRetry = maxRetry, RateLimitTimeout = rateLimitTimeout }, maxConcurrency: throttle);

        [Fact]
        public async Task At_the_limit_every_row_is_sent_once_even_with_no_retries_left_and_refusals_stay_few()
        {
            _f.Sandbox.RateLimits.Set("otpblue", perSecond: 40, burst: 4);
            var before = _f.Sandbox.OtpBlue.Deliveries.Count;
            var service = Service(throttle: 16, maxRetry: 0, rateLimitTimeout: TimeSpan.FromMinutes(5));
            var run = new BulkSendRun(service, new BulkSendOptions { ThrottleLimit = 16 }, "OtpBlue");
            var outcomes = await RunAll(run, Rows(120, 12000000));

            Assert.Equal(120, outcomes.Count);
            Assert.All(outcomes, o => Assert.True(o.Result.Success, o.Result.ErrorId));
            var delivered = _f.Sandbox.OtpBlue.Deliveries.Skip(before).Select(d => d.Contact).ToList();
            Assert.Equal(120, delivered.Count);
            Assert.Equal(120, delivered.Distinct().Count());
            // The limit was met, and learnt: far fewer refusals than rows.
            Assert.True(_f.Sandbox.RateLimits.Refused > 0, "the sandbox's limit was never reached");
            Assert.True(service.Gate.Refusals < 60, $"{service.Gate.Refusals} refusals for 120 rows");
            Assert.Contains("OtpBlue's rate limit allows about", run.RateNote);
            // A row's attempts count its refused requests too.
            Assert.Equal(120 + service.Gate.Refusals, outcomes.Sum(o => o.Result.Attempts));
        }

        [Fact]
        public async Task A_refusal_seen_by_one_worker_holds_every_worker_until_the_time_it_names()
        {
            var gate = new RateGate("Fake", 8, TimeSpan.FromMinutes(1));
            var clock = Stopwatch.StartNew();
            var refusedAt = TimeSpan.Zero;
            var starts = new ConcurrentBag<TimeSpan>();
            var refusedOnce = 0;
            async Task<int> Send()
            {
                var now = clock.Elapsed;
                starts.Add(now);
                await Task.Yield();
                if (Interlocked.Exchange(ref refusedOnce, 1) == 0)
                {
                    refusedAt = clock.Elapsed;
                    throw new OtpException("Http.TooManyRequests", OtpErrorCategory.LimitsExceeded, "429") { RetryAfter = TimeSpan.FromMilliseconds(400), SafeToRetry = true };
                }
                return 1;
            }
            // The first worker is refused before any other starts; the others come while the pause holds.
            var first = gate.SendAsync(Send, null, CancellationToken.None);
            while (gate.Refusals == 0) await Task.Yield();   // the gate has taken the 429 in
            var others = Enumerable.Range(0, 7).Select(_ => gate.SendAsync(Send, null, CancellationToken.None)).ToList();
            await Task.WhenAll(others.Append(first));
            var after = starts.Where(s => s > refusedAt).ToList();
            Assert.Equal(8, after.Count);   // the refused one again, and the seven others
            Assert.All(after, s => Assert.True(s >= refusedAt + TimeSpan.FromMilliseconds(400), $"a request started {(s - refusedAt).TotalMilliseconds:0} ms after the 429 that asked for 400"));
            // Halved at the refusal (8 to 4); one more after as many successes as were allowed (4), so 5 after 8.
            Assert.Equal(5, gate.Allowed);
        }

        [Fact]
        public async Task A_provider_that_never_lets_up_ends_the_run_with_a_clear_error_and_nothing_sent()
        {
            _f.Sandbox.RateLimits.Set("otpblue", perSecond: 0);
            var before = _f.Sandbox.OtpBlue.Deliveries.Count;
            var run = new BulkSendRun(Service(throttle: 4, maxRetry: 3, rateLimitTimeout: TimeSpan.FromSeconds(1)), new BulkSendOptions { ThrottleLimit = 4 }, "OtpBlue");
            var outcomes = await RunAll(run, Rows(30, 12100000));

            Assert.Equal(30, outcomes.Count);
            Assert.All(outcomes, o => Assert.Equal("failed", o.Result.Status));
            var loud = outcomes.Where(o => !o.Quiet).ToList();
            Assert.True(loud.Count <= 4, string.Join("\n", loud.Take(3).Select(o => o.Result.ErrorId + ": " + o.Result.ErrorMessage)));
            Assert.All(loud, o => Assert.Equal("Http.RateLimitNotLifted", o.Error!.ErrorId));
            Assert.Contains("-RateLimitTimeout", loud[0].Error!.Message);
            Assert.All(outcomes.Where(o => o.Quiet), o => Assert.Equal("Send.RateLimitNotLifted", o.Result.ErrorId));
            Assert.Equal(before, _f.Sandbox.OtpBlue.Deliveries.Count);
        }

        [Fact]
        public async Task Stopping_during_a_wait_for_the_limit_ends_at_once()
        {
            // Refused with Retry-After 60 s: only cancellation can end the wait within the test's bound.
            _f.Sandbox.RateLimits.Set("otpblue", perSecond: 0);
            using var stop = new CancellationTokenSource();
            var service = Service(throttle: 2, maxRetry: 3, rateLimitTimeout: TimeSpan.FromMinutes(10));
            var run = new BulkSendRun(service, new BulkSendOptions { ThrottleLimit = 2 }, "OtpBlue");
            var all = RunAll(run, Rows(4, 12200000), stop.Token);
            while (service.Gate.Refusals == 0) await Task.Delay(10);
            stop.Cancel();
            var ended = await Task.WhenAny(all, Task.Delay(TimeSpan.FromMinutes(2)));
            Assert.Same(all, ended);
            Assert.All(await all, o => Assert.False(o.Result.Success));
        }
    }
}
