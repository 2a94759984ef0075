using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using OtpTools.Engine.Http;
using OtpTools.Engine.Providers;
using OtpTools.Engine.Providers.OtpBlue;
using OtpTools.Engine.Sending;
using OtpTools.Sandbox;
using Xunit;

namespace OtpTools.Engine.Tests
{
    /// <summary>The sandbox answers exactly as the OTP Blue v1.1 document says, and the engine reads every answer.</summary>
    public sealed class OtpBlueSandboxTests : IClassFixture<SandboxFixture>
    {
        private readonly SandboxFixture _f;
        public OtpBlueSandboxTests(SandboxFixture fixture) => _f = fixture;

        private string SendUrl => _f.Sandbox.UriFor("otpblue") + OtpBlueClient.SendPath;

        private Task<(int Status, JsonElement Body)> PostRaw(string json, string? key = SandboxKeys.OtpBlue) =>
            _f.PostAsync("otpblue", OtpBlueClient.SendPath, json, key);

        public static IEnumerable<object?[]> RawFailures() => new[]
        {
            new object?[] { "{\"contact\":\"+61412345678\",\"code\":\"1\"}", null, 1110 },
            new object?[] { "{\"contact\":\"+61412345678\",\"code\":\"1\"}", "wrong-key", 1250 },
            new object?[] { "not json", SandboxKeys.OtpBlue, 100 },
            new object?[] { "{\"code\":\"1\"}", SandboxKeys.OtpBlue, 1205 },
            new object?[] { "{\"contact\":\"+61412345678\"}", SandboxKeys.OtpBlue, 1205 },
            new object?[] { "{\"contact\":\"+61412345678\",\"code\":\"  \"}", SandboxKeys.OtpBlue, 1210 },
            new object?[] { "{\"contact\":\"+61412345678\",\"code\":123}", SandboxKeys.OtpBlue, 1210 },
            new object?[] { "{\"contact\":\"+61412345678\",\"code\":\"12345678901\"}", SandboxKeys.OtpBlue, 1215 },
            new object?[] { "{\"contact\":\"+61412345678\",\"code\":\"1\",\"sender\":\"\"}", SandboxKeys.OtpBlue, 1220 },
            new object?[] { "{\"contact\":\"+61412345678\",\"code\":\"1\",\"sender\":\"ABCDEFGHIJKLMNOPQ\"}", SandboxKeys.OtpBlue, 1225 },
            new object?[] { "{\"contact\":\"+61412345678\",\"code\":\"1\",\"language\":\"eng\"}", SandboxKeys.OtpBlue, 1230 },
            new object?[] { "{\"contact\":\"+61412345678\",\"code\":\"1\",\"language\":\"ko\"}", SandboxKeys.OtpBlue, 1160 },
            new object?[] { "{\"contact\":\"call me\",\"code\":\"1\"}", SandboxKeys.OtpBlue, 1600 },
            new object?[] { "{\"contact\":\"+13231112233\",\"code\":\"1\"}", SandboxKeys.OtpBlue, 1800 },
            new object?[] { "{\"contact\":\"+8613800138000\",\"code\":\"1\"}", SandboxKeys.OtpBlue, 1155 },
            new object?[] { "{\"contact\":\"+5491123456789\",\"code\":\"1\"}", SandboxKeys.OtpBlue, 1155 },
            new object?[] { "{\"contact\":\"+442071234567\",\"code\":\"1\"}", SandboxKeys.OtpBlue, 1900 },
            // Stricter than a guess at the real API: a test double must catch what the document does not allow.
            new object?[] { "{\"contact\":\"+61412345678\",\"code\":\"1\",\"language\":\"EN\"}", SandboxKeys.OtpBlue, 1230 },
            new object?[] { "{\"contact\":\"+61 412 345 678\",\"code\":\"1\"}", SandboxKeys.OtpBlue, 1600 },
            new object?[] { "{\"contact\":\"61412345678\",\"code\":\"1\"}", SandboxKeys.OtpBlue, 1600 },
            new object?[] { "{\"contact\":\"+61412345678\",\"code\":\"1\",\"langauge\":\"en\"}", SandboxKeys.OtpBlue, 1205 },
        };

        [Fact]
        public async Task Sandbox_refuses_a_body_not_sent_as_application_json()
        {
            var (status, body) = await _f.PostAsync("otpblue", OtpBlueClient.SendPath, "{\"contact\":\"+61412345678\",\"code\":\"1\"}",
                SandboxKeys.OtpBlue, "text/plain");
            Assert.Equal(400, status);
            Assert.Equal(100, body.GetProperty("code").GetInt32());
            Assert.Contains("Content-Type", body.GetProperty("message").GetString());
        }

