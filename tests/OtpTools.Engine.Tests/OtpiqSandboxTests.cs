using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using OtpTools.Engine.Providers.Otpiq;
using OtpTools.Sandbox;
using OtpTools.Sandbox.Providers.Otpiq;
using Xunit;
using PhoneNumber = OtpTools.Engine.Validation.PhoneNumber;

namespace OtpTools.Engine.Tests
{
    /// <summary>The OTPIQ emulator answers exactly as documented, including for requests our client never sends.</summary>
    public sealed class OtpiqSandboxTests : IClassFixture<SandboxFixture>
    {
        private const string Bearer = "Bearer " + SandboxKeys.Otpiq;
        private readonly SandboxFixture _f;
        public OtpiqSandboxTests(SandboxFixture fixture) => _f = fixture;

        private Task<(int Status, JsonElement Body)> Post(string body, string? auth = Bearer) => _f.PostAsync("otpiq", "/api/sms", body, auth);

        private static string Body(string phone = "9647501234567", string code = "123456", string extra = "") =>
            $"{{\"phoneNumber\":\"{phone}\",\"smsType\":\"verification\",\"verificationCode\":\"{code}\"{extra}}}";

        [Fact]
        public void Scenario_and_example_numbers_are_what_libphonenumber_says()
        {
            Assert.Equal(OtpiqScenarios.Deliverable, PhoneNumber.Parse(OtpiqScenarios.Deliverable, "To", "OTPIQ").Digits);
            Assert.Equal(OtpiqScenarios.ServerError, PhoneNumber.Parse(OtpiqScenarios.ServerError, "To", "OTPIQ").Digits);
            // The document's own example has one digit too few for an Iraqi mobile number.
            Assert.Throws<OtpException>(() => PhoneNumber.Parse("964750123456", "To", "OTPIQ"));
        }

        [Fact]
        public async Task Send_with_valid_request_answers_the_documented_success_shape_and_charges_credit()
        {
            var before = _f.Sandbox.Otpiq.Credit;
            var (status, body) = await Post(Body("9647501234501"));
            Assert.Equal(200, status);
            Assert.Equal("SMS task created successfully", body.GetProperty("message").GetString());
            Assert.StartsWith("sms-", body.GetProperty("smsId").GetString());
            Assert.Equal(200m, body.GetProperty("cost").GetDecimal());
            Assert.Equal(before - 200m, body.GetProperty("remainingCredit").GetDecimal());
            Assert.True(body.GetProperty("canCover").GetBoolean());
            Assert.Equal("prepaid", body.GetProperty("paymentType").GetString());
        }

        [Theory]
        [InlineData(null, "missing")]
        [InlineData("Bearer wrong-key", "invalid")]
        [InlineData(SandboxKeys.Otpiq, "invalid")] // the key without the Bearer scheme
        public async Task Send_without_valid_bearer_key_answers_401_with_message(string? auth, string word)
        {
            var (status, body) = await Post(Body("9647501234502"), auth);
            Assert.Equal(401, status);
            Assert.Contains(word, body.GetProperty("message").GetString());
            Assert.False(body.TryGetProperty("error", out _));
        }

        [Theory]
        [InlineData("not json")]
        [InlineData("{\"smsType\":\"verification\",\"verificationCode\":\"1\"}")]
        [InlineData("{\"phoneNumber\":\"+9647501234503\",\"smsType\":\"verification\",\"verificationCode\":\"1\"}")]
        [InlineData("{\"phoneNumber\":\"964750123456\",\"smsType\":\"verification\",\"verificationCode\":\"1\"}")]
        [InlineData("{\"phoneNumber\":\"9647501234503\",\"smsType\":\"notification\",\"verificationCode\":\"1\"}")]
        [InlineData("{\"phoneNumber\":\"9647501234503\",\"verificationCode\":\"1\"}")]
        [InlineData("{\"phoneNumber\":\"9647501234503\",\"smsType\":\"verification\"}")]
        [InlineData("{\"phoneNumber\":\"9647501234503\",\"smsType\":\"verification\",\"verificationCode\":\"\"}")]
        [InlineData("{\"phoneNumber\":\"9647501234503\",\"smsType\":\"verification\",\"verificationCode\":\"123456789012345678901\"}")]
        [InlineData("{\"phoneNumber\":\"9647501234503\",\"smsType\":\"verification\",\"verificationCode\":123456}")]
        [InlineData("{\"phoneNumber\":\"9647501234503\",\"smsType\":\"verification\",\"verificationCode\":\"1\",\"senderId\":\"ABCDEFGHIJKL\"}")]
        [InlineData("{\"phoneNumber\":\"9647501234503\",\"smsType\":\"verification\",\"verificationCode\":\"1\",\"provider\":\"fax\"}")]
        [InlineData("{\"phoneNumber\":\"9647501234503\",\"smsType\":\"verification\",\"verificationCode\":\"1\",\"deliveryReport\":{\"webhookUrl\":\"http://example.com/hook\"}}")]
        [InlineData("{\"phoneNumber\":\"9647501234503\",\"smsType\":\"verification\",\"verificationCode\":\"1\",\"deliveryReport\":{\"deliveryReportType\":\"all\"}}")]
        [InlineData("{\"phoneNumber\":\"9647501234503\",\"smsType\":\"verification\",\"verificationCode\":\"1\",\"deliveryReport\":{\"webhookUrl\":\"https://example.com/hook\",\"deliveryReportType\":\"some\"}}")]
        [InlineData("{\"phoneNumber\":\"9647501234503\",\"smsType\":\"verification\",\"verificationCode\":\"1\",\"senderId\":\"NotApproved\"}")]
        [InlineData("{\"phoneNumber\":\"9647501234503\",\"smsType\":\"verification\",\"verificationCode\":\"1\",\"senderID\":\"Contoso\"}")]
        [InlineData("{\"phoneNumber\":\"9647501234503\",\"smsType\":\"verification\",\"verificationCode\":\"1\",\"deliveryReport\":{\"webhookUrl\":\"https://example.com/hook\",\"secret\":\"x\"}}")]
        public async Task Send_that_breaks_a_documented_rule_answers_400_with_error_and_delivers_nothing(string raw)
        {
            var delivered = _f.Sandbox.Otpiq.Deliveries.Count;
            var (status, body) = await Post(raw);
            Assert.Equal(400, status);
            Assert.False(string.IsNullOrEmpty(body.GetProperty("error").GetString()));
            Assert.Equal(delivered, _f.Sandbox.Otpiq.Deliveries.Count);
        }

