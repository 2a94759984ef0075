using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OtpTools.Sandbox.Providers.EngageLab
{
    /// <summary>Deterministic EngageLab failures and the templates the sandbox knows.</summary>
    public static class EngageLabScenarios
    {
        /// <summary>Sending to this (valid US) number answers 1000, HTTP 500.</summary>
        public const string InternalError = "+13232101000";
        /// <summary>Sending to this (valid US) number answers 5001 "sms send fail", HTTP 400.</summary>
        public const string DispatchFails = "+13232105001";

        /// <summary>SMS template (languages default, en, zh); the document's example id.</summary>
        public const string SmsTemplate = "test-template-1";
        /// <summary>WhatsApp first, falling back to SMS.</summary>
        public const string WhatsappTemplate = "otp-whatsapp-sms";
        /// <summary>E-mail only.</summary>
        public const string EmailTemplate = "otp-email";
        /// <summary>Voice call.</summary>
        public const string VoiceTemplate = "otp-voice";
        /// <summary>
        /// Template ids that answer 3001 / 3002 however well-formed the request is: a correct client never sends a
        /// body that earns these codes, so this is the only way to prove it maps them.
        /// </summary>
        public const string ForceInvalidJson = "scenario-3001";
        public const string ForceInvalidParameter = "scenario-3002";
        /// <summary>A template id that does not exist (4001).</summary>
        public const string MissingTemplate = "no-such-template";
    }

    /// <summary>
    /// EngageLab OTP under /engagelab, Basic dev_key:dev_secret auth: POST /v1/messages (a generated code), POST
    /// /v1/codes (the caller's code) and POST /v1/verifications (checks a generated code once).
    /// </summary>
    public sealed class EngageLabSandbox : ISandboxProvider
    {
        public sealed class Template
        {
            public Template(string[] channels, string[] languages)
            {
                Channels = channels;
                Languages = languages;
            }

            public string[] Channels { get; }
            public string[] Languages { get; }
        }

        public sealed class Delivery
        {
            public string MessageId = "";
            public DateTimeOffset At;
            public string To = "";
            public string TemplateId = "";
            public string Language = "default";
            public Dictionary<string, string> Params = new Dictionary<string, string>();
            public string SendChannel = "";
            /// <summary>The code the recipient got: EngageLab's own (/v1/messages, revealed here for tests) or the caller's (/v1/codes).</summary>
            public string Code = "";
            /// <summary>True when EngageLab generated the code, so /v1/verifications can check it.</summary>
            public bool Generated;
            public bool Verified;
        }

        private static readonly Regex Email = new Regex(@"^[^@\s]+@[^@\s]+\.[^@\s.]+$");

        public static IReadOnlyDictionary<string, Template> Templates { get; } = new Dictionary<string, Template>
        {
            [EngageLabScenarios.SmsTemplate] = new Template(new[] { "sms" }, new[] { "default", "en", "zh_CN" }),
            [EngageLabScenarios.WhatsappTemplate] = new Template(new[] { "whatsapp", "sms" }, new[] { "default", "en" }),
            [EngageLabScenarios.EmailTemplate] = new Template(new[] { "email" }, new[] { "default" }),
            [EngageLabScenarios.VoiceTemplate] = new Template(new[] { "voice" }, new[] { "default" }),
        };

        private readonly object _gate = new object();
        private readonly List<Delivery> _deliveries = new List<Delivery>();
        private long _nextId = 1725407449772531712;

        public string Prefix => "engagelab";
        public string TypeName => "EngageLab";
        // A fresh number each time: EngageLab refuses a second code from one template to one number while the first is valid.
        public string? SampleSend => "-To ('+86139' + (Get-Random -Minimum 10000000 -Maximum 99999999)) -TemplateId test-template-1";
        public IReadOnlyList<(string Arguments, string Code)> ErrorScenarios => new[]
        {
            ($"-To {EngageLabScenarios.InternalError} -TemplateId {EngageLabScenarios.SmsTemplate}", "1000"),
            ($"-To {EngageLabScenarios.DispatchFails} -TemplateId {EngageLabScenarios.SmsTemplate}", "5001"),
            ($"-To ('+86139' + (Get-Random -Minimum 10000000 -Maximum 99999999)) -TemplateId {EngageLabScenarios.MissingTemplate}", "4001"),
            ($"-To ('+86139' + (Get-Random -Minimum 10000000 -Maximum 99999999)) -TemplateId {EngageLabScenarios.ForceInvalidJson}", "3001"),
            ($"-To ('+86139' + (Get-Random -Minimum 10000000 -Maximum 99999999)) -TemplateId {EngageLabScenarios.ForceInvalidParameter}", "3002"),
        };
        public IReadOnlyList<(string Name, string Value)> Variables => new[] { ("DEVKEY", SandboxKeys.EngageLabDevKey), ("DEVSECRET", SandboxKeys.EngageLabDevSecret) };
        public IEnumerable<string> Notes => new[] { $"EngageLab: the code a message carried is at $env:OTPTOOLS_ENGAGELAB_BASEURI{GeneratedCodePath}<MessageId>" }
            .Concat(CallbackUrl == null ? Array.Empty<string>() : new[] { $"EngageLab delivery callbacks go to {CallbackUrl}" });
        public IReadOnlyList<(string Option, string Argument)> Options => new[]
        {
            ("--engagelab-callback", "<url>"), ("--engagelab-callback-user", "<name>"), ("--engagelab-callback-secret", "<secret>"),
        };

        /// <summary>EngageLab's callback is set in its console, not per send: here, on the command line.</summary>
        public bool TrySetOption(string option, string value)
        {
            switch (option)
            {
                case "--engagelab-callback" when Uri.TryCreate(value, UriKind.Absolute, out _): CallbackUrl = value; return true;
                case "--engagelab-callback-user": CallbackUserName = value; return true;
                case "--engagelab-callback-secret": CallbackSecret = value; return true;
                default: return false;
            }
        }

        public void Attach(SandboxServer server) => Webhooks = server.Webhooks;
        /// <summary>How long a sent code stays valid; resending the same template to the same target inside it is 3004.</summary>
        public TimeSpan Validity { get; set; } = TimeSpan.FromMinutes(5);
        public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

        /// <summary>Where delivery webhooks go out (shared with the server).</summary>
        public SandboxWebhooks Webhooks { get; set; } = new SandboxWebhooks();
        /// <summary>The status callback URL set in EngageLab's console; null for none.</summary>
        public string? CallbackUrl { get; set; }
        /// <summary>The console's callback user name and secret: when both are set, every callback is signed.</summary>
        public string? CallbackUserName { get; set; }
        public string? CallbackSecret { get; set; }

        /// <summary>What the console does when a callback URL is saved: POST {} and expect 200 within 3 seconds.</summary>
        public Task<int> CheckCallbackUrlAsync() => Webhooks.PostAsync(CallbackUrl!, "{}", new Dictionary<string, string>());

        /// <summary>The callback headers: signed with a fresh nonce when a user name and secret are configured.</summary>
        public IDictionary<string, string> CallbackHeaders()
        {
            var headers = new Dictionary<string, string>();
            if (CallbackUserName != null && CallbackSecret != null)
                headers["X-CALLBACK-ID"] = SandboxWebhooks.EngageLabSignature(CallbackUserName, CallbackSecret,
                    Clock().ToUnixTimeSeconds(), Guid.NewGuid().ToString("N"));
            return headers;
        }

        /// <summary>The callback body for messages: { total, rows } with one row per message and status.</summary>
        public static string CallbackBody(IEnumerable<(Delivery Delivery, string Status)> rows)
        {
            var list = rows.Select(r => new Dictionary<string, object?>
            {
                ["message_id"] = r.Delivery.MessageId,
                ["to"] = r.Delivery.To,
                ["server"] = "otp",
                ["channel"] = r.Delivery.SendChannel,
                ["itime"] = r.Delivery.At.ToUnixTimeSeconds(),
                ["custom_args"] = new Dictionary<string, object>(),
                ["status"] = new Dictionary<string, object?>
                {
                    ["message_status"] = r.Status,
                    ["status_data"] = new Dictionary<string, object> { ["template_key"] = r.Delivery.TemplateId },
                    ["billing"] = new Dictionary<string, object> { ["cost"] = 0.0035m, ["currency"] = "USD" },
                    ["error_code"] = 0,
                },
            }).ToList();
            return JsonSerializer.Serialize(new Dictionary<string, object> { ["total"] = list.Count, ["rows"] = list });
        }

        public IReadOnlyList<Delivery> Deliveries
        {
            get { lock (_gate) return _deliveries.ToList(); }
        }

        private readonly Random _codes = new Random(4711);

        public void Map(IEndpointRouteBuilder routes)
        {
            routes.MapPost("/v1/messages", (Func<HttpContext, Task<IResult>>)(context => SendAsync(context, callersCode: false)));
            routes.MapPost("/v1/codes", (Func<HttpContext, Task<IResult>>)(context => SendAsync(context, callersCode: true)));
            routes.MapPost("/v1/verifications", (Func<HttpContext, Task<IResult>>)VerifyAsync);
            // Not EngageLab's API: the sandbox's window onto the phone, so a person trying Confirm-OtpCode can type the
            // right code without reading this source.
            routes.MapGet(GeneratedCodePath + "{messageId}", (string messageId) =>
            {
                lock (_gate)
                {
                    var delivery = _deliveries.FirstOrDefault(d => d.MessageId == messageId);
                    // A JSON string: Invoke-RestMethod reads a text answer as JSON when it can ("012345" became 5349, octal).
                    return delivery == null ? Results.NotFound() : Results.Json(delivery.Code);
                }
            });
        }

        /// <summary>Where the code a message carried can be read, under this provider's prefix (the sandbox only).</summary>
        public const string GeneratedCodePath = "/_sandbox/codes/";

        /// <summary>
        /// POST /v1/verifications {message_id, verify_code}: verified true once for the generated code, false for a wrong
        /// one; a message already verified (or sent with the caller's own code) cannot be verified.
        /// </summary>
        private async Task<IResult> VerifyAsync(HttpContext context)
        {
            var denied = Authenticate(context.Request.Headers.Authorization.ToString());
            if (denied != null) return denied;
            if (!SandboxJson.SaysJson(context.Request)) return Failure(3001, "invalid request parameter format: Content-Type must be application/json");
            var parsed = await SandboxJson.ReadObjectAsync(context.Request);
            if (parsed == null) return Failure(3001, "invalid request parameter format: the body must be a JSON object");
            var body = parsed.Value;
            var unknown = SandboxJson.UnknownField(body, "message_id", "verify_code");
            if (unknown != null) return Failure(3002, $"unknown field '{unknown}'");
            if (SandboxJson.Kind(body, "message_id") != JsonValueKind.String || SandboxJson.Kind(body, "verify_code") != JsonValueKind.String)
                return Failure(3002, "message_id and verify_code are required strings");
            var messageId = SandboxJson.String(body, "message_id")!;
            var code = SandboxJson.String(body, "verify_code")!;
            lock (_gate)
            {
                var delivery = _deliveries.FirstOrDefault(d => d.MessageId == messageId);
                if (delivery == null) return Failure(3003, $"message {messageId} does not exist");
                if (!delivery.Generated) return Failure(3003, $"message {messageId} carried the caller's own code: there is nothing to verify");
                if (delivery.Verified) return Failure(3003, $"the code of message {messageId} was already verified");
                var verified = code == delivery.Code;
                delivery.Verified = verified;
                return Results.Json(new Dictionary<string, object> { ["message_id"] = messageId, ["verify_code"] = code, ["verified"] = verified });
            }
        }

        private async Task<IResult> SendAsync(HttpContext context, bool callersCode)
        {
            var denied = Authenticate(context.Request.Headers.Authorization.ToString());
            if (denied != null) return denied;

            if (!SandboxJson.SaysJson(context.Request)) return Failure(3001, "invalid request parameter format: Content-Type must be application/json");
            var parsed = await SandboxJson.ReadObjectAsync(context.Request);
            if (parsed == null) return Failure(3001, "invalid request parameter format: the body must be a JSON object");
            var body = parsed.Value;
            // A misspelt or misplaced field must fail here, not pass silently.
            var unknown = callersCode ? SandboxJson.UnknownField(body, "to", "code", "template") : SandboxJson.UnknownField(body, "to", "template");
            if (unknown != null) return Failure(3002, $"unknown field '{unknown}'" + (unknown == "code" ? ": a caller's own code goes to /v1/codes" : ""));
            if (callersCode && (SandboxJson.Kind(body, "code") != JsonValueKind.String || string.IsNullOrWhiteSpace(SandboxJson.String(body, "code"))))
                return Failure(3002, "code is required and must be a string");

            if (SandboxJson.Kind(body, "to") != JsonValueKind.String || string.IsNullOrWhiteSpace(SandboxJson.String(body, "to")))
                return Failure(3002, "to is required and must be a string");
            if (SandboxJson.Kind(body, "template") != JsonValueKind.Object)
                return Failure(3002, "template is required and must be an object");
            var template = body.GetProperty("template");
            var unknownInTemplate = SandboxJson.UnknownField(template, "id", "language", "params");
            if (unknownInTemplate != null) return Failure(3002, $"unknown field 'template.{unknownInTemplate}'");
            if (SandboxJson.Kind(template, "id") != JsonValueKind.String || string.IsNullOrWhiteSpace(SandboxJson.String(template, "id")))
                return Failure(3002, "template.id is required and must be a string");
            var languageKind = SandboxJson.Kind(template, "language");
            if (languageKind != JsonValueKind.Undefined && languageKind != JsonValueKind.String)
                return Failure(3002, "template.language must be a string");
            var parameters = new Dictionary<string, string>();
            var paramsKind = SandboxJson.Kind(template, "params");
            if (paramsKind != JsonValueKind.Undefined)
            {
                if (paramsKind != JsonValueKind.Object) return Failure(3002, "template.params must be an object");
                foreach (var p in template.GetProperty("params").EnumerateObject())
                {
                    if (p.Value.ValueKind != JsonValueKind.String) return Failure(3002, $"template.params.{p.Name} must be a string");
                    parameters[p.Name] = p.Value.GetString()!;
                }
            }

            var to = SandboxJson.String(body, "to")!;
            var id = SandboxJson.String(template, "id")!;
            if (id == EngageLabScenarios.ForceInvalidJson) return Failure(3001, "invalid request parameter format");
            if (id == EngageLabScenarios.ForceInvalidParameter) return Failure(3002, "incorrect request parameters");
            var isEmail = to.Contains('@');
            if (isEmail ? !Email.IsMatch(to) : !Regex.IsMatch(to, @"^\+[0-9]{6,15}$") || SandboxJson.ParsePhone(to) == null)
                return Failure(3003, $"invalid target '{to}': use a phone number with country code (+8613800138000) or an email address");

            if (!Templates.TryGetValue(id, out var found)) return Failure(4001, $"template {id} does not exist");
            var language = SandboxJson.String(template, "language") ?? "default";
            if (!found.Languages.Contains(language))
                return Failure(3003, $"template {id} has no content for language '{language}' (has: {string.Join(", ", found.Languages)})");
            var channel = isEmail
                ? found.Channels.FirstOrDefault(c => c == "email")
                : found.Channels.FirstOrDefault(c => c != "email");
            if (channel == null)
                return Failure(3003, $"template {id} cannot send to {(isEmail ? "an email address" : "a phone number")}");

            if (to == EngageLabScenarios.InternalError) return Failure(1000, "internal error");
            if (to == EngageLabScenarios.DispatchFails) return Failure(5001, "sms send fail");

            lock (_gate)
            {
                var now = Clock();
                if (_deliveries.Any(d => d.To == to && d.TemplateId == id && d.At + Validity > now))
                    return Failure(3004, $"exceeded frequency limit: template {id} was already sent to {to} within the OTP validity period");
                var delivery = new Delivery
                {
                    MessageId = (_nextId++).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    At = now,
                    To = to,
                    TemplateId = id,
                    Language = language,
                    Params = parameters,
                    SendChannel = channel,
                    Code = callersCode ? SandboxJson.String(body, "code")! : _codes.Next(0, 1000000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture),
                    Generated = !callersCode,
                };
                _deliveries.Add(delivery);
                if (CallbackUrl != null)
                    Webhooks.PostLater(CallbackUrl, new[] { CallbackBody(new[] { (delivery, "sent") }), CallbackBody(new[] { (delivery, "delivered") }) }, CallbackHeaders);
                return Results.Json(new Dictionary<string, object> { ["message_id"] = delivery.MessageId, ["send_channel"] = channel });
            }
        }

        private static IResult? Authenticate(string header)
        {
            const string scheme = "Basic ";
            if (!header.StartsWith(scheme, StringComparison.Ordinal)) return Failure(2001, "authentication failed: missing token");
            string pair;
            try
            {
                pair = Encoding.UTF8.GetString(Convert.FromBase64String(header.Substring(scheme.Length).Trim()));
            }
            catch (FormatException)
            {
                return Failure(2001, "authentication failed: malformed token");
            }
            var colon = pair.IndexOf(':');
            if (colon < 0 || pair.Substring(colon + 1) != SandboxKeys.EngageLabDevSecret)
                return Failure(2001, "authentication failed: incorrect token");
            return pair.Substring(0, colon) switch
            {
                SandboxKeys.EngageLabDevKey => null,
                SandboxKeys.EngageLabDisabledDevKey => Failure(2002, "authentication failed: token disabled"),
                SandboxKeys.EngageLabNoPermissionDevKey => Failure(2004, "no permission to call this API"),
                _ => Failure(2001, "authentication failed: incorrect token"),
            };
        }

        /// <summary>The documented HTTP status of each error code.</summary>
        public static int StatusOf(int code) => code switch
        {
            1000 => 500,
            2001 or 2002 => 401,
            2004 => 403,
            _ => 400,
        };

        private static IResult Failure(int code, string message) =>
            Results.Json(new Dictionary<string, object> { ["code"] = code, ["message"] = message }, statusCode: StatusOf(code));
    }
}