        [Theory]
        [MemberData(nameof(RawFailures))]
        public async Task Sandbox_rejects_what_the_document_rejects_with_its_code_as_a_400_failure_body(string json, string? key, int code)
        {
            var (status, body) = await PostRaw(json, key);
            Assert.Equal((int)HttpStatusCode.BadRequest, status);
            Assert.Equal(code, body.GetProperty("code").GetInt32());
            Assert.Equal("failed", body.GetProperty("status").GetString());
            Assert.False(body.GetProperty("success").GetBoolean());
            Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
        }

        [Fact]
        public void A_code_the_document_does_not_list_keeps_its_number_under_an_unknown_error_id()
        {
            var error = OtpBlueErrors.ToException(4242, "something new", 400);
            Assert.Equal("OtpBlue.UnknownError", error.ErrorId);
            Assert.Equal("4242", error.ProviderCode);
            Assert.Equal("OtpBlue", error.Provider);
            Assert.Contains("OTP Blue error 4242 (an error code the OTP Blue v1.1 document does not list): something new", error.Message);
        }

        [Fact]
        public async Task Sandbox_success_body_has_the_documented_fields()
        {
            var (status, body) = await PostRaw("{\"contact\":\"+61412345678\",\"code\":\"111-222\",\"sender\":\"ClientName\"}");
            Assert.Equal((int)HttpStatusCode.OK, status);
            Assert.Equal("Request has been accepted and sent", body.GetProperty("message").GetString());
            Assert.True(Guid.TryParse(body.GetProperty("message_id").GetString(), out _));
            Assert.Equal("+61412345678", body.GetProperty("recipient").GetString());
            Assert.Equal("delivered", body.GetProperty("status").GetString());
            Assert.True(body.GetProperty("success").GetBoolean());
        }

        [Fact]
        public async Task Sandbox_accepts_the_documented_get_form_with_apikey_in_the_query()
        {
            var url = SendUrl + "?apikey=" + SandboxKeys.OtpBlue + "&contact=61412345678&code=111222&sender=ClientName";
            using var response = await _f.Http.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("\"recipient\":\"+61412345678\"", await response.Content.ReadAsStringAsync());
        }

