using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using OtpTools.Engine.Http;
using OtpTools.Engine.Validation;

namespace OtpTools.Engine.Providers.GetOtp
{
    /// <summary>
    /// GetOTP (otp.dev): the account's Sender IDs, paged by page_token (here), and verifications sent and checked
    /// (GetOtpVerifications.cs).
    /// </summary>
    public sealed partial class GetOtpClient : IOtpSenderReader, IOtpCodeSender, IOtpCodeVerifier
    {
        internal const string SendersPath = "/v1/senders";
        private const string Provider = GetOtpProviderType.TypeName;
        private const string DateFormat = "yyyy-MM-dd HH:mm:ss";
        private readonly OtpConnection _connection;

        public GetOtpClient(OtpConnection connection) => _connection = connection;

        public IOtpPager<OtpSender> Senders(OtpSenderQuery query)
        {
            string? status = null;
            if (query.Status != null)
                status = InputRules.OneOf(query.Status, GetOtpLimits.Statuses, "Status", "Validation.InvalidStatus", Provider);
            if (query.PageSize < GetOtpLimits.MinPageSize || query.PageSize > GetOtpLimits.MaxPageSize)
                throw InputRules.Invalid("Validation.PageSizeOutOfRange", "PageSize", query.PageSize,
                    $"-PageSize {query.PageSize} is outside {GetOtpLimits.MinPageSize}..{GetOtpLimits.MaxPageSize}, the range GetOTP allows for page_size.");
            if (query.Skip < 0 || query.Limit < 0)
                throw InputRules.Invalid("Validation.InvalidWindow", "Skip", query.Skip, "-Skip and -First cannot be negative.");

            // No offset at GetOTP: skipped rows are read too, so size pages to cover -Skip plus -First when smaller.
            var pageSize = query.PageSize;
            if (query.Limit is long limit && limit > 0 && query.Skip + limit < pageSize) pageSize = (int)(query.Skip + limit);
            return new SenderPager(this, status, pageSize, query.Skip, query.Limit, query.CountOnly);
        }

        /// <summary>The first page's URL, or a later one from the page_token of the previous page's next link.</summary>
        internal Uri PageUri(string? status, int pageSize, string? pageToken)
        {
            var query = new StringBuilder("?page_size=").Append(pageSize.ToString(CultureInfo.InvariantCulture));
            if (status != null) query.Append("&filter[status]=").Append(Uri.EscapeDataString(status));
            if (pageToken != null) query.Append("&page_token=").Append(Uri.EscapeDataString(pageToken));
            return _connection.Endpoint(SendersPath + query);
        }

        /// <summary>
        /// The page_token in a next link. The link's host is not followed as is: the token goes to the configured base
        /// URI, so the key is never sent to a host the answer names.
        /// </summary>
        internal static string? TokenFromNextLink(string? next)
        {
            if (string.IsNullOrWhiteSpace(next)) return null;
            var question = next!.IndexOf('?');
            if (question < 0)
                return next.IndexOf('/') < 0 && next.IndexOf('=') < 0 ? next : throw NoToken(next);
            foreach (var pair in next.Substring(question + 1).Split('&'))
            {
                var equals = pair.IndexOf('=');
                if (equals > 0 && pair.Substring(0, equals) == "page_token")
                {
                    var token = Uri.UnescapeDataString(pair.Substring(equals + 1).Replace('+', ' '));
                    return token.Length > 0 ? token : throw NoToken(next);
                }
            }
            throw NoToken(next);
        }

        private static OtpException NoToken(string next) =>
            new OtpException("GetOtp.UnexpectedNextLink", OtpErrorCategory.InvalidResult,
                $"GetOTP's pagination.links.next '{next}' carries no page_token to follow.")
            { Provider = Provider };

        private async Task<GetOtpSendersPage> GetPageAsync(Uri uri, CancellationToken cancellationToken)
        {
            using var answer = await CallAsync(new HttpRequestMessage(HttpMethod.Get, uri), cancellationToken).ConfigureAwait(false);
            var page = answer.Json(GetOtpJsonContext.Default.GetOtpSendersPage);
            if (page?.Data == null) throw HttpCall.Unexpected(Provider, answer);
            return page;
        }

