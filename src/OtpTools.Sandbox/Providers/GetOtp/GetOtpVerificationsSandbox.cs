using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OtpTools.Sandbox.Providers.GetOtp
{
    /// <summary>Templates and numbers that make the GetOTP sandbox answer each documented failure.</summary>
    public static class GetOtpScenarios
    {
        /// <summary>An SMS template whose text holds {code}.</summary>
        public const string Template = "6d16aa9d-bf19-4141-8169-48b46d972fc6";
        /// <summary>A template whose text lacks {code}: sending with it answers 1624.</summary>
        public const string TemplateWithoutCode = "0f0e0d0c-0b0a-4909-8807-060504030201";
        /// <summary>A UUID no template has: 1251, HTTP 404.</summary>
        public const string MissingTemplate = "99999999-9999-4999-8999-999999999999";
        /// <summary>Sending to this (valid US) number answers HTTP 500 with a code no document names.</summary>
        public const string ServerError = "+13232001500";
    }

    /// <summary>
    /// POST /v1/verifications (send by sms, viber, voice or telegram) and GET /v1/verifications?code=&amp;phone= (the
    /// sends a code matches), as GetOTP's pages describe them and never more lenient.
    /// </summary>
    public sealed partial class GetOtpSandbox
    {
        public const string VerificationsPath = "/v1/verifications";
        /// <summary>Where the code a send carried can be read, under this provider's prefix (the sandbox only).</summary>
        public const string GeneratedCodePath = "/_sandbox/codes/";

        private static readonly string[] Channels = { "sms", "viber", "voice", "telegram" };
        private static readonly string[] Languages = { "AR", "ZH", "EN", "GB", "FR", "DE", "HI", "JA", "RU", "ES", "MX", "BN", "ID", "MS", "FIL", "TH", "VI" };
        private static readonly Dictionary<string, string> Templates = new Dictionary<string, string>
        {
            [GetOtpScenarios.Template] = "Your code is {code}",
            [GetOtpScenarios.TemplateWithoutCode] = "Your code is on its way",
        };

        public sealed class Verification
        {
            public string MessageId = "";
            public string Phone = "";
            public string Channel = "";
            public string Code = "";
            public string? Payload;
            public DateTime Created;
            public DateTime Expires;
        }

        private readonly ConcurrentDictionary<string, Verification> _verifications = new ConcurrentDictionary<string, Verification>();

        /// <summary>Every send accepted, newest last (tests read codes and payloads here).</summary>
        public IReadOnlyList<Verification> Verifications => _verifications.Values.OrderBy(v => v.Created).ToList();

        /// <summary>
        /// How long an sms, viber or voice code lives: no page says; the verifying page's example expires two hours
        /// after creation. Tests shorten it (to zero: every code is already expired) instead of waiting.
        /// </summary>
        public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromHours(2);

        /// <summary>Answer a send wrapped in "data" rather than flat as documented (public callers read both).</summary>
        public bool WrapSendAnswer { get; set; }

        private void MapVerifications(IEndpointRouteBuilder routes)
        {
            routes.MapPost(VerificationsPath, (Func<HttpContext, Task<IResult>>)SendAsync);
            routes.MapGet(VerificationsPath, (Func<HttpContext, IResult>)Check);
            routes.MapGet(GeneratedCodePath + "{id}", (string id) =>
                // A JSON string, as EngageLab's: Invoke-RestMethod would read "012345" as a number.
                _verifications.TryGetValue(id, out var v) ? Results.Json(v.Code) : Results.NotFound());
        }

        private async Task<IResult> SendAsync(HttpContext context)
        {
            var denied = Authenticate(context, "POST", VerificationsPath);
            if (denied != null) return denied;
            IResult Invalid(string message) => Error(400, "1600", message, "POST", VerificationsPath);
            if (!SandboxJson.SaysJson(context.Request)) return Invalid("Content-Type must be application/json");
            var envelope = await SandboxJson.ReadObjectAsync(context.Request).ConfigureAwait(false);
            if (envelope == null || SandboxJson.Kind(envelope.Value, "data") != JsonValueKind.Object || SandboxJson.UnknownField(envelope.Value, "data") != null)
                return Invalid("The body must be {\"data\": {...}}");
            var data = envelope.Value.GetProperty("data");

            var channel = SandboxJson.String(data, "channel");
            if (channel == null || !Channels.Contains(channel, StringComparer.Ordinal)) return Invalid("channel must be one of sms, viber, voice, telegram");
            var allowed = new List<string> { "channel", "phone", "code", "code_length", "payload" };
            if (channel == "sms" || channel == "viber") allowed.AddRange(new[] { "sender", "template" });
            if (channel == "viber" || channel == "telegram") allowed.Add("number_formatting");
            if (channel == "voice") allowed.AddRange(new[] { "voice_type", "ringing_duration", "language" });
            if (channel == "telegram") allowed.Add("ttl_in_seconds");
            var unknown = SandboxJson.UnknownField(data, allowed.ToArray());
            if (unknown != null) return Invalid($"{unknown} is not a field of the {channel} channel");

            var phone = SandboxJson.String(data, "phone");
            if (phone == null || phone.Length < 8 || phone.Length > 15 || !phone.All(c => c >= '0' && c <= '9') || SandboxJson.ParsePhone(phone) == null)
                return Invalid("phone must be digits only, starting with the country code");

            if (channel == "sms" || channel == "viber")
            {
                if (string.IsNullOrWhiteSpace(SandboxJson.String(data, "sender"))) return Invalid("sender is required");
                var template = SandboxJson.String(data, "template");
                if (template == null || !Guid.TryParseExact(template, "D", out _)) return Invalid("template must be a template id (UUID)");
                if (!Templates.TryGetValue(template, out var text)) return Error(404, "1251", "Template not found", "POST", VerificationsPath);
                if (!text.Contains("{code}")) return Error(400, "1624", "The template must contain the {code} attribute", "POST", VerificationsPath);
            }

            var maxLength = channel == "voice" ? 6 : 8;
            var hasCode = data.TryGetProperty("code", out var codeValue);
            var hasLength = data.TryGetProperty("code_length", out var lengthValue);
            if (hasCode && hasLength) return Error(400, "1629", "Only one of code_length or code can be given", "POST", VerificationsPath);
            string code;
            if (hasCode)
            {
                code = codeValue.ValueKind == JsonValueKind.String ? codeValue.GetString()! : "";
                if (code.Length < 4 || code.Length > maxLength || !code.All(c => c >= '0' && c <= '9'))
                    return Invalid($"code must be 4 to {maxLength} digits");
            }
            else if (hasLength)
            {
                if (lengthValue.ValueKind != JsonValueKind.Number || !lengthValue.TryGetInt32(out var length) || length < 4 || length > maxLength)
                    return Invalid($"code_length must be a number from 4 to {maxLength}");
                code = string.Concat(Enumerable.Range(0, length).Select(_ => (char)('0' + RandomNumberGenerator.GetInt32(10))));
            }
            else return Invalid("At least one of code_length or code is required");

            if (channel == "voice")
            {
                var voiceType = SandboxJson.String(data, "voice_type");
                if (voiceType != "tts" && voiceType != "flash") return Invalid("voice_type must be tts or flash");
                if (data.TryGetProperty("ringing_duration", out var ringing) &&
                    (voiceType != "flash" || ringing.ValueKind != JsonValueKind.Number || !ringing.TryGetInt32(out var seconds) || seconds < 5 || seconds > 10))
                    return Invalid("ringing_duration is a number from 5 to 10, for flash calls");
                if (data.TryGetProperty("language", out var language) &&
                    (voiceType != "tts" || language.ValueKind != JsonValueKind.String || !Languages.Contains(language.GetString(), StringComparer.Ordinal)))
                    return Invalid("language is one of " + string.Join(", ", Languages) + ", for tts calls");
            }
            if (data.TryGetProperty("ttl_in_seconds", out var ttlValue) &&
                (ttlValue.ValueKind != JsonValueKind.Number || !ttlValue.TryGetInt32(out var ttl) || ttl < 60 || ttl > 86400))
                return Invalid("ttl_in_seconds must be a number from 60 to 86400");
            if (data.TryGetProperty("number_formatting", out var formatting) && formatting.ValueKind != JsonValueKind.True && formatting.ValueKind != JsonValueKind.False)
                return Invalid("number_formatting must be a boolean");
            string? payload = null;
            if (data.TryGetProperty("payload", out var payloadValue))
            {
                if (payloadValue.ValueKind != JsonValueKind.String || payloadValue.GetString()!.Length > 500) return Invalid("payload must be a string of at most 500 characters");
                payload = payloadValue.GetString();
            }

            if ("+" + phone == GetOtpScenarios.ServerError) return Error(500, "1000", "Internal error", "POST", VerificationsPath);

            var created = DateTime.UtcNow;
            var lifetime = channel == "telegram"
                ? TimeSpan.FromSeconds(data.TryGetProperty("ttl_in_seconds", out var given) ? given.GetInt32() : 60)
                : CodeLifetime;
            var sent = new Verification
            {
                MessageId = Guid.NewGuid().ToString("D"),
                Phone = phone,
                Channel = channel,
                Code = code,
                Payload = payload,
                Created = created,
                Expires = created + lifetime,
            };
            _verifications[sent.MessageId] = sent;
            var answer = ToJson(sent);
            return Results.Json(WrapSendAnswer ? new Dictionary<string, object> { ["data"] = answer } : (object)answer);
        }

        /// <summary>GET ?code=&amp;phone=: every send of that code (to that phone, when given), expired ones included.</summary>
        private IResult Check(HttpContext context)
        {
            var denied = Authenticate(context, "GET", VerificationsPath);
            if (denied != null) return denied;
            var q = context.Request.Query;
            var code = q["code"].ToString();
            if (code.Length == 0) return Error(400, "1600", "code is required", "GET", VerificationsPath);
            var phone = q.ContainsKey("phone") ? q["phone"].ToString() : null;
            var matches = _verifications.Values.Where(v => v.Code == code && (phone == null || v.Phone == phone))
                .OrderBy(v => v.Created).Select(ToJson).ToList();
            return Results.Json(new Dictionary<string, object>
            {
                ["data"] = matches,
                ["pagination"] = new Dictionary<string, object> { ["number"] = 1, ["size"] = matches.Count, ["total"] = matches.Count },
            });
        }

        private static Dictionary<string, object> ToJson(Verification v) => new Dictionary<string, object>
        {
            ["account_id"] = AccountId,
            ["message_id"] = v.MessageId,
            ["phone"] = v.Phone,
            ["create_date"] = v.Created.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["expire_date"] = v.Expires.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        };
    }
}