        [Fact]
        public void Error_table_has_a_distinct_error_id_for_each_of_the_18_documented_codes()
        {
            var documented = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "DocumentedFacts", "otpblue-error-codes.tsv"))
                .Where(line => line.Length > 0 && char.IsDigit(line[0]))
                .Select(line => int.Parse(line.Split('\t')[0])).ToList();
            Assert.Equal(18, documented.Count);
            Assert.Equal(documented.OrderBy(c => c), OtpBlueErrors.Table.Keys.OrderBy(c => c));
            Assert.Equal(OtpBlueErrors.Table.Count, OtpBlueErrors.Table.Values.Select(e => e.ErrorId).Distinct().Count());
            Assert.All(OtpBlueErrors.Table.Values, e => Assert.StartsWith("OtpBlue.", e.ErrorId));
        }

        /// <summary>
        /// Bodies the engine's own checks would stop, sent by the engine's client anyway (its Prepare is skipped), so
        /// that the client's reading of each failure answer is what is tested.
        /// </summary>
        public static IEnumerable<object?[]> ClientFailures() => new[]
        {
            new object?[] { "+61412345678", "1", null, null, "wrong-key", 1250 },
            new object?[] { "+61412345678", "  ", null, null, SandboxKeys.OtpBlue, 1210 },
            new object?[] { "+61412345678", "12345678901", null, null, SandboxKeys.OtpBlue, 1215 },
            new object?[] { "+61412345678", "1", "", null, SandboxKeys.OtpBlue, 1220 },
            new object?[] { "+61412345678", "1", "ABCDEFGHIJKLMNOPQ", null, SandboxKeys.OtpBlue, 1225 },
            new object?[] { "+61412345678", "1", null, "eng", SandboxKeys.OtpBlue, 1230 },
            new object?[] { "+61412345678", "1", null, "ko", SandboxKeys.OtpBlue, 1160 },
            new object?[] { "call me", "1", null, null, SandboxKeys.OtpBlue, 1600 },
            new object?[] { "+13231112233", "1", null, null, SandboxKeys.OtpBlue, 1800 },
            new object?[] { "+8613800138000", "1", null, null, SandboxKeys.OtpBlue, 1155 },
            new object?[] { "+442071234567", "1", null, null, SandboxKeys.OtpBlue, 1900 },
        };

        [Theory]
        [MemberData(nameof(ClientFailures))]
        public async Task Engine_client_turns_each_documented_failure_into_a_failed_receipt_with_its_error_id(
            string contact, string code, string? sender, string? language, string key, int expected)
        {
            var service = Service(out _, key);
            var request = new OtpSendRequest { Position = 3, To = contact, Code = code };
            var body = new OtpBlueSendBody { Contact = contact, Code = code, Sender = sender, Language = language };
            var outcome = await service.SendAsync(new OtpBlueClient.Prepared(request, body), CancellationToken.None);

            Assert.False(outcome.Result.Success);
            Assert.Equal("failed", outcome.Result.Status);
            Assert.Equal(3, outcome.Result.Position);
            Assert.Equal(expected.ToString(), outcome.Result.ErrorCode);
            Assert.Equal(OtpBlueErrors.Table[expected].ErrorId, outcome.Result.ErrorId);
            Assert.Equal(400, outcome.Error!.HttpStatus);
            Assert.False(outcome.Error.MayHaveBeenDelivered);
        }

        [Fact]
        public async Task Engine_send_to_a_scenario_recipient_returns_failed_outcome_with_the_providers_message()
        {
            var service = Service(out _);
            var prepared = service.Prepare(new OtpSendRequest { Position = 7, To = Sandbox.Providers.OtpBlue.OtpBlueScenarios.OptedOut, Code = "1" });
            var outcome = await service.SendAsync(prepared, CancellationToken.None);
            Assert.False(outcome.Result.Success);
            Assert.Equal(7, outcome.Result.Position);
            Assert.Equal("OtpBlue.RecipientOptedOut", outcome.Error!.ErrorId);
            Assert.Equal(400, outcome.Error.HttpStatus);
            Assert.False(outcome.Error.MayHaveBeenDelivered);
        }

        [Fact]
        public async Task Engine_maps_an_html_error_page_to_a_server_error_that_says_the_code_may_have_arrived()
        {
            _f.Sandbox.Faults.Inject("otpblue", FaultKind.HtmlErrorPage, times: 1);
            var service = Service(out _);
            var outcome = await service.SendAsync(service.Prepare(new OtpSendRequest { To = "+61412345678", Code = "1" }), CancellationToken.None);
            Assert.Equal("Http.ServerError", outcome.Error!.ErrorId);
            Assert.Equal(502, outcome.Error.HttpStatus);
            Assert.Equal("unknown", outcome.Result.Status);
            Assert.Equal(1, outcome.Result.Attempts);
        }

        [Fact]
        public async Task Engine_history_pager_reads_a_window_that_starts_mid_page()
        {
            _f.Sandbox.OtpBlue.SeedHistory(250, new DateTime(2024, 1, 1), new DateTime(2024, 1, 31));
            Service(out var client);
            var pager = client.History(new OtpHistoryQuery { From = new DateTime(2024, 1, 1), To = new DateTime(2024, 1, 31), PageSize = 100, Skip = 150, Limit = 70 });
            var rows = new List<OtpHistoryEntry>();
            for (var page = await pager.NextPageAsync(CancellationToken.None); page != null; page = await pager.NextPageAsync(CancellationToken.None))
                rows.AddRange(page);
            Assert.Equal(Enumerable.Range(150, 70).Select(i => _f.Sandbox.OtpBlue.SeededRow(i).Id), rows.Select(r => r.Id));
            Assert.Equal(250, pager.Total);
        }

        [Fact]
        public async Task Pages_read_into_reused_buffers_parse_only_their_own_bytes()
        {
            // Answers are read into buffers borrowed from a shared pool and given back once parsed, so a short page
            // after a long one lands in a buffer that still holds the long page's tail: it must parse as itself.
            _f.Sandbox.OtpBlue.SeedHistory(1000, new DateTime(2024, 2, 1), new DateTime(2024, 2, 28));
            Service(out var client);
            foreach (var (skip, size) in new[] { (0, 600), (0, 520), (0, 3), (999, 1), (500, 500) })
            {
                var pager = client.History(new OtpHistoryQuery { From = new DateTime(2024, 2, 1), To = new DateTime(2024, 2, 28), PageSize = size, Skip = skip, Limit = size });
                var page = await pager.NextPageAsync(CancellationToken.None);
                Assert.Equal(Enumerable.Range(skip, size).Select(i => _f.Sandbox.OtpBlue.SeededRow(i).Id), page!.Select(r => r.Id));
                Assert.Equal(1000, pager.Total);
            }
        }

        private OtpSendService Service(out OtpBlueClient client, string key = SandboxKeys.OtpBlue) => _f.OtpBlueService(out client, key);
    }
}
