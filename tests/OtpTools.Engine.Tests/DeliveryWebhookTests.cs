using System;
using System.Collections.Generic;
using OtpTools.Engine.Credentials;
using OtpTools.Engine.Providers.EngageLab;
using OtpTools.Engine.Providers.OtpBlue;
using OtpTools.Engine.Providers.Otpiq;
using OtpTools.Engine.Webhooks;
using OtpTools.Sandbox;
using Xunit;

namespace OtpTools.Engine.Tests
{
    /// <summary>Each provider's webhook rules, one request at a time.</summary>
    public sealed class DeliveryWebhookTests
    {
        private static WebhookRequest Request(DateTimeOffset at, params (string Name, string Value)[] headers)
        {
            var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, value) in headers) map[name] = value;
            return new WebhookRequest(n => map.TryGetValue(n, out var v) ? v : null, at);
        }

        private static readonly WebhookSecret Pair = new WebhookSecret(OtpCredential.ToSecure("s3cret-callback"), "cb-user");
        private const string Row = "{\"total\":1,\"rows\":[{\"message_id\":\"m1\",\"to\":\"+8613800138000\",\"channel\":\"sms\",\"status\":{\"message_status\":\"sent_failed\",\"error_code\":4001,\"error_detail\":{\"message\":\"carrier rejected\"}}}]}";

        [Fact]
        public void EngageLab_signature_hex_is_compared_case_insensitively_and_a_future_timestamp_is_refused_too()
        {
            var hook = new EngageLabWebhook();
            var now = DateTimeOffset.UtcNow;
            var header = SandboxWebhooks.EngageLabSignature("cb-user", "s3cret-callback", now.ToUnixTimeSeconds(), "nonce-a");
            var upper = header.Substring(0, header.IndexOf("signature=", StringComparison.Ordinal)) +
                        header.Substring(header.IndexOf("signature=", StringComparison.Ordinal)).ToUpperInvariant().Replace("SIGNATURE=", "signature=");
            Assert.Equal(WebhookOutcome.Authentic, hook.Check(Request(now, ("X-CALLBACK-ID", upper)), Pair, new ReplayGuard()).Outcome);

            var future = SandboxWebhooks.EngageLabSignature("cb-user", "s3cret-callback", now.AddMinutes(6).ToUnixTimeSeconds(), "nonce-b");
            var verdict = hook.Check(Request(now, ("X-CALLBACK-ID", future)), Pair, new ReplayGuard());
            Assert.Equal(WebhookOutcome.Refused, verdict.Outcome);
            Assert.DoesNotContain("s3cret-callback", verdict.Reason);
        }

        [Fact]
        public void EngageLab_rows_map_status_error_and_finality()
        {
            var report = Assert.Single(new EngageLabWebhook().Read(Row));
            Assert.Equal("m1", report.MessageId);
            Assert.Equal("sent_failed", report.Status);
            Assert.True(report.IsFinal);
            Assert.Equal("4001", report.ErrorCode);
            Assert.Equal("carrier rejected", report.ErrorMessage);
            Assert.Contains("\"m1\"", report.RawJson);
        }

        [Theory]
        [InlineData("{\"status\":\"delivered\"}")]
        [InlineData("[1,2]")]
        [InlineData("{\"smsId\":\"x\"")]
        public void An_OTPIQ_body_that_is_not_its_report_is_a_format_error(string body) =>
            Assert.Throws<FormatException>(() => new OtpiqWebhook().Read(body));

        [Fact]
        public void Token_webhooks_refuse_a_prefix_or_extension_of_the_secret()
        {
            var secret = new WebhookSecret(OtpCredential.ToSecure("tok-123456"));
            var hook = new OtpBlueWebhook();
            var at = DateTimeOffset.UtcNow;
            Assert.Equal(WebhookOutcome.Authentic, hook.Check(Request(at, ("Authorization", "tok-123456")), secret, new ReplayGuard()).Outcome);
            Assert.Equal(WebhookOutcome.Refused, hook.Check(Request(at, ("Authorization", "tok-12345")), secret, new ReplayGuard()).Outcome);
            Assert.Equal(WebhookOutcome.Refused, hook.Check(Request(at, ("Authorization", "tok-1234567")), secret, new ReplayGuard()).Outcome);
        }

        [Fact]
        public void A_secret_with_non_ASCII_characters_matches_the_same_text_and_nothing_else()
        {
            var secret = new WebhookSecret(OtpCredential.ToSecure("clé-秘密-ü"));
            var hook = new OtpiqWebhook();
            var at = DateTimeOffset.UtcNow;
            Assert.Equal(WebhookOutcome.Authentic, hook.Check(Request(at, (OtpiqWebhook.SecretHeader, "clé-秘密-ü")), secret, new ReplayGuard()).Outcome);
            Assert.Equal(WebhookOutcome.Refused, hook.Check(Request(at, (OtpiqWebhook.SecretHeader, "cle-秘密-u")), secret, new ReplayGuard()).Outcome);
        }

        [Theory]
        [InlineData("")]
        [InlineData("line\rbreak")]
        public void An_empty_secret_or_one_no_header_can_carry_is_refused_before_listening(string value)
        {
            var error = Assert.Throws<OtpException>(() => new WebhookSecret(OtpCredential.ToSecure(value)));
            Assert.StartsWith("Webhook.Secret", error.ErrorId);
            Assert.Equal("WebhookSecret", error.ParameterName);
        }

        [Fact]
        public void A_nonce_accepted_by_one_listener_is_refused_by_the_next_one_that_reads_the_same_file()
        {
            var file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "otptools-nonces-" + Guid.NewGuid().ToString("N"), "nonces.txt");
            try
            {
                var hook = new EngageLabWebhook();
                var now = DateTimeOffset.UtcNow;
                var signed = ("X-CALLBACK-ID", SandboxWebhooks.EngageLabSignature("cb-user", "s3cret-callback", now.ToUnixTimeSeconds(), "nonce-restart"));
                var first = new ReplayGuard(file);
                var verdict = hook.Check(Request(now, signed), Pair, first);
                Assert.Equal("nonce-restart", verdict.ReplayKey);
                Assert.True(first.TryReserve(verdict.ReplayKey!));
                first.Commit(verdict.ReplayKey!, now);

                var afterRestart = new ReplayGuard(file, now.AddMinutes(1));
                var replayed = hook.Check(Request(now.AddMinutes(1), signed), Pair, afterRestart);
                Assert.Equal(WebhookOutcome.Refused, replayed.Outcome);
                Assert.Contains("replay", replayed.Reason);
                Assert.DoesNotContain("nonce-restart", System.IO.File.ReadAllText(file));

                // Past twice the signature window a nonce is forgotten (the signature itself is refused as stale by then).
                Assert.False(new ReplayGuard(file, now.AddMinutes(11)).Seen("nonce-restart"));
            }
            finally
            {
                System.IO.Directory.Delete(System.IO.Path.GetDirectoryName(file)!, true);
            }
        }

        [Fact]
        public void A_nonce_whose_request_was_not_acknowledged_can_be_sent_again()
        {
            var guard = new ReplayGuard();
            Assert.True(guard.TryReserve("n-1"));
            Assert.False(guard.TryReserve("n-1"));   // a concurrent copy of the same request
            guard.Release("n-1");                    // answered 503: the provider will send it again
            Assert.True(guard.TryReserve("n-1"));
            guard.Commit("n-1", DateTimeOffset.UtcNow);
            Assert.True(guard.Seen("n-1"));
            Assert.False(guard.TryReserve("n-1"));
        }
    }
}
