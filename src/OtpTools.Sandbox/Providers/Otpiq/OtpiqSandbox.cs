using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OtpTools.Sandbox.Providers.Otpiq
{
    /// <summary>Deterministic OTPIQ failures: a valid request that still fails on the provider's side.</summary>
    public static class OtpiqScenarios
    {
        /// <summary>Any request to this (valid Iraqi mobile) number answers 500 {message}.</summary>
        public const string ServerError = "9647701234500";

        /// <summary>A sender ID OTPIQ has not approved for the account: 400 {error}.</summary>
        public const string UnapprovedSender = "NotApproved";

        /// <summary>A recipient that always succeeds (while credit and the rate limit allow).</summary>
        public const string Deliverable = "9647501234567";
    }

    /// <summary>OTPIQ "Send SMS" under /otpiq: POST /api/sms with Bearer auth, credit, and a per-number rate limit.</summary>
    public sealed class OtpiqSandbox : ISandboxProvider
    {
        public sealed class Delivery
        {
            public string SmsId = "";
            public DateTimeOffset At;
            public string PhoneNumber = "";
            public string VerificationCode = "";
            public string? SenderId;
            public string Provider = "auto";
            public string? WhatsappAccountId;
            public string? WhatsappPhoneId;
            public string? TemplateName;
            public string? WebhookUrl;
            public string? DeliveryReportType;
            public string? WebhookSecret;
            public decimal Cost;
        }

        public const int MaxRequests = 10;
        public const int TimeWindowMinutes = 10;
        public const decimal DefaultCredit = 1_000_000m;

        private static readonly string[] Channels = { "auto", "whatsapp-sms", "telegram-sms", "whatsapp-telegram-sms", "sms", "whatsapp", "telegram" };
        private readonly object _gate = new object();
        private readonly List<Delivery> _deliveries = new List<Delivery>();
        private readonly Dictionary<string, List<DateTimeOffset>> _requests = new Dictionary<string, List<DateTimeOffset>>();

        public string Prefix => "otpiq";
        public string TypeName => "Otpiq";
        // A fresh number each time: OTPIQ allows ten requests per number in ten minutes.
        public string? SampleSend => "-To ('+96475012' + (Get-Random -Minimum 10000 -Maximum 99999)) -Code 482913";
        // OTPIQ has no error codes: the code reported is the HTTP status.
        public IReadOnlyList<(string Arguments, string Code)> ErrorScenarios => new[]
        {
            ($"-To +{OtpiqScenarios.ServerError} -Code 482913", "500"),
            ($"-To ('+96475013' + (Get-Random -Minimum 10000 -Maximum 99999)) -Code 482913 -Sender {OtpiqScenarios.UnapprovedSender}", "400"),
        };
        public IReadOnlyList<(string Name, string Value)> Variables => new[] { ("APIKEY", ApiKey) };
        public IReadOnlyList<(string Option, string Argument)> Options => new[] { ("--otpiq-credit", "<IQD>") };

        public bool TrySetOption(string option, string value)
        {
            if (option != "--otpiq-credit" || !decimal.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var credit)) return false;
            Credit = credit;
            return true;
        }

        public void Attach(SandboxServer server) => Webhooks = server.Webhooks;
        public string ApiKey { get; set; } = SandboxKeys.Otpiq;
        public string ProjectName { get; set; } = "OtpTools sandbox";
        /// <summary>Where delivery webhooks go out (shared with the server).</summary>
        public SandboxWebhooks Webhooks { get; set; } = new SandboxWebhooks();

        /// <summary>The account's sender IDs, as GET /api/sender-ids lists them.</summary>
        public static IReadOnlyList<(string Id, string SenderId, string Status, decimal Korek, decimal AsiaCell, decimal Zain, decimal Others)> SenderIds { get; } = new[]
        {
            ("66a1f0c2e4b0a1b2c3d4e5f6", "OtpTools", "accepted", 200m, 210m, 220m, 250m),
            ("66a1f0c2e4b0a1b2c3d4e5f7", "OtpToolsDev", "pending", 200m, 210m, 220m, 250m),
            ("66a1f0c2e4b0a1b2c3d4e5f8", "Rejected1", "rejected", 180m, 190m, 200m, 230m),
        };
        /// <summary>Account credit in IQD; each send costs <see cref="CostPerMessage"/>.</summary>
        public decimal Credit { get; set; } = DefaultCredit;
        public decimal CostPerMessage { get; set; } = 200m;
        public string PaymentType { get; set; } = "prepaid";
        /// <summary>The sandbox's clock, for the rate-limit window.</summary>
        public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

        public IReadOnlyList<Delivery> Deliveries
        {
            get { lock (_gate) return _deliveries.ToList(); }
        }

        public void Map(IEndpointRouteBuilder routes)
        {
            routes.MapPost("/api/sms", (Func<HttpContext, Task<IResult>>)SendAsync);
            routes.MapGet("/api/sms/track/{smsId}", Track);
            routes.MapGet("/api/info", Info);
            routes.MapGet("/api/sender-ids", SenderIdList);
        }

        private IResult? Authenticate(HttpContext context)
        {
            var auth = context.Request.Headers.Authorization.ToString();
            if (!auth.StartsWith("Bearer ", StringComparison.Ordinal) || auth.Substring(7) != ApiKey)
                return Message(401, string.IsNullOrEmpty(auth) ? "Unauthorized: missing API key" : "Unauthorized: invalid API key");
            return null;
        }

        /// <summary>GET /api/sms/track/{smsId}: a code the sandbox delivered is "delivered"; any other id is 404.</summary>
        private IResult Track(HttpContext context, string smsId)
        {
            var denied = Authenticate(context);
            if (denied != null) return denied;
            Delivery? found;
            lock (_gate) found = _deliveries.FirstOrDefault(d => d.SmsId == smsId);
            if (found == null) return Message(404, "SMS not found");
            return Results.Json(new Dictionary<string, object>
            {
                ["smsId"] = found.SmsId,
                ["phoneNumber"] = found.PhoneNumber,
                ["status"] = "delivered",
                ["cost"] = found.Cost,
                ["isFinal"] = true,
                ["channel"] = ChannelUsed(found.Provider),
            });
        }

        private IResult Info(HttpContext context)
        {
            var denied = Authenticate(context);
            if (denied != null) return denied;
            lock (_gate) return Results.Json(new Dictionary<string, object> { ["projectName"] = ProjectName, ["credit"] = Credit });
        }

        private IResult SenderIdList(HttpContext context)
        {
            var denied = Authenticate(context);
            if (denied != null) return denied;
            return Results.Json(new Dictionary<string, object>
            {
                ["success"] = true,
                ["data"] = SenderIds.Select(s => new Dictionary<string, object>
                {
                    ["_id"] = s.Id,
                    ["senderId"] = s.SenderId,
                    ["status"] = s.Status,
                    ["pricePerSms"] = new Dictionary<string, object> { ["korekTelecom"] = s.Korek, ["asiaCell"] = s.AsiaCell, ["zainIraq"] = s.Zain, ["others"] = s.Others },
                }).ToList(),
            });
        }

        /// <summary>The channel a send went out on: the first of a fallback list, SMS for auto.</summary>
        private static string ChannelUsed(string provider) => provider == "auto" ? "sms" : provider.Split('-')[0];

        /// <summary>OTPIQ's delivery report: with "all" every step (sent, then delivered), with "final" only the last.</summary>
        private void PostDeliveryReports(Delivery delivery)
        {
            if (delivery.WebhookUrl == null) return;
            var type = delivery.DeliveryReportType ?? "all";
            string Report(string status, bool isFinal) => JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["smsId"] = delivery.SmsId,
                ["deliveryReportType"] = type,
                ["isFinal"] = isFinal,
                ["channel"] = ChannelUsed(delivery.Provider),
                ["status"] = status,
                ["senderId"] = delivery.SenderId,
            });
            var events = type == "final" ? new[] { Report("delivered", true) } : new[] { Report("sent", false), Report("delivered", true) };
            var headers = new Dictionary<string, string>();
            if (delivery.WebhookSecret != null) headers["X-OTPIQ-Webhook-Secret"] = delivery.WebhookSecret;
            Webhooks.PostLater(delivery.WebhookUrl, events, headers);
        }

        private async Task<IResult> SendAsync(HttpContext context)
        {
            var denied = Authenticate(context);
            if (denied != null) return denied;

            if (!SandboxJson.SaysJson(context.Request)) return Error("Content-Type must be application/json");
            var parsed = await SandboxJson.ReadObjectAsync(context.Request);
            if (parsed == null) return Error("Invalid request body: expected a JSON object");
            var body = parsed.Value;
            var unknown = SandboxJson.UnknownField(body, "phoneNumber", "smsType", "verificationCode", "senderId", "whatsappAccountId",
                "whatsappPhoneId", "templateName", "provider", "deliveryReport");
            if (unknown != null) return Error($"Unknown field '{unknown}'");

            string? Text(JsonElement obj, string name, out string? error)
            {
                error = null;
                var kind = SandboxJson.Kind(obj, name);
                if (kind == JsonValueKind.Undefined || kind == JsonValueKind.Null) return null;
                if (kind != JsonValueKind.String) error = $"{name} must be a string";
                return SandboxJson.String(obj, name);
            }

            var phone = Text(body, "phoneNumber", out var e1);
            if (e1 != null) return Error(e1);
            if (string.IsNullOrEmpty(phone)) return Error("phoneNumber is required");
            if (!phone.All(c => c >= '0' && c <= '9'))
                return Error("phoneNumber must be in international format without + (digits only, e.g. 964750123456)");

            var smsType = Text(body, "smsType", out var e2);
            if (e2 != null) return Error(e2);
            if (string.IsNullOrEmpty(smsType)) return Error("smsType is required");
            if (smsType != "verification") return Error("smsType must be \"verification\" for sending verification codes");

            var code = Text(body, "verificationCode", out var e3);
            if (e3 != null) return Error(e3);
            if (code == null) return Error("verificationCode is required for verification messages");
            if (code.Length < 1 || code.Length > 20) return Error("verificationCode must be 1 to 20 characters long");

            var sender = Text(body, "senderId", out var e4);
            if (e4 != null) return Error(e4);
            if (sender != null && sender.Length > 11) return Error("senderId must be at most 11 characters long");

            var provider = Text(body, "provider", out var e5) ?? "auto";
            if (e5 != null) return Error(e5);
            if (!Channels.Contains(provider)) return Error($"provider must be one of: {string.Join(", ", Channels)}");

            var accountId = Text(body, "whatsappAccountId", out var e6);
            var phoneId = Text(body, "whatsappPhoneId", out var e7);
            var templateName = Text(body, "templateName", out var e8);
            var typeError = e6 ?? e7 ?? e8;
            if (typeError != null) return Error(typeError);

            string? webhookUrl = null, reportType = null, webhookSecret = null;
            var reportKind = SandboxJson.Kind(body, "deliveryReport");
            if (reportKind != JsonValueKind.Undefined && reportKind != JsonValueKind.Null)
            {
                if (reportKind != JsonValueKind.Object) return Error("deliveryReport must be an object");
                var report = body.GetProperty("deliveryReport");
                var unknownInReport = SandboxJson.UnknownField(report, "webhookUrl", "deliveryReportType", "webhookSecret");
                if (unknownInReport != null) return Error($"Unknown field 'deliveryReport.{unknownInReport}'");
                webhookUrl = Text(report, "webhookUrl", out var r1);
                reportType = Text(report, "deliveryReportType", out var r2);
                webhookSecret = Text(report, "webhookSecret", out var r3);
                if ((r1 ?? r2 ?? r3) != null) return Error("deliveryReport." + (r1 ?? r2 ?? r3));
                if (string.IsNullOrEmpty(webhookUrl)) return Error("deliveryReport.webhookUrl is required");
                // https only; loopback may use http (a receiver on this machine, as in the module's tests).
                if (!Uri.TryCreate(webhookUrl, UriKind.Absolute, out var hook) || (hook.Scheme != "https" && !(hook.Scheme == "http" && hook.IsLoopback)))
                    return Error("deliveryReport.webhookUrl must be a valid https URL");
                if (reportType != null && reportType != "all" && reportType != "final")
                    return Error("deliveryReport.deliveryReportType must be one of: all, final");
            }

            if (SandboxJson.ParsePhone(phone) == null) return Error($"Invalid phone number: {phone}");
            if (sender == OtpiqScenarios.UnapprovedSender) return Error($"Sender ID '{sender}' is not approved for this account");
            if (phone == OtpiqScenarios.ServerError) return Message(500, "Internal server error");

            lock (_gate)
            {
                var now = Clock();
                if (!_requests.TryGetValue(phone, out var times)) _requests[phone] = times = new List<DateTimeOffset>();
                times.RemoveAll(t => t <= now.AddMinutes(-TimeWindowMinutes));
                if (times.Count >= MaxRequests)
                {
                    var wait = (int)Math.Ceiling((times[0].AddMinutes(TimeWindowMinutes) - now).TotalMinutes);
                    return Results.Json(new Dictionary<string, object>
                    {
                        ["message"] = "Too many requests for this phone number. Please try again later.",
                        ["waitMinutes"] = Math.Max(1, wait),
                        ["maxRequests"] = MaxRequests,
                        ["timeWindowMinutes"] = TimeWindowMinutes,
                    }, statusCode: 429);
                }
                times.Add(now);

                if (Credit < CostPerMessage)
                {
                    return Results.Json(new Dictionary<string, object>
                    {
                        ["error"] = "Insufficient credit",
                        ["yourCredit"] = Credit,
                        ["requiredCredit"] = CostPerMessage,
                        ["canCover"] = false,
                    }, statusCode: 400);
                }
                Credit -= CostPerMessage;
                var delivery = new Delivery
                {
                    SmsId = "sms-" + Guid.NewGuid().ToString("N").Substring(0, 22),
                    At = now,
                    PhoneNumber = phone,
                    VerificationCode = code,
                    SenderId = sender,
                    Provider = provider,
                    WhatsappAccountId = accountId,
                    WhatsappPhoneId = phoneId,
                    TemplateName = templateName,
                    WebhookUrl = webhookUrl,
                    DeliveryReportType = reportType,
                    WebhookSecret = webhookSecret,
                    Cost = CostPerMessage,
                };
                _deliveries.Add(delivery);
                PostDeliveryReports(delivery);
                return Results.Json(new Dictionary<string, object>
                {
                    ["message"] = "SMS task created successfully",
                    ["smsId"] = delivery.SmsId,
                    ["remainingCredit"] = Credit,
                    ["cost"] = CostPerMessage,
                    ["canCover"] = true,
                    ["paymentType"] = PaymentType,
                });
            }
        }

        private static IResult Error(string error) =>
            Results.Json(new Dictionary<string, object> { ["error"] = error }, statusCode: 400);

        private static IResult Message(int status, string message) =>
            Results.Json(new Dictionary<string, object> { ["message"] = message }, statusCode: status);
    }
}
