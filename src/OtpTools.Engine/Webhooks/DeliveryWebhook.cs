using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace OtpTools.Engine.Webhooks
{
    /// <summary>How a provider's delivery webhook authenticates and what its body holds. One per provider folder.</summary>
    public interface IDeliveryWebhook
    {
        /// <summary>What the listener must be given: a shared token, or (EngageLab) a callback user name and secret.</summary>
        WebhookSecretKind SecretKind { get; }

        /// <summary>
        /// Decides from the headers alone, before a byte of the body is read, whether a request is authentic, or
        /// refuses it (with a reason that holds no secret). A signed request names its nonce as the verdict's
        /// <see cref="WebhookVerdict.ReplayKey"/>; the listener keeps it once the request is answered 200.
        /// </summary>
        WebhookVerdict Check(WebhookRequest request, WebhookSecret secret, ReplayGuard replays);

        /// <summary>The largest body that may be an unsigned check that the URL answers (read without authentication); 0 for none.</summary>
        int UrlCheckMaxBytes { get; }

        /// <summary>Whether a body is the provider's check that the URL answers: answered 200, nothing written.</summary>
        bool IsUrlCheck(string body);

        /// <summary>The reports an authentic body holds; throws <see cref="FormatException"/> when it is not the documented shape.</summary>
        IReadOnlyList<OtpDeliveryReport> Read(string body);
    }

    public enum WebhookSecretKind
    {
        /// <summary>One value the provider sends back unchanged (OTP Blue's Authorization header, OTPIQ's webhook secret).</summary>
        Token,
        /// <summary>A user name and a secret the provider signs with (EngageLab's callback username and secret).</summary>
        UserAndSecret,
    }

    public enum WebhookOutcome
    {
        Authentic,
        Refused,
    }

    public readonly struct WebhookVerdict
    {
        private WebhookVerdict(WebhookOutcome outcome, string? reason, string? replayKey)
        {
            Outcome = outcome;
            Reason = reason;
            ReplayKey = replayKey;
        }

        public WebhookOutcome Outcome { get; }
        /// <summary>Why a request was refused, for a verbose line; never holds a secret.</summary>
        public string? Reason { get; }
        /// <summary>The nonce of a signed request: accepted once, refused as a replay after that.</summary>
        public string? ReplayKey { get; }

        public static WebhookVerdict Authentic { get; } = new WebhookVerdict(WebhookOutcome.Authentic, null, null);
        public static WebhookVerdict AuthenticOnce(string nonce) => new WebhookVerdict(WebhookOutcome.Authentic, null, nonce);
        public static WebhookVerdict Refused(string reason) => new WebhookVerdict(WebhookOutcome.Refused, reason, null);
    }

    /// <summary>One request as received, before its body is read: its headers (UTF-8, control characters refused) and when it came.</summary>
    public sealed class WebhookRequest
    {
        private readonly Func<string, string?> _header;

        public WebhookRequest(Func<string, string?> header, DateTimeOffset receivedAt)
        {
            _header = header;
            ReceivedAt = receivedAt;
        }

        public string? Header(string name) => _header(name);
        public DateTimeOffset ReceivedAt { get; }
    }

    /// <summary>The listener's secret, held as bytes for constant-time comparison for as long as it listens.</summary>
    public sealed class WebhookSecret
    {
        public WebhookSecret(System.Security.SecureString secret, string? userName = null)
        {
            var revealed = Credentials.OtpCredential.Reveal(secret);
            Secret = Encoding.UTF8.GetBytes(revealed);
            UserName = userName;
            // A listener that can never accept a report would look like one that received none.
            if (Secret.Length == 0)
                throw new OtpException("Webhook.SecretEmpty", OtpErrorCategory.InvalidArgument,
                    "The webhook secret is empty: no provider request could ever match it. Give the value your sends use.")
                { ParameterName = userName == null ? "WebhookSecret" : "Credential" };
            if (userName != null && userName.Length == 0)
                throw new OtpException("Webhook.SecretEmpty", OtpErrorCategory.InvalidArgument,
                    "The callback user name is empty: give the user name set in the provider's console as -Credential's user name.")
                { ParameterName = "Credential" };
            foreach (var c in revealed)
                if (char.IsControl(c))
                    throw new OtpException("Webhook.SecretInvalid", OtpErrorCategory.InvalidArgument,
                        "The webhook secret holds a control character, which no HTTP header can carry.")
                    { ParameterName = userName == null ? "WebhookSecret" : "Credential" };
        }

        internal byte[] Secret { get; }
        public string? UserName { get; }

        /// <summary>The secret joins the outward gate's, so an echo of it is masked like a key.</summary>
        public void ShowMaskedIn(Http.OutwardText outward) => outward.AddSecret(Encoding.UTF8.GetString(Secret));

        /// <summary>Whether <paramref name="given"/> is the secret, taking the same time wherever they differ.</summary>
        internal bool Matches(string? given) => FixedTime.AreEqual(Encoding.UTF8.GetBytes(given ?? ""), Secret);

        /// <summary>The verdict for a provider that sends the secret back unchanged in one header.</summary>
        public WebhookVerdict CheckHeader(WebhookRequest request, string header)
        {
            var given = request.Header(header);
            if (string.IsNullOrEmpty(given)) return WebhookVerdict.Refused($"no {header} header");
            return Matches(given) ? WebhookVerdict.Authentic : WebhookVerdict.Refused($"the {header} header does not match the webhook secret");
        }
    }

    internal static class FixedTime
    {
        /// <summary>Constant-time comparison (CryptographicOperations.FixedTimeEquals is not in netstandard2.0).</summary>
        public static bool AreEqual(byte[] a, byte[] b)
        {
            var difference = a.Length ^ b.Length;
            for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
                difference |= (i < a.Length ? a[i] : 0) ^ (i < b.Length ? b[i] : 0);
            return difference == 0;
        }
    }

    /// <summary>Reads webhook JSON whose field types the providers do not always keep (a number as a string and back).</summary>
    internal static class WebhookJson
    {
        public static JsonDocument Parse(string body)
        {
            try
            {
                var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
                if (document.RootElement.ValueKind == JsonValueKind.Object) return document;
                document.Dispose();
            }
            catch (JsonException)
            {
            }
            throw new FormatException("the body is not a JSON object");
        }

        public static JsonElement? Property(JsonElement obj, string name) =>
            obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
                ? value : (JsonElement?)null;

        public static string? Text(JsonElement obj, string name) => Property(obj, name) is JsonElement v
            ? v.ValueKind == JsonValueKind.String ? v.GetString()
            : v.ValueKind == JsonValueKind.Number || v.ValueKind == JsonValueKind.True || v.ValueKind == JsonValueKind.False ? v.GetRawText()
            : null
            : null;

        public static decimal? Number(JsonElement obj, string name)
        {
            if (!(Property(obj, name) is JsonElement v)) return null;
            if (v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var n)) return n;
            return v.ValueKind == JsonValueKind.String && decimal.TryParse(v.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out n) ? n : (decimal?)null;
        }

        public static bool? Flag(JsonElement obj, string name) => Property(obj, name) is JsonElement v
            ? v.ValueKind == JsonValueKind.True ? true : v.ValueKind == JsonValueKind.False ? false
            : v.ValueKind == JsonValueKind.String && bool.TryParse(v.GetString(), out var b) ? b : (bool?)null
            : null;
    }
}
