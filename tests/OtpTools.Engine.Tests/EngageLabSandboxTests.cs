using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using OtpTools.Engine.Providers.EngageLab;
using OtpTools.Sandbox;
using OtpTools.Sandbox.Providers.EngageLab;
using Xunit;

namespace OtpTools.Engine.Tests
{
    /// <summary>The EngageLab emulator answers every documented error code with its documented HTTP status.</summary>
    public sealed class EngageLabSandboxTests : IClassFixture<SandboxFixture>
    {
        /// <summary>The document's error table: code and HTTP status.</summary>
        public static readonly IReadOnlyDictionary<int, int> Documented = new Dictionary<int, int>
        {
            [1000] = 500, [2001] = 401, [2002] = 401, [2004] = 403, [3001] = 400, [3002] = 400, [3003] = 400, [3004] = 400,
            [4001] = 400, [5001] = 400,
        };

        private static readonly string Auth = SandboxFixture.Basic(SandboxKeys.EngageLabDevKey, SandboxKeys.EngageLabDevSecret);
        private readonly SandboxFixture _f;
        public EngageLabSandboxTests(SandboxFixture fixture) => _f = fixture;

        private Task<(int Status, JsonElement Body)> Post(string body, string? auth = null) =>
            _f.PostAsync("engagelab", "/v1/messages", body, auth ?? Auth);

        private static string Body(string to, string template = EngageLabScenarios.SmsTemplate, string extra = "") =>
            $"{{\"to\":\"{to}\",\"template\":{{\"id\":\"{template}\"{extra}}}}}";

        private static void AssertError(int code, (int Status, JsonElement Body) answer)
        {
            Assert.Equal(Documented[code], answer.Status);
            Assert.Equal(code, answer.Body.GetProperty("code").GetInt32());
            Assert.False(string.IsNullOrEmpty(answer.Body.GetProperty("message").GetString()));
        }

        [Fact]
        public async Task Send_with_the_documents_example_body_answers_message_id_and_send_channel()
        {
            var (status, body) = await Post("{\"to\":\"+8618701235678\",\"template\":{\"id\":\"test-template-1\",\"language\":\"default\",\"params\":{\"key1\":\"value1\",\"key2\":\"value2\"}}}");
            Assert.Equal(200, status);
            Assert.Matches("^[0-9]+$", body.GetProperty("message_id").GetString());
            Assert.Equal("sms", body.GetProperty("send_channel").GetString());
            var delivery = _f.Sandbox.EngageLab.Deliveries.Last();
            Assert.Equal("value2", delivery.Params["key2"]);
        }

        [Theory]
        [InlineData(null, 2001)]
        [InlineData("Bearer x", 2001)]
        [InlineData("Basic !!!", 2001)]
        [InlineData("wrong-key:" + SandboxKeys.EngageLabDevSecret, 2001)]
        [InlineData(SandboxKeys.EngageLabDevKey + ":wrong-secret", 2001)]
        [InlineData(SandboxKeys.EngageLabDisabledDevKey + ":" + SandboxKeys.EngageLabDevSecret, 2002)]
        [InlineData(SandboxKeys.EngageLabNoPermissionDevKey + ":" + SandboxKeys.EngageLabDevSecret, 2004)]
        public async Task Send_without_an_enabled_permitted_key_pair_answers_the_documented_auth_code(string? pair, int code)
        {
            var auth = pair == null ? "" : pair.StartsWith("B") ? pair
                : SandboxFixture.Basic(pair.Split(':')[0], pair.Split(':')[1]);
            AssertError(code, await Post(Body("+13232109001"), auth));
        }

