using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace OtpTools.Engine.Providers
{
    /// <summary>Sends one-time passcodes.</summary>
    public interface IOtpCodeSender
    {
        /// <summary>Checks the request against the documented limits; throws <see cref="OtpException"/> before any HTTP call.</summary>
        PreparedSend Prepare(OtpSendRequest request);

        /// <summary>Sends a prepared request; a provider failure is thrown as <see cref="OtpException"/>.</summary>
        Task<OtpSendResult> SendAsync(PreparedSend prepared, CancellationToken cancellationToken);
    }

    /// <summary>Checks a code the recipient typed against the one the provider sent.</summary>
    public interface IOtpCodeVerifier
    {
        /// <summary>Checks the input before any HTTP call; throws <see cref="OtpException"/> for invalid input or a provider error.</summary>
        Task<OtpVerificationResult> VerifyAsync(OtpCodeCheck check, CancellationToken cancellationToken);
    }

    /// <summary>A typed code to check, with what identifies its send (a receipt's MessageId and Recipient).</summary>
    public sealed class OtpCodeCheck
    {
        public string? MessageId { get; set; }
        public string? Code { get; set; }
        /// <summary>The number (or address) the code was sent to, as the caller gives it.</summary>
        public string? Recipient { get; set; }
    }

    /// <summary>Reads the history of sent requests.</summary>
    public interface IOtpHistoryReader
    {
        IOtpPager<OtpHistoryEntry> History(OtpHistoryQuery query);
    }

    /// <summary>Lists the provider account's sender IDs.</summary>
    public interface IOtpSenderReader
    {
        /// <summary>Checks the query before any HTTP call; throws <see cref="OtpException"/> for invalid input.</summary>
        IOtpPager<OtpSender> Senders(OtpSenderQuery query);
    }

    /// <summary>Looks up what happened to a sent message.</summary>
    public interface IOtpDeliveryStatusReader
    {
        /// <summary>The message's status; a message the provider does not know is an <see cref="OtpException"/> (ObjectNotFound).</summary>
        Task<OtpDeliveryReport> GetDeliveryStatusAsync(string messageId, CancellationToken cancellationToken);
    }

    /// <summary>Reads the account's remaining credit.</summary>
    public interface IOtpBalanceReader
    {
        Task<OtpBalance> GetBalanceAsync(CancellationToken cancellationToken);
    }

    /// <summary>Status filter and window of a sender listing.</summary>
    public sealed class OtpSenderQuery : PageWindow
    {
        /// <summary>Only senders with this status; null for all.</summary>
        public string? Status { get; set; }
    }

    /// <summary>Lists the regions a provider sends to.</summary>
    public interface IOtpRegionReader
    {
        Task<IReadOnlyList<OtpRegion>> GetRegionsAsync(CancellationToken cancellationToken);
    }

    /// <summary>
    /// Streams a paged listing one page at a time: a caller holds the page it is writing and, at most, the next one.
    /// Calls are made one after another (the next once the last has finished), never two at once.
    /// </summary>
    public interface IOtpPager<T>
    {
        /// <summary>The total the provider reports, once the first page has been read.</summary>
        long? Total { get; }

        /// <summary>
        /// The next page's items, or null when the listing (or the requested window) is done. Each page is a list of its
        /// own, handed over: the caller lets go of its rows (clears them) as it writes them.
        /// </summary>
        Task<IReadOnlyList<T>?> NextPageAsync(CancellationToken cancellationToken);
    }

    /// <summary>A listing the provider answers in one call: -Skip and -First applied to its rows, read once.</summary>
    public sealed class OnePagePager<T> : IOtpPager<T>
    {
        private readonly Func<CancellationToken, Task<IReadOnlyList<T>>> _read;
        private readonly PageWindow _window;
        private bool _done;

        public OnePagePager(Func<CancellationToken, Task<IReadOnlyList<T>>> read, PageWindow window)
        {
            _read = read;
            _window = window;
        }

        public long? Total { get; private set; }

        public async Task<IReadOnlyList<T>?> NextPageAsync(CancellationToken cancellationToken)
        {
            if (_done) return null;
            _done = true;
            var rows = await _read(cancellationToken).ConfigureAwait(false);
            Total = rows.Count;
            if (_window.CountOnly) return null;
            IEnumerable<T> kept = rows.Skip((int)Math.Min(_window.Skip, int.MaxValue));
            if (_window.Limit is long limit) kept = kept.Take((int)Math.Min(limit, int.MaxValue));
            var page = kept.ToList();
            return page.Count == 0 ? null : page;
        }
    }

    /// <summary>Which rows of a listing the caller wants (from -Skip, -First and -PageSize).</summary>
    public class PageWindow
    {
        public long Skip { get; set; }
        /// <summary>At most this many rows; null for all.</summary>
        public long? Limit { get; set; }
        public int PageSize { get; set; } = 1000;
        /// <summary>-First 0 -IncludeTotalCount: read one page for its total, write no row.</summary>
        public bool CountOnly { get; set; }
    }
}
