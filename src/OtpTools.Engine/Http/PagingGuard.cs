using System;
using System.Collections.Generic;
using System.Globalization;

namespace OtpTools.Engine.Http
{
    /// <summary>
    /// Keeps a listing from paging forever on a hostile or broken answer: a page token, link or page number that
    /// repeats, a page with the same rows as the one before, more pages than the first page's totals allow, or more
    /// than <see cref="MaxPages"/> pages in all. Rows already written stay written; the listing ends with an error.
    /// </summary>
    public sealed class PagingGuard
    {
        /// <summary>A hard bound whatever the answers say (100 million rows at 1,000 a page).</summary>
        public const int MaxPages = 100_000;

        private readonly string _provider;
        private readonly HashSet<string> _pageKeys = new HashSet<string>(StringComparer.Ordinal);
        private string? _previousFirstRow;
        private long? _allowedPages;
        private int _pages;

        public PagingGuard(string provider) => _provider = provider;

        /// <summary>
        /// Checks one page as answered. <paramref name="pageKey"/> names the page (the token or link it was read with, or
        /// the page number the answer says it is); <paramref name="totalRows"/> is the answer's total, if it gives one.
        /// </summary>
        public void OnPage(string pageKey, string? firstRowId, long? totalRows, int pageSize)
        {
            _pages++;
            if (_pages > MaxPages)
                throw Stop("Http.PagingLimit", $"{_provider} was still paging after {MaxPages.ToString("N0", CultureInfo.InvariantCulture)} pages; reading stopped there.");
            if (_allowedPages == null && totalRows is long total && total >= 0 && pageSize > 0)
                _allowedPages = (total + pageSize - 1) / pageSize + 1;   // one page of slack for rows added meanwhile
            else if (_allowedPages is long allowed && _pages > allowed)
                throw Stop("Http.PagingBeyondTotal", $"{_provider} answered more pages than its first page announced ({allowed - 1} of {pageSize} rows); reading stopped at page {_pages}.");
            if (!_pageKeys.Add(pageKey))
                throw Stop("Http.PagingLoop", $"{_provider} answered a page already read ({Shorten(pageKey)}); reading stopped rather than loop.");
            if (firstRowId != null && firstRowId == _previousFirstRow)
                throw Stop("Http.PagingLoop", $"{_provider} answered the same rows as the page before (first row '{Shorten(firstRowId)}'); reading stopped rather than loop.");
            _previousFirstRow = firstRowId;
        }

        private static string Shorten(string text) => TerminalText.Safe(text.Length > 80 ? text.Substring(0, 80) + "..." : text);

        private OtpException Stop(string errorId, string message) =>
            new OtpException(errorId, OtpErrorCategory.InvalidResult, message + " The rows already written are complete up to that page.")
            { Provider = _provider };
    }
}