        [Theory]
        [InlineData("not json", 3001)]
        [InlineData("[1,2]", 3001)]
        [InlineData("{\"template\":{\"id\":\"test-template-1\"}}", 3002)]
        [InlineData("{\"to\":13232109002,\"template\":{\"id\":\"test-template-1\"}}", 3002)]
        [InlineData("{\"to\":\"+13232109002\"}", 3002)]
        [InlineData("{\"to\":\"+13232109002\",\"template\":\"test-template-1\"}", 3002)]
        [InlineData("{\"to\":\"+13232109002\",\"template\":{\"language\":\"en\"}}", 3002)]
        [InlineData("{\"to\":\"+13232109002\",\"template\":{\"id\":\"test-template-1\",\"params\":[\"a\"]}}", 3002)]
        [InlineData("{\"to\":\"+13232109002\",\"template\":{\"id\":\"test-template-1\",\"params\":{\"code\":123}}}", 3002)]
        [InlineData("{\"to\":\"13232109002\",\"template\":{\"id\":\"test-template-1\"}}", 3003)]
        [InlineData("{\"to\":\"+1 323 210 9002\",\"template\":{\"id\":\"test-template-1\"}}", 3003)]
        [InlineData("{\"to\":\"+13232109002\",\"template\":{\"id\":\"test-template-1\",\"lang\":\"en\"}}", 3002)]
        [InlineData("{\"to\":\"+1323\",\"template\":{\"id\":\"test-template-1\"}}", 3003)]
        [InlineData("{\"to\":\"someone@nowhere\",\"template\":{\"id\":\"otp-email\"}}", 3003)]
        [InlineData("{\"to\":\"+13232109002\",\"template\":{\"id\":\"test-template-1\",\"language\":\"fr\"}}", 3003)]
        [InlineData("{\"to\":\"someone@example.com\",\"template\":{\"id\":\"test-template-1\"}}", 3003)]
        [InlineData("{\"to\":\"+13232109002\",\"template\":{\"id\":\"otp-email\"}}", 3003)]
        [InlineData("{\"to\":\"+13232109002\",\"template\":{\"id\":\"no-such-template\"}}", 4001)]
        [InlineData("{\"to\":\"+13232101000\",\"template\":{\"id\":\"test-template-1\"}}", 1000)]
        [InlineData("{\"to\":\"+13232105001\",\"template\":{\"id\":\"test-template-1\"}}", 5001)]
        public async Task Send_that_breaks_a_documented_rule_answers_its_code_and_status(string raw, int code)
        {
            var delivered = _f.Sandbox.EngageLab.Deliveries.Count;
            AssertError(code, await Post(raw));
            Assert.Equal(delivered, _f.Sandbox.EngageLab.Deliveries.Count);
        }

        [Fact]
        public async Task Resend_of_same_template_to_same_target_within_validity_answers_3004_other_template_does_not()
        {
            Assert.Equal(200, (await Post(Body("+13232109003"))).Status);
            AssertError(3004, await Post(Body("+13232109003")));
            Assert.Equal(200, (await Post(Body("+13232109003", EngageLabScenarios.WhatsappTemplate))).Status);
            Assert.Equal(200, (await Post(Body("+13232109004"))).Status);
        }

        [Theory]
        [InlineData("+13232109005", EngageLabScenarios.WhatsappTemplate, "whatsapp")]
        [InlineData("+13232109005", EngageLabScenarios.VoiceTemplate, "voice")]
        [InlineData("otp-user@example.com", EngageLabScenarios.EmailTemplate, "email")]
        public async Task Send_answers_the_current_channel_of_the_template(string to, string template, string channel)
        {
            var (status, body) = await Post(Body(to, template));
            Assert.Equal(200, status);
            Assert.Equal(channel, body.GetProperty("send_channel").GetString());
        }

        [Fact]
        public void Error_table_has_every_documented_code_with_its_status_and_a_stable_error_id()
        {
            Assert.Equal(Documented.Keys.OrderBy(k => k), EngageLabErrors.Table.Keys.OrderBy(k => k));
            foreach (var (code, status) in Documented)
            {
                Assert.Equal(status, EngageLabErrors.Table[code].HttpStatus);
                Assert.Equal(status, EngageLabSandbox.StatusOf(code));
            }
            Assert.All(EngageLabErrors.Table.Values, e => Assert.StartsWith("EngageLab.", e.ErrorId));
            Assert.Equal("EngageLab.FrequencyLimit", EngageLabErrors.Table[3004].ErrorId);
            Assert.Equal(EngageLabErrors.Table.Count, EngageLabErrors.Table.Values.Select(e => e.ErrorId).Distinct().Count());
        }
    }
}
