using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PhoneNumbers;

namespace OtpTools.Sandbox.Providers.OtpBlue
{
    /// <summary>OTP Blue API v1.1 under /otpblue: send (POST and GET), request history, available regions.</summary>
    public sealed class OtpBlueSandbox : ISandboxProvider
    {
        public sealed class HistoryRow
        {
            public string Id = "";
            public DateTime CreateDate;
            public string Region = "";
            public string Contact = "";
            public string? Sender;
            public string Status = "";
            public string Text = "";
            public string Language = "en";
            public int? ErrorCode;
            /// <summary>Where OTP Blue would post the status webhook, and the Authorization value it would send.</summary>
            public string? StatusCallback;
            public string? StatusCallbackHeader;
        }

        private static readonly string[] Languages =
        {
            "bg", "zh", "da", "nl", "en", "fi", "fr", "de", "is", "in", "it", "ja", "kr", "ms", "no", "pl", "pt", "ro",
            "ru", "es", "sv", "tr", "uk", "vi",
        };

        private static readonly HashSet<string> OpenRegions = new HashSet<string>(OtpBlueRegions.Open.Select(r => r.Code));
        private static readonly Regex LooksLikePhone = new Regex(@"^\+?[0-9][0-9 ()\-.]{4,}$", RegexOptions.Compiled);

        private readonly object _gate = new object();
        private readonly List<HistoryRow> _sent = new List<HistoryRow>();
        private readonly ConcurrentBag<ArrayBufferWriter<byte>> _pageBuffers = new ConcurrentBag<ArrayBufferWriter<byte>>();
        private int _seeded;
        private DateTime _seedFrom, _seedTo;

