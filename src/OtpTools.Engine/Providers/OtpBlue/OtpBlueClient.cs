using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using OtpTools.Engine.Http;
using OtpTools.Engine.Validation;

namespace OtpTools.Engine.Providers.OtpBlue
{
    /// <summary>OTP Blue API v1.1: send, request history, available regions.</summary>
    public sealed class OtpBlueClient : IOtpCodeSender, IOtpHistoryReader, IOtpRegionReader
    {
        internal const string SendPath = "/imsg/api/v1.1/otp/send/";
        internal const string HistoryPath = "/imsg/api/v1/otp/history/requests/";
        internal const string RegionsPath = "/imsg/api/v1/otp/available-regions/";
        public const int MaxPageSize = 1000;

        private const string Provider = OtpBlueProviderType.TypeName;
        private readonly OtpConnection _connection;

        private readonly HashSet<string> _warnedLanguages = new HashSet<string>(StringComparer.Ordinal);

        public OtpBlueClient(OtpConnection connection) => _connection = connection;

        internal sealed class Prepared : PreparedSend
        {
            public Prepared(OtpSendRequest request, OtpBlueSendBody body) : base(request, body.Contact) => Body = body;
            public OtpBlueSendBody Body { get; }
        }

        public PreparedSend Prepare(OtpSendRequest request)
        {
            var phone = PhoneNumber.Parse(request.To, "To", Provider, request.SkipNumberCheck);
            // Known before any call: a route skips OTP Blue for these rows (FailOver) and tries its next provider.
            if (OtpBlueLimits.RestrictedRegions.Contains(phone.RegionCode))
            {
                var restricted = InputRules.Invalid("Validation.UnsupportedRegion", "To", request.To,
                    $"-To '{request.To}' is in region {phone.RegionCode}; OTP Blue does not send to China (CN) or Argentina (AR).");
                restricted.FailOver = true;
                throw restricted;
            }
            if (!phone.MayBeMobile)
            {
                var landline = InputRules.Invalid("Validation.NotMobileNumber", "To", request.To,
                    $"-To '{request.To}' is a {phone.Type.ToString().ToLowerInvariant().Replace('_', ' ')} number; OTP Blue sends only to mobile numbers.");
                landline.FailOver = true;
                throw landline;
            }

            var code = InputRules.Required(request.Code, "Code", "Validation.CodeRequired", Provider);
            InputRules.MaxLength(code, OtpBlueLimits.CodeMaxLength, "Code", "Validation.CodeTooLong", Provider);
            InputRules.MaxLength(request.Sender, OtpBlueLimits.SenderMaxLength, "Sender", "Validation.SenderTooLong", Provider);

            string? language = null;
            if (!string.IsNullOrEmpty(request.Language))
            {
                var asked = request.Language!;
                var key = asked.ToLowerInvariant();
                if (OtpBlueLimits.LanguageAliases.TryGetValue(key, out var alias))
                {
                    WarnOnce(key, $"-Language '{asked}' is sent to OTP Blue as '{alias}', the code its language list uses" + (alias == "en" ? " for Thai." : "."));
                    language = alias;
                }
                else if (OtpBlueLimits.Languages.Contains(key)) language = key;
                else if (key.Length == 2 && key.All(c => c >= 'a' && c <= 'z'))
                {
                    // The document: "If the specified language isn't supported, English is used by default." The row is
                    // sent, in English, rather than failed.
                    WarnOnce(key, $"-Language '{asked}' is not one of OTP Blue's template languages; sent in English, as OTP Blue does for a language it does not support.");
                    language = "en";
                }
                else language = InputRules.OneOf(asked, OtpBlueLimits.Languages, "Language", "Validation.LanguageNotSupported", Provider,
                    "OTP Blue takes a two-letter ISO 639-1 code.");
            }

            var statusCallback = request.Option("StatusCallback");
            if (statusCallback != null)
                InputRules.WebUrl(statusCallback, "StatusCallback", "Validation.InvalidStatusCallback", Provider, httpsOnly: false);
            // -StatusCallbackHeader may come alone (the document names it on its own: the webhook URL can be set with
            // OTP Blue). A line break in it is refused by OtpSendService's plain-text check.

            return new Prepared(request, new OtpBlueSendBody
            {
                Contact = phone.E164,
                Code = code,
                Sender = string.IsNullOrEmpty(request.Sender) ? null : request.Sender,
                Language = language,
                StatusCallback = statusCallback,
                StatusCallbackHeader = request.Option("StatusCallbackHeader"),
            });
        }