        /// <summary>Sends one request with the key in X-OTP-Key; an error answer in the documented shape is thrown as its error.</summary>
        private async Task<HttpAnswer> CallAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.TryAddWithoutValidation("X-OTP-Key", _connection.Credential.RevealKey());
            var answer = await HttpCall.SendAsync(_connection, request, cancellationToken).ConfigureAwait(false);
            if (answer.IsSuccess) return answer;
            using (answer)
            {
                var failure = answer.Json(GetOtpJsonContext.Default.GetOtpErrorBody);
                if (failure?.Errors != null && failure.Errors.Count > 0)
                    throw GetOtpErrors.ToException(failure.Errors, answer.Status, isSend: request.Method != HttpMethod.Get);
                throw HttpCall.Unexpected(_connection.Provider.Name, answer);
            }
        }

        internal static OtpSender ToSender(GetOtpSenderItem item, string provider) => new OtpSender
        {
            Id = item.Id,
            AccountId = item.AccountId,
            Name = item.Name,
            Code = item.Code,
            Channel = item.Channel,
            Type = item.Type,
            Status = item.Status,
            Country = item.Country,
            CountryList = string.Join(";", item.Countries ?? new List<string>()),
            MonthlyCost = Money(item.MonthlyCost),
            SetupCost = Money(item.SetupCost),
            CreateDate = UtcDate(item.CreateDate),
            UpdateDate = UtcDate(item.UpdateDate),
            Provider = provider,
        };

        private static decimal? Money(JsonElement value)
        {
            var text = value.ValueKind == JsonValueKind.String ? value.GetString()
                : value.ValueKind == JsonValueKind.Number ? value.GetRawText() : null;
            return decimal.TryParse(text, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var amount)
                ? amount : (decimal?)null;
        }

        /// <summary>The document's "yyyy-mm-dd hh:mm:ss" in UTC; ISO 8601 accepted too.</summary>
        internal static DateTimeOffset? UtcDate(string? text)
        {
            const DateTimeStyles utc = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
            if (DateTimeOffset.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, utc, out var exact)) return exact;
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, utc, out var other) ? other.ToUniversalTime() : (DateTimeOffset?)null;
        }

        /// <summary>Follows page_token from page to page; drops the first Skip rows and stops once Limit rows are out.</summary>
        private sealed class SenderPager : IOtpPager<OtpSender>
        {
            private readonly GetOtpClient _client;
            private readonly string? _status;
            private readonly int _pageSize;
            private long _toSkip;
            private long? _remaining;
            private string? _token;
            private bool _started, _done;
            private readonly PagingGuard _guard;

            private readonly bool _countOnly;

            public SenderPager(GetOtpClient client, string? status, int pageSize, long skip, long? limit, bool countOnly = false)
            {
                _countOnly = countOnly;
                _client = client;
                _guard = new PagingGuard(client._connection.Provider.Name);
                _status = status;
                _pageSize = pageSize;
                _toSkip = skip;
                _remaining = limit;
            }

            public long? Total { get; private set; }

            public async Task<IReadOnlyList<OtpSender>?> NextPageAsync(CancellationToken cancellationToken)
            {
                // Pages that -Skip drops entirely are read on, so a caller only sees null at the end.
                while (!_done && (!(_remaining <= 0) || (_countOnly && !_started)))
                {
                    if (_started && _token == null) break;
                    var page = await _client.GetPageAsync(_client.PageUri(_status, _pageSize, _token), cancellationToken).ConfigureAwait(false);
                    // Keyed by the token the page was read with: a next link that leads back to a page read before repeats it.
                    _guard.OnPage("page_token " + (_token ?? "(first page)"), page.Data!.Count > 0 ? page.Data[0].Id : null, page.Pagination?.Total,
                        page.Pagination?.Size > 0 ? page.Pagination.Size : _pageSize);
                    _started = true;
                    Total = page.Pagination?.Total ?? Total;
                    _token = TokenFromNextLink(page.Pagination?.Links?.Next);
                    var items = page.Data!;
                    if (items.Count == 0) _done = true;

                    IEnumerable<GetOtpSenderItem> kept = items;
                    var dropped = (int)Math.Min(_toSkip, items.Count);
                    if (dropped > 0) kept = kept.Skip(dropped);
                    _toSkip -= dropped;
                    if (_remaining != null) kept = kept.Take((int)Math.Min(_remaining.Value, int.MaxValue));

                    var provider = _client._connection.Provider.Name;
                    var rows = kept.Select(i => ToSender(i, provider)).ToList();
                    _remaining -= rows.Count;
                    if (rows.Count > 0) return rows;
                }
                _done = true;
                return null;
            }
        }
    }
}