        public string Prefix => "otpblue";
        public string TypeName => "OtpBlue";
        public string? SampleSend => "-To +61412345678 -Code 482913";
        // The window Seed fills: the last 29 days.
        public string? SampleListing => "Get-OtpHistory -From ([datetime]::UtcNow.Date.AddDays(-30)) -To ([datetime]::UtcNow.Date) -PageSize 100";
        public IReadOnlyList<PagingFault> PagingFaults => new[] { PagingFault.RepeatPage, PagingFault.GrowingTotal };
        public void PlayPagingFault(PagingFault fault) => PagingFault = fault;
        public IReadOnlyList<(string Arguments, string Code)> ErrorScenarios =>
            OtpBlueScenarios.Codes.Select(c => ($"-To {c.Key} -Code 482913", c.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        public IReadOnlyList<(string Name, string Value)> Variables => new[] { ("APIKEY", ApiKey) };
        public IEnumerable<string> Notes => new[]
        {
            $"OTP Blue scenario recipients: no iMessage {OtpBlueScenarios.NoIMessage}, opted out {OtpBlueScenarios.OptedOut}, no capacity {OtpBlueScenarios.NoCapacity}",
        };
        public IReadOnlyList<(string Option, string Argument)> Options => new[] { ("--no-imessage-prefix", "<+digits>") };

        public bool TrySetOption(string option, string value)
        {
            if (option != "--no-imessage-prefix" || !value.StartsWith("+", StringComparison.Ordinal)) return false;
            NoIMessagePrefix = value;
            return true;
        }

        /// <summary>History over the last 29 days, ending yesterday.</summary>
        public void Seed(int rows) => SeedHistory(rows, DateTime.UtcNow.Date.AddDays(-29), DateTime.UtcNow.Date.AddDays(-1));

        public void Attach(SandboxServer server) => Webhooks = server.Webhooks;

        /// <summary>
        /// Numbers starting with this (e.g. "+6142") have no iMessage (150), like the scenario number: for benchmarks
        /// and tests of failover at scale, where OTP Blue's "50 % to 98 %" share of 150 answers is the point.
        /// </summary>
        public string? NoIMessagePrefix { get; set; }

        /// <summary>Hostile paging, for tests: the page number ignored, or a total that grows with every page.</summary>
        public PagingFault PagingFault { get; set; }
        public string ApiKey { get; set; } = SandboxKeys.OtpBlue;
        /// <summary>Where delivery webhooks go out (shared with the server).</summary>
        public SandboxWebhooks Webhooks { get; set; } = new SandboxWebhooks();

        /// <summary>Every code the sandbox delivered, in order (one row per successful send).</summary>
        public IReadOnlyList<HistoryRow> Deliveries
        {
            get { lock (_gate) return _sent.Where(r => r.Status == "delivered").ToList(); }
        }

        /// <summary>
        /// Adds <paramref name="count"/> deterministic history rows spread evenly from <paramref name="from"/> to
        /// <paramref name="to"/> (UTC days). Rows are computed on demand, so millions cost no memory.
        /// </summary>
        public void SeedHistory(int count, DateTime from, DateTime to)
        {
            lock (_gate)
            {
                _seeded = count;
                _seedFrom = from.Date;
                _seedTo = to.Date.AddDays(1).AddSeconds(-1);
            }
        }

        public void Map(IEndpointRouteBuilder routes)
        {
            routes.MapPost("/imsg/api/v1.1/otp/send/", (Func<HttpContext, Task<IResult>>)SendPostAsync);
            routes.MapGet("/imsg/api/v1.1/otp/send/", SendGet);
            routes.MapGet("/imsg/api/v1/otp/history/requests/", (Func<HttpContext, Task<IResult>>)HistoryAsync);
            routes.MapGet("/imsg/api/v1/otp/available-regions/", Regions);
        }

        private async Task<IResult> SendPostAsync(HttpContext context)
        {
            var denied = Authenticate(context.Request.Headers.Authorization.ToString());
            if (denied != null) return denied;
            // The document's headers: Content-Type application/json. What OTP Blue answers without it is not
            // documented, so the sandbox refuses it as a bad request.
            if (!SandboxJson.SaysJson(context.Request)) return Failure(100, null, "Bad request: Content-Type must be application/json");
            var body = await SandboxJson.ReadObjectAsync(context.Request);
            if (body == null) return Failure(100, null, "Bad request: the body is not a JSON object");
            var b = body.Value;
            var unknown = SandboxJson.UnknownField(b, "contact", "code", "sender", "language", "status_callback", "status_callback_header");
            if (unknown != null) return Failure(1205, null, $"Missed required parameters in JSON: unknown field '{unknown}'");
            // The POST form takes the contact as the document writes it: + and digits only.
            if (SandboxJson.Kind(b, "contact") == JsonValueKind.String && !Regex.IsMatch(SandboxJson.String(b, "contact")!, @"^\+[0-9]{6,15}$"))
                return Failure(1600, SandboxJson.String(b, "contact"), "Invalid recipient: write the contact as + and digits, e.g. +13231112233");
            var row = Send(Field(b, "contact"), Field(b, "code"), Field(b, "sender"), Field(b, "language"), out var delivered);
            if (delivered != null)
            {
                delivered.StatusCallback = SandboxJson.String(b, "status_callback");
                delivered.StatusCallbackHeader = SandboxJson.String(b, "status_callback_header");
                if (Uri.TryCreate(delivered.StatusCallback, UriKind.Absolute, out var callback) && (callback.Scheme == "https" || callback.Scheme == "http"))
                {
                    // The webhook body is not documented: the fields of the send answer and history rows.
                    var report = JsonSerializer.Serialize(new Dictionary<string, object?>
                    {
                        ["message_id"] = delivered.Id,
                        ["contact"] = delivered.Contact,
                        ["status"] = delivered.Status,
                        ["sender"] = delivered.Sender,
                    });
                    var headers = new Dictionary<string, string>();
                    if (delivered.StatusCallbackHeader != null) headers["Authorization"] = delivered.StatusCallbackHeader;
                    Webhooks.PostLater(callback.AbsoluteUri, report, headers);
                }
            }
            return row;
        }

        /// <summary>The document's alternative GET form, with the key in the apikey query parameter.</summary>
        private IResult SendGet(HttpContext context)
        {
            var q = context.Request.Query;
            var denied = Authenticate(q["apikey"].ToString());
            if (denied != null) return denied;
            Value? Query(string name) => q.ContainsKey(name) ? new Value(JsonValueKind.String, q[name].ToString()) : null;
            return Send(Query("contact"), Query("code"), Query("sender"), Query("language"), out _);
        }

        private readonly struct Value
        {
            public Value(JsonValueKind kind, string? text)
            {
                Kind = kind;
                Text = text;
            }

            public JsonValueKind Kind { get; }
            public string? Text { get; }
            public bool IsString => Kind == JsonValueKind.String;
        }

        private static Value? Field(JsonElement body, string name) =>
            body.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null
                ? new Value(v.ValueKind, v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText())
                : (Value?)null;

        private IResult Send(Value? contact, Value? code, Value? sender, Value? language, out HistoryRow? delivered)
        {
            delivered = null;
            var who = contact?.Text;
            if (contact == null || code == null) return Failure(1205, who, "Missed required parameters in JSON: contact and code are required");
            if (!code.Value.IsString || string.IsNullOrWhiteSpace(code.Value.Text)) return Failure(1210, who, "Invalid OTP value");
            if (code.Value.Text!.Length > 10) return Failure(1215, who, "Invalid OTP code length: max 10 characters");
            if (sender != null)
            {
                if (!sender.Value.IsString || string.IsNullOrWhiteSpace(sender.Value.Text)) return Failure(1220, who, "Invalid \"sender\" value");
                if (sender.Value.Text!.Length > 16) return Failure(1225, who, "Sender value too long: max 16 characters");
            }
            var lang = "en";
            if (language != null)
            {
                // The document's codes are two lower-case letters; "EN" is not one of them.
                if (!language.Value.IsString || !Regex.IsMatch(language.Value.Text ?? "", "^[a-z]{2}$"))
                    return Failure(1230, who, "Invalid \"language\" value");
                lang = language.Value.Text!;
                if (!Languages.Contains(lang)) return Failure(1160, who, $"Invalid template language code for OTP code: {lang}");
            }
            if (!contact.Value.IsString || !LooksLikePhone.IsMatch(contact.Value.Text ?? "")) return Failure(1600, who, "Invalid recipient");

            var digits = new string(contact.Value.Text!.Where(char.IsDigit).ToArray());
            var e164 = "+" + digits;
            if (OtpBlueScenarios.Codes.TryGetValue(e164, out var scenario))
                return Failed(scenario, e164, code.Value.Text!, sender?.Text, lang);
            if (NoIMessagePrefix != null && e164.StartsWith(NoIMessagePrefix, StringComparison.Ordinal))
                return Failed(150, e164, code.Value.Text!, sender?.Text, lang);

            var number = SandboxJson.ParsePhone(e164);
            if (number == null) return Failure(1800, e164, $"Invalid phone number {e164}");
            var util = PhoneNumberUtil.GetInstance();
            var region = util.GetRegionCodeForNumber(number);
            if (!OpenRegions.Contains(region)) return Failure(1155, e164, $"Unsupported phone number region for OTP codes: {region}");
            var type = util.GetNumberType(number);
            if (type != PhoneNumberType.MOBILE && type != PhoneNumberType.FIXED_LINE_OR_MOBILE)
                return Failure(1900, e164, $"Phone number {e164} is not mobile");

            var row = Record(e164, region, code.Value.Text!, sender?.Text, lang, "delivered", null);
            delivered = row;
            return Results.Json(new Dictionary<string, object>
            {
                ["message"] = "Request has been accepted and sent",
                ["message_id"] = row.Id,
                ["recipient"] = e164,
                ["status"] = "delivered",
                ["success"] = true,
            });
        }

        /// <summary>A delivery failure: answered 400 and kept in the history, as OTP Blue does.</summary>
        private IResult Failed(int code, string e164, string text, string? sender, string language)
        {
            Record(e164, "US", text, sender, language, "failed", code);
            return Failure(code, e164, code == 150
                ? $"Recipient phone number {e164} does not support delivery through this channel"
                : Describe(code));
        }

        private HistoryRow Record(string e164, string region, string text, string? sender, string language, string status, int? error)
        {
            var row = new HistoryRow
            {
                Id = Guid.NewGuid().ToString(),
                CreateDate = DateTime.UtcNow,
                Region = region,
                Contact = e164,
                Sender = sender,
                Status = status,
                Text = text,
                Language = language,
                ErrorCode = error,
            };
            lock (_gate) _sent.Add(row);
            return row;
        }

        private IResult? Authenticate(string? presented)
        {
            if (string.IsNullOrEmpty(presented)) return Failure(1110, null, "Missed credentials");
            return presented == ApiKey ? null : Failure(1250, null, "Invalid API Key");
        }

        private static IResult Failure(int code, string? contact, string message) =>
            Results.Json(new Dictionary<string, object?>
            {
                ["code"] = code,
                ["contact"] = contact,
                ["message"] = message,
                ["status"] = "failed",
                ["success"] = false,
            }, statusCode: 400);

        private static string Describe(int code) => code switch
        {
            100 => "Internal error/Bad request",
            110 => "Unable to send message to Apple services",
            280 => "This recipient has opted out of your messages",
            720 => "No capacity",
            1155 => "Unsupported phone number region for OTP codes",
            1600 => "Invalid recipient",
            1800 => "Invalid phone number",
            1900 => "Phone number not mobile",
            _ => "Error",
        };

        private async Task<IResult> HistoryAsync(HttpContext context)
        {
            var denied = Authenticate(context.Request.Headers.Authorization.ToString());
            if (denied != null) return denied;
            var q = context.Request.Query;
            if (!TryDate(q["from_date"], out var from) || !TryDate(q["to_date"], out var to))
                return Failure(1205, null, "Missed required parameters: from_date and to_date (yyyy-mm-dd)");
            if (!TryInt(q["page"], 1, out var page) || page < 1) return Failure(100, null, "Bad request: page must be a positive integer");
            if (!TryInt(q["per_page"], 100, out var perPage) || perPage < 1 || perPage > 1000)
                return Failure(100, null, "Bad request: per_page must be between 1 and 1000");

            var end = to.AddDays(1);
            long seededFirst, seededCount;
            List<HistoryRow> sent;
            lock (_gate)
            {
                (seededFirst, seededCount) = SeededRange(from, end);
                sent = _sent.Where(r => r.CreateDate >= from && r.CreateDate < end).ToList();
            }
            long count = seededCount + sent.Count;
            if (PagingFault == PagingFault.RepeatPage) page = 1;
            if (PagingFault == PagingFault.GrowingTotal) count = Math.Min(seededCount, (long)(page + 1) * perPage);
            var start = (long)(page - 1) * perPage;
            // Written straight to the answer: the sandbox stands in for a server on another machine, and on a small
            // test machine its own cost per row would otherwise be charged to the client being measured.
            // Page buffers are reused: a fresh page-sized array per answer would be large-object garbage.
            if (!_pageBuffers.TryTake(out var json)) json = new ArrayBufferWriter<byte>(256 * 1024);
            try
            {
                using (var writer = new Utf8JsonWriter(json, new JsonWriterOptions { SkipValidation = true }))
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("count", count);
                    writer.WriteStartArray("items");
                    for (var i = start; i < Math.Min(count, start + perPage); i++)
                        WriteRow(writer, i < seededCount ? SeededRow(seededFirst + i) : sent[(int)(i - seededCount)]);
                    writer.WriteEndArray();
                    writer.WriteNumber("num_pages", count == 0 ? 1 : (count + perPage - 1) / perPage);
                    writer.WriteNumber("page", page);
                    writer.WriteNumber("per_page", perPage);
                    writer.WriteEndObject();
                }
                context.Response.ContentType = "application/json; charset=utf-8";
                context.Response.ContentLength = json.WrittenCount;
                await context.Response.Body.WriteAsync(json.WrittenMemory);
            }
            finally
            {
                json.ResetWrittenCount();
                _pageBuffers.Add(json);
            }
            return Results.Empty;
        }

        // Names encoded once and the date formatted straight to UTF-8, for the same reason.
        private static readonly JsonEncodedText IdName = JsonEncodedText.Encode("id"), CreateDateName = JsonEncodedText.Encode("create_date"),
            RegionName = JsonEncodedText.Encode("region"), ContactName = JsonEncodedText.Encode("contact"),
            SenderName = JsonEncodedText.Encode("sender"), StatusName = JsonEncodedText.Encode("status"),
            TextName = JsonEncodedText.Encode("text"), LanguageName = JsonEncodedText.Encode("language"),
            ErrorCodeName = JsonEncodedText.Encode("error_code");

        private static void WriteRow(Utf8JsonWriter writer, HistoryRow r)
        {
            writer.WriteStartObject();
            writer.WriteString(IdName, r.Id);
            Span<byte> date = stackalloc byte[20];
            r.CreateDate.TryFormat(date, out var written, "s", CultureInfo.InvariantCulture);
            date[written] = (byte)'Z';
            writer.WriteString(CreateDateName, date.Slice(0, written + 1));
            writer.WriteString(RegionName, r.Region);
            writer.WriteString(ContactName, r.Contact);
            writer.WriteString(SenderName, r.Sender);
            writer.WriteString(StatusName, r.Status);
            writer.WriteString(TextName, r.Text);
            writer.WriteString(LanguageName, r.Language);
            if (r.ErrorCode is int code) writer.WriteNumber(ErrorCodeName, code);
            else writer.WriteNull(ErrorCodeName);
            writer.WriteEndObject();
        }

        /// <summary>Seeded rows whose dates fall in [from, end): dates grow with the index, so two binary searches.</summary>
        private (long First, long Count) SeededRange(DateTime from, DateTime end)
        {
            if (_seeded == 0) return (0, 0);
            long LowerBound(DateTime t)
            {
                long lo = 0, hi = _seeded;
                while (lo < hi)
                {
                    var mid = (lo + hi) / 2;
                    if (SeededDate(mid) < t) lo = mid + 1;
                    else hi = mid;
                }
                return lo;
            }
            var first = LowerBound(from);
            return (first, LowerBound(end) - first);
        }

        private DateTime SeededDate(long index) =>
            _seedFrom.AddTicks((long)((_seedTo - _seedFrom).Ticks * (index / (double)_seeded)));

        /// <summary>Seeded row <paramref name="index"/>: the same every time, with a recognisable id.</summary>
        public HistoryRow SeededRow(long index)
        {
            var failed = index % 7 == 3;
            return new HistoryRow
            {
                Id = $"00000000-0000-4000-8000-{index:D12}",
                CreateDate = new DateTime(SeededDate(index).Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, DateTimeKind.Utc),
                Region = "US",
                Contact = "+1323300" + (index % 10000).ToString("D4", CultureInfo.InvariantCulture),
                Sender = "Seed",
                Status = failed ? "failed" : "delivered",
                Text = (100000 + index % 900000).ToString(CultureInfo.InvariantCulture),
                Language = "en",
                ErrorCode = failed ? 150 : (int?)null,
            };
        }

        private IResult Regions(HttpContext context)
        {
            var denied = Authenticate(context.Request.Headers.Authorization.ToString());
            if (denied != null) return denied;
            return Results.Json(new Dictionary<string, object>
            {
                ["regions"] = OtpBlueRegions.Open.Select(r => new Dictionary<string, string> { ["name"] = r.Name, ["code"] = r.Code }).ToList(),
            });
        }

        private static bool TryDate(string? text, out DateTime date) =>
            DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out date);

        private static bool TryInt(string? text, int fallback, out int value)
        {
            value = fallback;
            return string.IsNullOrEmpty(text) || int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        }
    }
}