        /// <summary>One warning per value per run, however many rows carry it.</summary>
        private void WarnOnce(string value, string warning)
        {
            lock (_warnedLanguages)
            {
                if (_warnedLanguages.Add(value)) _connection.Trace.Warning(warning);
            }
        }

        public async Task<OtpSendResult> SendAsync(PreparedSend prepared, CancellationToken cancellationToken)
        {
            var body = ((Prepared)prepared).Body;
            var json = JsonSerializer.Serialize(body, OtpBlueJsonContext.Default.OtpBlueSendBody);
            var request = HttpCall.Json(HttpMethod.Post, _connection.Endpoint(SendPath), json);
            Authorize(request);
            using var answer = await HttpCall.SendAsync(_connection, request, cancellationToken).ConfigureAwait(false);

            var parsed = Parse(answer, OtpBlueJsonContext.Default.OtpBlueSendAnswer);
            // The document marks message_id as returned on success: a 200 without it cannot be read as a delivery.
            if (answer.IsSuccess && parsed.Success != false && !string.IsNullOrEmpty(parsed.MessageId))
            {
                return new OtpSendResult
                {
                    Success = true,
                    Status = parsed.Status ?? "delivered",
                    MessageId = parsed.MessageId,
                    Message = parsed.Message,
                    Destination = Validation.PhoneNumber.AsE164(parsed.Recipient ?? body.Contact),
                    Channel = "imessage",
                };
            }
            if (parsed.Code == null || answer.IsSuccess) throw HttpCall.Unexpected(Provider, answer);
            var error = OtpBlueErrors.ToException(parsed.Code.Value, parsed.Message, answer.Status);
            // OTP Blue bills nothing for failed messages and has not delivered: the answer itself says so.
            error.MayHaveBeenDelivered = false;
            error.SafeToRetry = parsed.Code == OtpBlueErrors.NoCapacity;
            throw error;
        }

        public IOtpPager<OtpHistoryEntry> History(OtpHistoryQuery query)
        {
            if (query.From.Date > query.To.Date)
                throw InputRules.Invalid("Validation.DateRangeReversed", "From", query.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    $"-From {query.From:yyyy-MM-dd} is after -To {query.To:yyyy-MM-dd}.");
            if (query.PageSize < 1 || query.PageSize > MaxPageSize)
                throw InputRules.Invalid("Validation.PageSizeOutOfRange", "PageSize", query.PageSize,
                    $"-PageSize {query.PageSize} is outside 1..{MaxPageSize}, the range OTP Blue allows for per_page.");
            return new HistoryPager(this, query);
        }

        public async Task<IReadOnlyList<OtpRegion>> GetRegionsAsync(CancellationToken cancellationToken)
        {
            using var answer = await GetAsync(_connection.Endpoint(RegionsPath), cancellationToken).ConfigureAwait(false);
            var parsed = Parse(answer, OtpBlueJsonContext.Default.OtpBlueRegions);
            return (parsed.Regions ?? new List<OtpBlueRegion>())
                .Select(r => new OtpRegion { Name = r.Name, Code = r.Code, Provider = _connection.Provider.Name })
                .ToList();
        }

