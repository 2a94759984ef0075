using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using OtpTools.Engine;
using OtpTools.Engine.Credentials;
using OtpTools.Engine.Providers;
using OtpTools.Engine.Providers.GetOtp;
using OtpTools.Sandbox;
using OtpTools.Sandbox.Providers.GetOtp;
using Xunit;

namespace OtpTools.Engine.Tests
{
    /// <summary>One sandbox for the GetOTP engine tests, seeded once.</summary>
    public sealed class GetOtpSandboxFixture : IAsyncLifetime
    {
        public const int Seeded = 50;
        public SandboxServer Sandbox { get; private set; } = null!;
        public HttpClient Http { get; } = new HttpClient();
        /// <summary>For the engine's connections: the module's handlers over the same transport.</summary>
        public HttpClient Pipeline { get; } = OtpTools.Engine.Http.HttpPipeline.Client();

        public async Task InitializeAsync()
        {
            Sandbox = await SandboxServer.StartAsync();
            Sandbox.GetOtp.SeedSenders(Seeded);
        }

        public async Task DisposeAsync()
        {
            Http.Dispose();
            await Sandbox.DisposeAsync();
        }

        public string Url(string query = "") => Sandbox.UriFor("getotp") + GetOtpSandbox.DocumentedPath + query;

        public async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string url, string? key = SandboxKeys.GetOtp)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (key != null) request.Headers.Add("X-OTP-Key", key);
            using var response = await Http.SendAsync(request);
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return (response.StatusCode, document.RootElement.Clone());
        }

        /// <summary>POSTs raw JSON to /v1/verifications with the key, as any client would; the status and the parsed body.</summary>
        public async Task<(HttpStatusCode Status, JsonElement Body)> PostVerificationAsync(string json)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Sandbox.UriFor("getotp") + GetOtpSandbox.VerificationsPath)
            {
                Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-OTP-Key", SandboxKeys.GetOtp);
            using var response = await Http.SendAsync(request);
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return (response.StatusCode, document.RootElement.Clone());
        }

        public GetOtpClient Client(string key = SandboxKeys.GetOtp)
        {
            var type = new GetOtpProviderType();
            var provider = new ResolvedProvider(type.Name, type, new Uri(Sandbox.UriFor("getotp")));
            return new GetOtpClient(new OtpConnection(provider, OtpCredential.FromPlainText(key, "test"), Pipeline));
        }
    }

    public sealed class GetOtpSandboxTests : IClassFixture<GetOtpSandboxFixture>
    {
        private readonly GetOtpSandboxFixture _f;
        public GetOtpSandboxTests(GetOtpSandboxFixture fixture) => _f = fixture;

        private static JsonElement SingleError(JsonElement body) =>
            Assert.Single(body.GetProperty("errors").EnumerateArray());

        private static async Task<List<OtpSender>> ReadAll(IOtpPager<OtpSender> pager)
        {
            var all = new List<OtpSender>();
            IReadOnlyList<OtpSender>? page;
            while ((page = await pager.NextPageAsync(CancellationToken.None)) != null) all.AddRange(page);
            return all;
        }

        [Theory]
        [InlineData(null, "User Not Authorized: send the key")]
        [InlineData("wrong-key", "User Not Authorized")]
        public async Task Sandbox_answers_a_missing_or_wrong_key_with_401_in_the_documented_error_shape(string? key, string message)
        {
            var (status, body) = await _f.GetAsync(_f.Url(), key);
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            var error = SingleError(body);
            Assert.Equal(401, error.GetProperty("status").GetInt32());
            Assert.Equal("/v1/senders", error.GetProperty("path").GetString());
            Assert.Equal("GET", error.GetProperty("method").GetString());
            Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", error.GetProperty("timestamp").GetString());
            Assert.StartsWith(message, error.GetProperty("message").GetString());
        }

        [Theory]
        [InlineData("Approved")]
        [InlineData("available")] // the documented casing only: the sandbox is never more lenient than the docs
        public async Task Sandbox_answers_an_unknown_status_with_400_and_code_1439(string status)
        {
            var (code, body) = await _f.GetAsync(_f.Url("?filter[status]=" + status));
            Assert.Equal(HttpStatusCode.BadRequest, code);
            var error = SingleError(body);
            Assert.Equal("1439", error.GetProperty("code").GetString());
            Assert.Equal("Invalid status", error.GetProperty("message").GetString());
            Assert.Equal(400, error.GetProperty("status").GetInt32());
        }

        [Theory]
        [InlineData("0")]
        [InlineData("1001")]
        [InlineData("ten")]
        public async Task Sandbox_rejects_a_page_size_outside_1_to_1000(string size)
        {
            var (code, body) = await _f.GetAsync(_f.Url("?page_size=" + size));
            Assert.Equal(HttpStatusCode.BadRequest, code);
            Assert.Equal(400, SingleError(body).GetProperty("status").GetInt32());
        }

        [Fact]
        public async Task Sandbox_defaults_to_10_senders_a_page_with_documented_pagination_and_fields()
        {
            var (code, body) = await _f.GetAsync(_f.Url());
            Assert.Equal(HttpStatusCode.OK, code);
            Assert.Equal(10, body.GetProperty("data").GetArrayLength());
            var pagination = body.GetProperty("pagination");
            Assert.Equal(1, pagination.GetProperty("number").GetInt32());
            Assert.Equal(10, pagination.GetProperty("size").GetInt32());
            Assert.Equal(GetOtpSandboxFixture.Seeded, pagination.GetProperty("total").GetInt32());
            var links = pagination.GetProperty("links");
            Assert.Equal(JsonValueKind.Null, links.GetProperty("previous").ValueKind);
            Assert.Contains("page_token=", links.GetProperty("next").GetString());
            Assert.Contains("page_size=10", links.GetProperty("first").GetString());
            Assert.Contains("page_size=10", links.GetProperty("current").GetString());

            var sender = body.GetProperty("data")[1];
            foreach (var field in new[] { "id", "account_id", "name", "code", "channel", "type", "status", "country", "monthly_cost", "setup_cost", "create_date", "update_date" })
                Assert.Equal(JsonValueKind.String, sender.GetProperty(field).ValueKind);
            Assert.Equal(new[] { "de", "at" }, sender.GetProperty("countries").EnumerateArray().Select(c => c.GetString()));
            Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", sender.GetProperty("create_date").GetString());
        }

        [Fact]
        public async Task Sandbox_next_links_walk_every_sender_once_and_the_last_page_has_no_next()
        {
            var ids = new List<string>();
            string? next = _f.Url("?page_size=20");
            var pages = 0;
            while (next != null)
            {
                var (code, body) = await _f.GetAsync(next);
                Assert.Equal(HttpStatusCode.OK, code);
                pages++;
                ids.AddRange(body.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("id").GetString()!));
                Assert.Equal(pages, body.GetProperty("pagination").GetProperty("number").GetInt32());
                var link = body.GetProperty("pagination").GetProperty("links").GetProperty("next");
                next = link.ValueKind == JsonValueKind.Null ? null : link.GetString();
            }
            Assert.Equal(3, pages);
            Assert.Equal(Enumerable.Range(0, GetOtpSandboxFixture.Seeded).Select(i => GetOtpSandbox.SeededSender(i).Id), ids);
        }

        [Fact]
        public async Task Sandbox_rejects_a_forged_page_token_and_one_from_another_filter()
        {
            var (forgedCode, _) = await _f.GetAsync(_f.Url("?page_token=MTB8"));
            Assert.Equal(HttpStatusCode.BadRequest, forgedCode);

            var (_, first) = await _f.GetAsync(_f.Url("?page_size=5&filter[status]=Available"));
            var next = first.GetProperty("pagination").GetProperty("links").GetProperty("next").GetString()!;
            var (otherFilter, _) = await _f.GetAsync(next.Replace("filter[status]=Available", "filter[status]=Pending"));
            Assert.Equal(HttpStatusCode.BadRequest, otherFilter);
        }

        [Fact]
        public async Task Sandbox_status_filter_returns_only_that_status_with_its_own_total()
        {
            var (_, body) = await _f.GetAsync(_f.Url("?page_size=1000&filter[status]=Rejected"));
            var statuses = body.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("status").GetString()).ToList();
            Assert.NotEmpty(statuses);
            Assert.All(statuses, s => Assert.Equal("Rejected", s));
            Assert.Equal(statuses.Count, body.GetProperty("pagination").GetProperty("total").GetInt32());
            Assert.True(statuses.Count < GetOtpSandboxFixture.Seeded / 2);
        }

        [Fact]
        public async Task Sandbox_serves_a_million_seeded_senders_without_holding_them()
        {
            await using var big = await SandboxServer.StartAsync();
            big.GetOtp.SeedSenders(1_000_000);
            using var request = new HttpRequestMessage(HttpMethod.Get, big.UriFor("getotp") + "/v1/senders?page_size=1000&filter[status]=Canceled");
            request.Headers.Add("X-OTP-Key", SandboxKeys.GetOtp);
            using var response = await _f.Http.SendAsync(request);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(1_000_000 / 6, body.RootElement.GetProperty("pagination").GetProperty("total").GetInt64());
            Assert.Equal(1000, body.RootElement.GetProperty("data").GetArrayLength());
        }

        [Fact]
        public async Task Pager_follows_page_tokens_through_every_sender_in_order()
        {
            var before = _f.Sandbox.RequestCount("getotp");
            var pager = _f.Client().Senders(new OtpSenderQuery { PageSize = 7 });
            var all = await ReadAll(pager);
            Assert.Equal(Enumerable.Range(0, GetOtpSandboxFixture.Seeded).Select(i => GetOtpSandbox.SeededSender(i).Id), all.Select(s => s.Id));
            Assert.Equal(8, _f.Sandbox.RequestCount("getotp") - before); // ceil(50 / 7)
            Assert.Equal(GetOtpSandboxFixture.Seeded, pager.Total);
        }

        [Fact]
        public async Task Pager_skips_client_side_and_stops_once_the_window_is_full()
        {
            var before = _f.Sandbox.RequestCount("getotp");
            var all = await ReadAll(_f.Client().Senders(new OtpSenderQuery { PageSize = 10, Skip = 25, Limit = 10 }));
            Assert.Equal(Enumerable.Range(25, 10).Select(i => GetOtpSandbox.SeededSender(i).Id), all.Select(s => s.Id));
            Assert.Equal(4, _f.Sandbox.RequestCount("getotp") - before); // pages 1-4 hold rows 0..39
        }

        [Fact]
        public async Task Pager_sends_the_status_in_documented_casing_and_maps_rows()
        {
            var all = await ReadAll(_f.Client().Senders(new OtpSenderQuery { Status = "pENDING", PageSize = 1000 }));
            Assert.Equal(_f.Sandbox.GetOtp.CountWith("Pending"), all.Count);
            Assert.All(all, s => Assert.Equal("Pending", s.Status));
            var expected = GetOtpSandbox.SeededSender(1);
            var row = all[0];
            Assert.Equal(expected.Id, row.Id);
            Assert.Equal(GetOtpSandbox.AccountId, row.AccountId);
            Assert.Equal(decimal.Parse(expected.MonthlyCost, System.Globalization.CultureInfo.InvariantCulture), row.MonthlyCost);
            Assert.Equal(new DateTimeOffset(expected.CreateDate, TimeSpan.Zero), row.CreateDate);
            Assert.Equal("de;at", row.CountryList);
            Assert.Equal("GetOtp", row.Provider);
        }

        [Fact]
        public void Pager_rejects_an_unknown_status_before_any_http_call()
        {
            var before = _f.Sandbox.RequestCount("getotp");
            var error = Assert.Throws<OtpException>(() => _f.Client().Senders(new OtpSenderQuery { Status = "Approved" }));
            Assert.Equal("Validation.InvalidStatus", error.ErrorId);
            Assert.Equal("Approved", error.TargetValue);
            Assert.Equal(before, _f.Sandbox.RequestCount("getotp"));
        }

        [Fact]
        public async Task A_wrong_key_is_an_authentication_error()
        {
            var pager = _f.Client("wrong-key").Senders(new OtpSenderQuery());
            var error = await Assert.ThrowsAsync<OtpException>(() => pager.NextPageAsync(CancellationToken.None));
            Assert.Equal("GetOtp.Unauthorized", error.ErrorId);
            Assert.Equal(OtpErrorCategory.AuthenticationError, error.Category);
            Assert.Equal(401, error.HttpStatus);
        }

        [Fact]
        public void Error_code_1439_maps_to_InvalidStatus_and_other_codes_keep_code_and_message()
        {
            static GetOtpError Entry(string code, string message) =>
                new GetOtpError { Code = JsonDocument.Parse("\"" + code + "\"").RootElement.Clone(), Message = message };
            var invalid = GetOtpErrors.ToException(new[] { Entry("1439", "Invalid status") }, 400, isSend: false);
            Assert.Equal("GetOtp.InvalidStatus", invalid.ErrorId);
            Assert.Equal(OtpErrorCategory.InvalidArgument, invalid.Category);

            var other = GetOtpErrors.ToException(new[] { Entry("1500", "Something else") }, 400, isSend: false);
            Assert.Equal("GetOtp.Error", other.ErrorId);
            Assert.Equal("1500", other.ProviderCode);
            Assert.Equal("Something else", other.ProviderMessage);
            Assert.Contains("1500", other.Message);
        }

        [Theory]
        [InlineData("https://api.otp.dev/v1/senders?page_size=10&page_token=abc%2Bd", "abc+d")]
        [InlineData("/v1/senders?page_token=xyz&page_size=10", "xyz")]
        [InlineData("opaque-token", "opaque-token")]
        [InlineData(null, null)]
        [InlineData("", null)]
        public void Next_link_yields_its_page_token(string? next, string? token) =>
            Assert.Equal(token, GetOtpClient.TokenFromNextLink(next));

        [Fact]
        public void A_next_link_without_a_page_token_is_an_unexpected_answer_not_an_endless_loop() =>
            Assert.Equal("GetOtp.UnexpectedNextLink",
                Assert.Throws<OtpException>(() => GetOtpClient.TokenFromNextLink("https://api.otp.dev/v1/senders?page_size=10")).ErrorId);
    }
}
