using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OtpTools.Engine.Providers;
using OtpTools.Engine.Sending;

namespace OtpTools.Engine.Tests
{
    /// <summary>
    /// The scheduler (<see cref="BulkSendRun"/>) driven alone, for the tests of the scheduler and the rate gate: the
    /// loop at the heart of <see cref="SendSession"/>, without consent, emission order or progress (SendSessionTests
    /// test those through the session itself).
    /// </summary>
    internal static class BulkRuns
    {
        /// <summary>Rows to distinct Australian mobiles (+614 and eight digits from <paramref name="first"/> + 1).</summary>
        public static IEnumerable<OtpSendRequest> Rows(int count, int first) =>
            Enumerable.Range(1, count).Select(i => new OtpSendRequest { Position = i, To = "+614" + (first + i).ToString("D8"), Code = "1" });

        /// <summary>Submits every row (check, wait for a place, start) and returns every outcome.</summary>
        public static async Task<List<SendOutcome>> RunAll(BulkSendRun run, IEnumerable<OtpSendRequest> rows, CancellationToken token = default)
        {
            var outcomes = new List<SendOutcome>();
            foreach (var row in rows)
            {
                var done = run.Check(row, out var prepared);
                if (done != null) { outcomes.Add(done); continue; }
                while (!run.HasFreeSlot) await run.WhenOneFinishes();
                outcomes.AddRange(run.TakeFinished());
                var notSent = run.Start(prepared!, token);
                if (notSent != null) outcomes.Add(notSent);
            }
            await run.WhenAllFinish();
            outcomes.AddRange(run.TakeFinished());
            return outcomes;
        }
    }
}
