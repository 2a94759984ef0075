using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using OtpTools.Engine.Http;
using OtpTools.Engine.Providers;

namespace OtpTools.Engine.Listing
{
    /// <summary>What a listing's caller asked for: -Skip, -First and -IncludeTotalCount.</summary>
    public sealed class ListingWindow
    {
        public ulong Skip { get; set; }
        /// <summary>At most this many rows; <see cref="ulong.MaxValue"/> for all.</summary>
        public ulong First { get; set; } = ulong.MaxValue;
        public bool IncludeTotalCount { get; set; }

        /// <summary>
        /// Hands the window to the provider's pager, which applies it there (when no rows are filtered out here):
        /// no more rows asked for than -First wants, and for -First 0 -IncludeTotalCount one row for the total.
        /// </summary>
        public void ApplyTo(PageWindow window)
        {
            window.Skip = (long)Math.Min(Skip, long.MaxValue);
            if (First != ulong.MaxValue) window.Limit = (long)Math.Min(First, long.MaxValue);
            if (window.Limit is long limit && limit > 0 && limit < window.PageSize) window.PageSize = (int)limit;
            if (window.Limit == 0 && IncludeTotalCount)
            {
                window.CountOnly = true;
                window.PageSize = 1;
            }
        }
    }

    /// <summary>
    /// One listing from its first page to its last: each page read with the connection's retries and its provider text
    /// made terminal-safe off the caller's thread; from the second page on, the next page is read while the caller
    /// writes this one, so at most two pages are held. With a filter, rows are kept here and -Skip/-First count the
    /// kept rows (the total, at the end, too); without one, the pager applies the window itself.
    /// </summary>
    public sealed class ListingSession<T> : IDisposable where T : class
    {
        private readonly IOtpPager<T> _pager;
        private readonly OtpConnection _connection;
        private readonly Func<T, bool>? _keep;
        private readonly bool _includeTotalCount;
        // Cancelled when the listing ends early (a downstream Select-Object -First, Ctrl+C, an error): the page being
        // read ahead is then not wanted.
        private readonly CancellationTokenSource _readAhead;
        private ulong _toSkip;
        private ulong _wanted;
        private Task<IReadOnlyList<T>?>? _next;
        private bool _firstPage = true;
        private bool _done;
        private bool _totalPending;

        public ListingSession(IOtpPager<T> pager, OtpConnection connection, ListingWindow window, Func<T, bool>? keep, CancellationToken cancellationToken)
        {
            _pager = pager;
            _connection = connection;
            _keep = keep;
            _includeTotalCount = window.IncludeTotalCount;
            _toSkip = keep == null ? 0 : window.Skip;
            _wanted = keep == null ? ulong.MaxValue : window.First;
            _totalPending = window.IncludeTotalCount && keep == null;
            _readAhead = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        }

        /// <summary>Rows the filter kept, written or not (the total a filtered -IncludeTotalCount reports).</summary>
        public ulong KeptCount { get; private set; }

        /// <summary>True when a filtered listing ends with its own total (-IncludeTotalCount with a filter).</summary>
        public bool CountsKeptRows => _keep != null && _includeTotalCount;

        /// <summary>The provider's total, once, right after the first page (for -IncludeTotalCount without a filter).</summary>
        public bool TakeProviderTotal(out long? total)
        {
            total = _pager.Total;
            if (!_totalPending || _firstPage) return false;
            _totalPending = false;
            return true;
        }

        /// <summary>The next rows to write, or null when the listing is done; a failing page throws its <see cref="OtpException"/>.</summary>
        public async Task<IReadOnlyList<T>?> NextAsync()
        {
            if (_done) return null;
            var page = await (_next ?? ReadPage()).ConfigureAwait(false);
            _next = null;
            var wasFirst = _firstPage;
            _firstPage = false;
            if (page == null)
            {
                _done = true;
                return null;
            }
            var rows = page;
            if (_keep != null)
            {
                var kept = new List<T>();
                foreach (var row in page)
                {
                    if (!_keep(row)) continue;
                    KeptCount++;
                    if (_toSkip > 0) { _toSkip--; continue; }
                    if (_wanted == 0) continue;   // counted for the total, not written
                    _wanted--;
                    kept.Add(row);
                }
                rows = kept;
            }
            // Without a total to count, a filtered listing stops once -First rows are out.
            if (_keep != null && _wanted == 0 && !_includeTotalCount) _done = true;
            // Reading ahead starts with the second page: a consumer that wants a few rows (Select-Object -First 5) has
            // them from the first, and costs one request, as it would without reading ahead.
            if (!_done && !wasFirst) _next = ReadPage();
            return rows;
        }

        /// <summary>One page as one call of the connection (its retries, a refused key explained), its provider text made terminal-safe off the caller's thread.</summary>
        private Task<IReadOnlyList<T>?> ReadPage() =>
            _connection.CallAsync(async token =>
            {
                var page = await _pager.NextPageAsync(token).ConfigureAwait(false);
                if (page != null) foreach (var row in page) TerminalText.Clean(row);
                return page;
            }, _readAhead.Token);

        public void Dispose()
        {
            _readAhead.Cancel();
            // A read-ahead that fails after the listing ended is nobody's error.
            _next?.ContinueWith(abandoned => _ = abandoned.Exception, CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            _readAhead.Dispose();
        }
    }
}
