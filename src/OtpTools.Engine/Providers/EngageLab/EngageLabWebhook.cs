using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OtpTools.Engine.Webhooks;

namespace OtpTools.Engine.Providers.EngageLab
{
    /// <summary>
    /// EngageLab's status callback (configured in its console): { total, rows: [ { message_id, to, channel, status:
    /// { message_status, billing, error_code, error_detail } } ] }, one report per row. With a callback user name and
    /// secret, each request is signed in X-CALLBACK-ID; an empty object first checks that the URL answers.
    /// </summary>
    public sealed class EngageLabWebhook : IDeliveryWebhook
    {
        public const string SignatureHeader = "X-CALLBACK-ID";

        /// <summary>Statuses after which nothing more happens to a message.</summary>
        private static readonly HashSet<string> FinalStatuses = new HashSet<string>(StringComparer.Ordinal)
        {
            "target_invalid", "sent_failed", "delivered", "delivered_failed", "verified", "verified_failed", "verified_timeout",
        };

        public WebhookSecretKind SecretKind => WebhookSecretKind.UserAndSecret;

        public WebhookVerdict Check(WebhookRequest request, WebhookSecret secret, ReplayGuard replays)
        {
            var header = request.Header(SignatureHeader);
            if (string.IsNullOrEmpty(header)) return WebhookVerdict.Refused($"no {SignatureHeader} header");
            var parts = header!.Split(';')
                .Select(p => p.Split(new[] { '=' }, 2))
                .Where(p => p.Length == 2)
                .GroupBy(p => p[0].Trim(), StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.First()[1].Trim(), StringComparer.OrdinalIgnoreCase);
            if (!parts.TryGetValue("timestamp", out var timestamp) || !parts.TryGetValue("nonce", out var nonce) ||
                !parts.TryGetValue("username", out var user) || !parts.TryGetValue("signature", out var signature))
                return WebhookVerdict.Refused($"{SignatureHeader} lacks timestamp, nonce, username or signature");
            if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var t))
                return WebhookVerdict.Refused($"{SignatureHeader} timestamp is not a number");
            // Seconds since the epoch; a 13-digit value is milliseconds.
            var signedAt = timestamp.Length >= 13 ? DateTimeOffset.FromUnixTimeMilliseconds(t) : DateTimeOffset.FromUnixTimeSeconds(Math.Min(t, 253402300799));
            if ((request.ReceivedAt - signedAt).Duration() > ReplayGuard.Window)
                return WebhookVerdict.Refused($"the signature's timestamp {signedAt:u} is more than {ReplayGuard.Window.TotalMinutes} minutes from now (a replay or a skewed clock)");
            if (!string.Equals(user, secret.UserName, StringComparison.Ordinal))
                return WebhookVerdict.Refused("the signed user name is not the callback user name");
            using (var hmac = new HMACSHA256(secret.Secret))
            {
                var expected = Hex(hmac.ComputeHash(Encoding.UTF8.GetBytes(timestamp + nonce + user)));
                if (!FixedTime.AreEqual(Encoding.ASCII.GetBytes(signature.ToLowerInvariant()), Encoding.ASCII.GetBytes(expected)))
                    return WebhookVerdict.Refused("the signature does not match the callback secret");
            }
            if (replays.Seen(nonce))
                return WebhookVerdict.Refused("this nonce was already used (a replay)");
            return WebhookVerdict.AuthenticOnce(nonce);
        }

        /// <summary>Lower-case hex, as EngageLab writes the signature.</summary>
        public static string Hex(byte[] bytes)
        {
            var text = new StringBuilder(bytes.Length * 2);
            foreach (var b in bytes) text.Append(b.ToString("x2", CultureInfo.InvariantCulture));
            return text.ToString();
        }

        /// <summary>EngageLab checks a callback URL with an empty object, before any signature is set up.</summary>
        public int UrlCheckMaxBytes => 16;

        public bool IsUrlCheck(string body)
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                return document.RootElement.ValueKind == JsonValueKind.Object && !document.RootElement.EnumerateObject().Any();
            }
            catch (JsonException)
            {
                return false;
            }
        }

        public IReadOnlyList<OtpDeliveryReport> Read(string body)
        {
            using var document = WebhookJson.Parse(body);
            if (!(WebhookJson.Property(document.RootElement, "rows") is JsonElement rows) || rows.ValueKind != JsonValueKind.Array)
                throw new FormatException("an EngageLab callback needs a rows array");
            var reports = new List<OtpDeliveryReport>();
            foreach (var row in rows.EnumerateArray())
            {
                if (row.ValueKind != JsonValueKind.Object) throw new FormatException("an EngageLab callback row is not an object");
                var state = WebhookJson.Property(row, "status") ?? default;
                var status = WebhookJson.Text(state, "message_status");
                var billing = WebhookJson.Property(state, "billing") ?? default;
                var detail = WebhookJson.Property(state, "error_detail") ?? default;
                var id = WebhookJson.Text(row, "message_id");
                if (id == null || status == null) throw new FormatException("an EngageLab callback row needs message_id and status.message_status");
                reports.Add(new OtpDeliveryReport
                {
                    MessageId = id,
                    Recipient = Validation.PhoneNumber.AsE164(WebhookJson.Text(row, "to")),
                    Status = status,
                    IsFinal = FinalStatuses.Contains(status),
                    Channel = WebhookJson.Text(row, "channel"),
                    ErrorCode = WebhookJson.Text(state, "error_code") is string code && code != "0" ? code : null,
                    ErrorMessage = WebhookJson.Text(detail, "message"),
                    Cost = WebhookJson.Number(billing, "cost"),
                    Currency = WebhookJson.Text(billing, "currency"),
                    RawJson = row.GetRawText(),
                });
            }
            return reports;
        }
    }
}
