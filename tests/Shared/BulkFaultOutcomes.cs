using System;
using System.Collections.Generic;
using System.Linq;
using OtpTools.Sandbox;
using Xunit;

namespace OtpTools.Tests.Shared
{
    /// <summary>
    /// What a bulk run under a provider fault must come to, whether it ran in the engine or through Send-OtpCode
    /// (compiled into both test projects).
    /// </summary>
    internal static class BulkFaultOutcomes
    {
        /// <param name="results">The receipts, one per row expected.</param>
        /// <param name="delivered">The codes the sandbox delivered for this run.</param>
        /// <param name="codeOf">The code a row carried.</param>
        /// <param name="errors">How many errors the run reported beside its receipts.</param>
        public static void Check(IReadOnlyList<OtpSendResult> results, IReadOnlyList<string> delivered, Func<OtpSendResult, string> codeOf,
            int count, FaultKind fault, int errors)
        {
            Assert.Equal(Enumerable.Range(1, count), results.Select(r => r.Position).OrderBy(p => p));
            Assert.Equal(delivered.Count, delivered.Distinct().Count());
            foreach (var r in results)
            {
                var arrived = delivered.Contains(codeOf(r));
                if (r.Success) Assert.True(arrived, $"row {r.Position} succeeded but nothing was delivered");
                else if (r.Status == "failed") Assert.False(arrived, $"row {r.Position} says failed but a code was delivered");
                else Assert.Equal("unknown", r.Status);
                if (!r.Success) Assert.StartsWith("Http.", r.ErrorId);
            }
            Assert.Equal(results.Count(r => !r.Success), errors);

            switch (fault)
            {
                case FaultKind.TooManyRequests:
                case FaultKind.ServiceUnavailable:
                    // Not processed by the provider: sent again until delivered.
                    Assert.All(results, r => Assert.True(r.Success));
                    Assert.Contains(results, r => r.Attempts > 1);
                    break;
                case FaultKind.ResetAfterRead:
                case FaultKind.MalformedJson:
                case FaultKind.TruncatedBody:
                    // Processed, answer spoiled: reported as unknown, never resent.
                    Assert.Contains(results, r => r.Status == "unknown");
                    Assert.All(results.Where(r => r.Status == "unknown"), r => Assert.Equal(1, r.Attempts));
                    Assert.Equal(count, delivered.Count);
                    break;
                case FaultKind.Hang:
                    Assert.Contains(results, r => r.ErrorId == "Http.Timeout");
                    break;
                default:
                    Assert.Contains(results, r => !r.Success);
                    break;
            }
        }
    }
}