        private async Task<HttpAnswer> GetAsync(Uri uri, CancellationToken cancellationToken)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, uri);
            Authorize(request);
            var answer = await HttpCall.SendAsync(_connection, request, cancellationToken).ConfigureAwait(false);
            if (!answer.IsSuccess)
            {
                var failure = answer.Json(OtpBlueJsonContext.Default.OtpBlueSendAnswer);
                if (failure?.Code != null) throw OtpBlueErrors.ToException(failure.Code.Value, failure.Message, answer.Status);
                throw HttpCall.Unexpected(Provider, answer);
            }
            return answer;
        }

        private void Authorize(HttpRequestMessage request) =>
            request.Headers.TryAddWithoutValidation("Authorization", _connection.Credential.RevealKey());

        private static T Parse<T>(HttpAnswer answer, JsonTypeInfo<T> type) where T : class =>
            answer.Json(type) ?? throw HttpCall.Unexpected(Provider, answer);

        /// <summary>Pages through history by page number, starting at the page that holds row Skip.</summary>
        private sealed class HistoryPager : IOtpPager<OtpHistoryEntry>
        {
            private readonly OtpBlueClient _client;
            private readonly OtpHistoryQuery _query;
            private readonly int _pageSize;
            private long _page;
            private int _dropFromFirstPage;
            private long? _remaining;
            private bool _done;
            private readonly PagingGuard _guard;

            public HistoryPager(OtpBlueClient client, OtpHistoryQuery query)
            {
                _client = client;
                _guard = new PagingGuard(client._connection.Provider.Name);
                _query = query;
                _pageSize = query.PageSize;
                _page = query.Skip / _pageSize + 1;
                _dropFromFirstPage = (int)(query.Skip % _pageSize);
                _remaining = query.Limit;
            }

            public long? Total { get; private set; }

            public async Task<IReadOnlyList<OtpHistoryEntry>?> NextPageAsync(CancellationToken cancellationToken)
            {
                if (_done || (_remaining <= 0 && !(_query.CountOnly && Total == null))) return null;
                var uri = _client._connection.Endpoint(HistoryPath +
                    "?from_date=" + _query.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) +
                    "&to_date=" + _query.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) +
                    "&page=" + _page.ToString(CultureInfo.InvariantCulture) +
                    "&per_page=" + _pageSize.ToString(CultureInfo.InvariantCulture));
                using var answer = await _client.GetAsync(uri, cancellationToken).ConfigureAwait(false);
                var page = Parse(answer, OtpBlueJsonContext.Default.OtpBlueHistoryPage);
                // The page the answer says it is: a server that ignores "page" answers the same one again.
                _guard.OnPage("page " + page.Page.ToString(CultureInfo.InvariantCulture), page.Items?.FirstOrDefault()?.Id, page.Count, page.PerPage > 0 ? page.PerPage : _pageSize);
                if (page.Page != _page)
                    throw new OtpException("Http.PagingLoop", OtpErrorCategory.InvalidResult,
                        $"{Provider} answered page {page.Page} when page {_page} was asked for; reading stopped rather than loop. The rows already written are complete up to that page.")
                    { Provider = Provider };
                Total = page.Count;

                IEnumerable<OtpBlueHistoryItem> items = page.Items ?? new List<OtpBlueHistoryItem>();
                if (_dropFromFirstPage > 0) items = items.Skip(_dropFromFirstPage);
                _dropFromFirstPage = 0;
                if (_remaining != null) items = items.Take((int)Math.Min(_remaining.Value, int.MaxValue));

                var provider = _client._connection.Provider.Name;
                var rows = items.Select(i => new OtpHistoryEntry
                {
                    Id = i.Id,
                    CreateDate = i.CreateDate.ToUniversalTime(),
                    Region = i.Region,
                    Contact = Validation.PhoneNumber.AsE164(i.Contact),
                    Sender = i.Sender,
                    Status = i.Status,
                    Text = i.Text,
                    Language = i.Language,
                    ErrorCode = i.ErrorCode,
                    Provider = provider,
                }).ToList();

                _remaining -= rows.Count;
                _done = page.Items == null || page.Items.Count == 0 || _page >= page.NumPages;
                _page++;
                return rows.Count == 0 && _done ? null : rows;
            }
        }
    }
}