        [Fact]
        public async Task Send_not_declared_as_application_json_answers_400()
        {
            var (status, body) = await _f.PostAsync("otpiq", "/api/sms", "{\"phoneNumber\":\"9647501234503\",\"smsType\":\"verification\",\"verificationCode\":\"1\"}",
                Bearer, "text/plain");
            Assert.Equal(400, status);
            Assert.Contains("Content-Type", body.GetProperty("error").GetString());
        }

        [Fact]
        public async Task Send_with_each_documented_channel_and_delivery_report_is_accepted()
        {
            foreach (var (channel, i) in OtpiqLimits.Channels.Select((c, i) => (c, i)))
            {
                var (status, _) = await Post(Body($"96475012346{i:D2}", extra:
                    $",\"provider\":\"{channel}\",\"senderId\":\"ABCDEFGHIJK\",\"deliveryReport\":{{\"webhookUrl\":\"https://example.com/h\",\"deliveryReportType\":\"final\",\"webhookSecret\":\"s\"}}"));
                Assert.Equal(200, status);
            }
        }

        [Fact]
        public async Task Send_to_server_error_scenario_answers_500_with_message()
        {
            var (status, body) = await Post(Body(OtpiqScenarios.ServerError));
            Assert.Equal(500, status);
            Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
        }

        [Fact]
        public async Task Eleventh_send_to_one_number_within_ten_minutes_answers_429_with_wait_and_window()
        {
            for (var i = 0; i < OtpiqSandbox.MaxRequests; i++)
                Assert.Equal(200, (await Post(Body("9647501234504"))).Status);
            var (status, body) = await Post(Body("9647501234504"));
            Assert.Equal(429, status);
            Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
            Assert.InRange(body.GetProperty("waitMinutes").GetInt32(), 1, 10);
            Assert.Equal(10, body.GetProperty("maxRequests").GetInt32());
            Assert.Equal(10, body.GetProperty("timeWindowMinutes").GetInt32());
            // Another number is not limited.
            Assert.Equal(200, (await Post(Body("9647501234505"))).Status);
        }

        [Fact]
        public async Task Send_when_credit_cannot_cover_the_cost_answers_400_insufficient_credit()
        {
            _f.Sandbox.Otpiq.Credit = 300m;
            try
            {
                Assert.Equal(100m, (await Post(Body("9647501234506"))).Body.GetProperty("remainingCredit").GetDecimal());
                var (status, body) = await Post(Body("9647501234507"));
                Assert.Equal(400, status);
                Assert.False(string.IsNullOrEmpty(body.GetProperty("error").GetString()));
                Assert.Equal(100m, body.GetProperty("yourCredit").GetDecimal());
                Assert.Equal(200m, body.GetProperty("requiredCredit").GetDecimal());
                Assert.False(body.GetProperty("canCover").GetBoolean());
            }
            finally
            {
                _f.Sandbox.Otpiq.Credit = OtpiqSandbox.DefaultCredit;
            }
        }

        [Fact]
        public void Error_table_has_one_row_per_documented_failure_with_its_status()
        {
            var expected = new[]
            {
                (OtpiqErrors.Validation, 400), (OtpiqErrors.InsufficientCredit, 400), (OtpiqErrors.Unauthorized, 401),
                (OtpiqErrors.RateLimited, 429), (OtpiqErrors.ServerError, 500), (OtpiqErrors.NotFound, 404),
            };
            Assert.Equal(expected.Select(e => e.Item1).OrderBy(k => k), OtpiqErrors.Table.Keys.OrderBy(k => k));
            foreach (var (kind, status) in expected) Assert.Equal(status, OtpiqErrors.Table[kind].HttpStatus);
            Assert.All(OtpiqErrors.Table.Values, e => Assert.StartsWith("Otpiq.", e.ErrorId));
            Assert.Equal(OtpiqErrors.Table.Count, OtpiqErrors.Table.Values.Select(e => e.ErrorId).Distinct().Count());
        }
    }
}
