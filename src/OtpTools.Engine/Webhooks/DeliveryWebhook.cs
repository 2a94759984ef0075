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
        /// Decides what to do with a request before its body is read as reports: a URL check, an authentic request,
        /// or a refusal (with a reason that holds no secret).
        /// </summary>
        WebhookVerdict Check(WebhookRequest request, WebhookSecret secret, ReplayGuard replays);

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
        /// <summary>A provider's check that the URL answers (EngageLab's empty object): 200, nothing written.</summary>
        UrlCheck,
        Refused,
    }

    public readonly struct WebhookVerdict
    {
        private WebhookVerdict(WebhookOutcome outcome, string? reason)
        {
            Outcome = outcome;
            Reason = reason;
        }

        public WebhookOutcome Outcome { get; }
        /// <summary>Why a request was refused, for a verbose line; never holds a secret.</summary>
        public string? Reason { get; }

        public static WebhookVerdict Authentic { get; } = new WebhookVerdict(WebhookOutcome.Authentic, null);
        public static WebhookVerdict UrlCheck { get; } = new WebhookVerdict(WebhookOutcome.UrlCheck, null);
        public static WebhookVerdict Refused(string reason) => new WebhookVerdict(WebhookOutcome.Refused, reason);
    }

    /// <summary>One request as received: its headers and its (size-capped) body.</summary>
    public sealed class WebhookRequest
    {
        private readonly Func<string, string?> _header;

        public WebhookRequest(Func<string, string?> header, string body, DateTimeOffset receivedAt)
        {
            _header = header;
            Body = body;
            ReceivedAt = receivedAt;
        }

        public string? Header(string name) => _header(name);
        public string Body { get; }
        public DateTimeOffset ReceivedAt { get; }
    }

    /// <summary>The listener's secret, held as bytes for constant-time comparison for as long as it listens.</summary>
    public sealed class WebhookSecret
    {
        public WebhookSecret(System.Security.SecureString secret, string? userName = null)
        {
            Secret = Encoding.UTF8.GetBytes(Credentials.OtpCredential.Reveal(secret));
            UserName = userName;
        }

        internal byte[] Secret { get; }
        public string? UserName { get; }

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

    /// <summary>Nonces this listener has accepted, so a signed request cannot be played again.</summary>
    public sealed class ReplayGuard
    {
        /// <summary>How old a signature may be (either way, for clock skew).</summary>
        public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);
        private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);

        /// <summary>True the first time a nonce is offered; false for a replay. Old nonces are forgotten once outside the window.</summary>
        public bool FirstUse(string nonce, DateTimeOffset now)
        {
            if (_seen.Count > 10_000)
                foreach (var old in _seen)
                    if (now - old.Value > Window + Window) _seen.TryRemove(old.Key, out _);
            return _seen.TryAdd(nonce, now);
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
