using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using OtpTools.Sandbox;
using Xunit;

namespace OtpTools.Module.Tests
{
    /// <summary>Send-OtpCode at a provider's rate limit (the sandbox's token bucket), as a bulk job meets it.</summary>
    [Collection(ModuleCollection.Name)]
    public sealed class RateLimitTests : IDisposable
    {
        private readonly ModuleFixture _m;

        public RateLimitTests(ModuleFixture fixture)
        {
            _m = fixture;
            _m.Sandbox.RateLimits.Clear();
        }

        public void Dispose() => _m.Sandbox.RateLimits.Clear();

        private static Dictionary<string, object?> Key() => new Dictionary<string, object?> { ["key"] = ModuleFixture.Secure(SandboxKeys.OtpBlue) };

        [Fact]
        public void A_bulk_run_at_the_limit_sends_every_row_once_with_no_failed_row_and_progress_shows_the_pace()
        {
            _m.Sandbox.RateLimits.Set("otpblue", perSecond: 40, burst: 4);
            var before = _m.Sandbox.OtpBlue.Deliveries.Count;
            var run = _m.Run("1..80 | ForEach-Object { '+6141230{0:D4}' -f $_ } | Send-OtpCode -Provider OtpBlue -Code 1234 -ApiKey $key -ThrottleLimit 16 -MaxRetry 0", Key());
            Assert.Empty(run.Errors);
            var receipts = run.Objects<OtpSendResult>().ToList();
            Assert.Equal(80, receipts.Count);
            Assert.All(receipts, r => Assert.True(r.Success, r.ErrorId));
            var delivered = _m.Sandbox.OtpBlue.Deliveries.Skip(before).Select(d => d.Contact).ToList();
            Assert.Equal(80, delivered.Distinct().Count());
            Assert.Equal(80, delivered.Count);
            Assert.True(_m.Sandbox.RateLimits.Refused > 0, "the limit was never met");
            Assert.Contains(run.Progress, p => p.StatusDescription.Contains("OtpBlue's rate limit allows about"));
        }

        [Fact]
        public void A_provider_that_never_lets_up_ends_the_run_with_one_clear_error_and_every_row_accounted_for()
        {
            _m.Sandbox.RateLimits.Set("otpblue", perSecond: 0);
            var before = _m.Sandbox.OtpBlue.Deliveries.Count;
            var run = _m.Run("1..20 | ForEach-Object { '+6141231{0:D4}' -f $_ } | Send-OtpCode -Provider OtpBlue -Code 1234 -ApiKey $key -ThrottleLimit 4 -RateLimitTimeout 1", Key());
            var receipts = run.Objects<OtpSendResult>().ToList();
            Assert.Equal(20, receipts.Count);
            Assert.All(receipts, r => Assert.Equal("failed", r.Status));
            Assert.InRange(run.Errors.Count, 1, 4);
            Assert.All(run.Errors, e => Assert.StartsWith("Http.RateLimitNotLifted,", e.FullyQualifiedErrorId));
            Assert.Contains("-RateLimitTimeout", run.Errors[0].Exception.Message);
            Assert.Equal(ErrorCategory.LimitsExceeded, run.Errors[0].CategoryInfo.Category);
            Assert.All(receipts.Where(r => r.ErrorId != "Http.RateLimitNotLifted"), r => Assert.Equal("Send.RateLimitNotLifted", r.ErrorId));
            Assert.Equal(before, _m.Sandbox.OtpBlue.Deliveries.Count);
        }

        [Fact]
        public void Ctrl_C_while_the_run_waits_for_the_limit_stops_at_once()
        {
            // Every request refused with Retry-After 60 and a 10-minute -RateLimitTimeout: only the stop can end the wait.
            _m.Sandbox.RateLimits.Set("otpblue", perSecond: 0);
            var run = _m.Run("1..10 | ForEach-Object { '+6141232{0:D4}' -f $_ } | Send-OtpCode -Provider OtpBlue -Code 1234 -ApiKey $key -ThrottleLimit 2 -RateLimitTimeout 600",
                Key(), whileRunning: ps =>
                {
                    SpinWait.SpinUntil(() => _m.Sandbox.RateLimits.Refused > 0, TimeSpan.FromMinutes(2));
                    ps.Stop();
                });
            Assert.IsType<PipelineStoppedException>(run.Terminating);
        }
    }
}
