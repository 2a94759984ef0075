using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OtpTools.Sandbox;
using OtpTools.Sandbox.Providers.GetOtp;
using Xunit;

namespace OtpTools.Module.Tests
{
    [Collection(ModuleCollection.Name)]
    public sealed class GetOtpSenderTests
    {
        private const int Seeded = 2600;
        private readonly ModuleFixture _m;

        public GetOtpSenderTests(ModuleFixture fixture)
        {
            _m = fixture;
            _m.Sandbox.GetOtp.SeedSenders(Seeded);
        }

        private static Dictionary<string, object?> Vars(string key = SandboxKeys.GetOtp) =>
            new Dictionary<string, object?> { ["key"] = ModuleFixture.Secure(key) };

        private static IEnumerable<string> SeededIds(int from, int count) =>
            Enumerable.Range(from, count).Select(i => GetOtpSandbox.SeededSender(i).Id);

        private int Requests(Action run)
        {
            var before = _m.Sandbox.RequestCount("getotp");
            run();
            return _m.Sandbox.RequestCount("getotp") - before;
        }

        [Fact]
        public void Senders_stream_every_seeded_row_once_in_order_following_page_tokens_1000_at_a_time()
        {
            ScriptRun run = null!;
            var requests = Requests(() => run = _m.Run("Get-OtpSender -Provider GetOtp -ApiKey $key", Vars()));
            Assert.Empty(run.Errors);
            Assert.Null(run.Terminating);
            Assert.Equal(SeededIds(0, Seeded), run.Objects<OtpSender>().Select(s => s.Id));
            Assert.Equal(3, requests); // 1000 + 1000 + 600: the largest page size by default
        }

        [Fact]
        public void PageSize_sets_the_rows_per_request()
        {
            ScriptRun run = null!;
            var requests = Requests(() => run = _m.Run("Get-OtpSender -Provider GetOtp -PageSize 500 -ApiKey $key", Vars()));
            Assert.Equal(Seeded, run.Objects<OtpSender>().Count());
            Assert.Equal(6, requests);
        }

        [Fact]
        public void Rows_are_typed_with_invariant_decimals_utc_dates_and_joined_countries_under_any_culture()
        {
            // A comma-decimal culture: parsing "3.5" with it would give 35.
            var run = _m.Run("[cultureinfo]::CurrentCulture = 'de-DE'; Get-OtpSender -Provider GetOtp -First 4 -ApiKey $key", Vars());
            Assert.Empty(run.Errors);
            var rows = run.Objects<OtpSender>().ToList();
            var expected = GetOtpSandbox.SeededSender(1);
            var row = rows[1];
            Assert.Equal(expected.Id, row.Id);
            Assert.Equal(GetOtpSandbox.AccountId, row.AccountId);
            Assert.Equal(expected.Name, row.Name);
            Assert.Equal(expected.Code, row.Code);
            Assert.Equal(expected.Channel, row.Channel);
            Assert.Equal(expected.Type, row.Type);
            Assert.Equal(expected.Status, row.Status);
            Assert.Equal("de", row.Country);
            Assert.Equal(new[] { "de", "at" }, row.GetCountries());
            Assert.Equal("de;at", row.CountryList);
            Assert.Equal("de;at", row.CountryList);
            Assert.Equal("3.5", expected.MonthlyCost);
            Assert.Equal(3.5m, row.MonthlyCost);
            Assert.Equal(1m, row.SetupCost);
            Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 7, 0, TimeSpan.Zero), row.CreateDate);
            Assert.Equal(TimeSpan.Zero, row.CreateDate!.Value.Offset);
            Assert.Equal(new DateTimeOffset(expected.UpdateDate, TimeSpan.Zero), row.UpdateDate);
            Assert.Equal("GetOtp", row.Provider);
            Assert.Equal("fr;be;ch", rows[3].CountryList);
        }

        [Fact]
        public void First_and_Skip_return_exactly_the_window_across_a_page_boundary()
        {
            ScriptRun run = null!;
            var requests = Requests(() => run = _m.Run("Get-OtpSender -Provider GetOtp -Skip 995 -First 10 -ApiKey $key", Vars()));
            Assert.Equal(SeededIds(995, 10), run.Objects<OtpSender>().Select(s => s.Id));
            Assert.Equal(2, requests);
        }

        [Fact]
        public void Skip_alone_returns_the_tail()
        {
            var run = _m.Run("Get-OtpSender -Provider GetOtp -Skip 2590 -ApiKey $key", Vars());
            Assert.Equal(SeededIds(2590, 10), run.Objects<OtpSender>().Select(s => s.Id));
        }

        [Theory]
        [InlineData(3, 1)]
        [InlineData(1000, 1)]
        [InlineData(1500, 2)]
        public void First_stops_paging_as_soon_as_it_has_its_rows(int first, int expectedRequests)
        {
            ScriptRun run = null!;
            var requests = Requests(() => run = _m.Run($"Get-OtpSender -Provider GetOtp -First {first} -ApiKey $key", Vars()));
            Assert.Equal(SeededIds(0, first), run.Objects<OtpSender>().Select(s => s.Id));
            Assert.Equal(expectedRequests, requests);
        }

        [Fact]
        public void IncludeTotalCount_reports_the_providers_total_first()
        {
            var run = _m.Run("Get-OtpSender -Provider GetOtp -First 2 -IncludeTotalCount -ApiKey $key", Vars());
            Assert.Equal((ulong)Seeded, run.Output[0].BaseObject);
            Assert.Equal(2, run.Objects<OtpSender>().Count());
        }

        [Fact]
        public void Status_filters_rows_and_is_matched_case_insensitively()
        {
            var run = _m.Run("Get-OtpSender -Provider GetOtp -Status rejected -IncludeTotalCount -ApiKey $key", Vars());
            Assert.Empty(run.Errors);
            var rows = run.Objects<OtpSender>().ToList();
            var expected = _m.Sandbox.GetOtp.CountWith("Rejected");
            Assert.Equal((ulong)expected, run.Output[0].BaseObject);
            Assert.Equal(expected, rows.Count);
            Assert.All(rows, r => Assert.Equal("Rejected", r.Status));
            Assert.Equal(GetOtpSandbox.SeededSender(GetOtpSandbox.IndexOf("Rejected", 5)).Id, rows[5].Id);
        }

        [Fact]
        public void An_unknown_status_is_rejected_before_any_http_call_naming_the_value_and_the_allowed_ones()
        {
            ErrorRecord error = null!;
            var requests = Requests(() => error = _m.RunTerminating("Get-OtpSender -Provider GetOtp -Status Approved -ApiKey $key", Vars()));
            Assert.Equal(0, requests);
            Assert.Equal("Validation.InvalidStatus,OtpTools.GetOtpSenderCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Equal("Approved", error.TargetObject);
            Assert.Contains("'Approved'", error.ToString());
            Assert.Contains("Pending, Available, Rejected, Canceled", error.ToString());
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1001)]
        public void Page_size_outside_1_to_1000_is_rejected_before_any_http_call(int size)
        {
            ErrorRecord error = null!;
            var requests = Requests(() => error = _m.RunTerminating($"Get-OtpSender -Provider GetOtp -PageSize {size} -ApiKey $key", Vars()));
            Assert.Equal(0, requests);
            Assert.StartsWith("ParameterArgumentValidationError", error.FullyQualifiedErrorId);
        }

        [Fact]
        public void A_wrong_key_is_a_terminating_authentication_error_that_does_not_echo_the_key()
        {
            var error = _m.RunTerminating("Get-OtpSender -Provider GetOtp -ApiKey $key", Vars("not-the-key-5309"));
            Assert.Equal("GetOtp.Unauthorized,OtpTools.GetOtpSenderCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
            Assert.Contains("401", error.ToString());
            Assert.DoesNotContain("not-the-key-5309", error.ToString());
        }

        [Fact]
        public void A_gateway_error_on_a_later_page_without_retries_ends_the_stream_with_a_clear_error_after_the_rows_read()
        {
            _m.Sandbox.Faults.Inject("getotp", FaultKind.HtmlErrorPage, everyNth: 2, times: 1);
            try
            {
                var run = _m.Run("try { Get-OtpSender -Provider GetOtp -PageSize 1000 -MaxRetry 0 -ApiKey $key } catch { $_ }", Vars());
                Assert.Equal(SeededIds(0, 1000), run.Objects<OtpSender>().Select(s => s.Id));
                var error = Assert.IsType<ErrorRecord>(run.Output.Last().BaseObject);
                Assert.Equal("Http.ServerError,OtpTools.GetOtpSenderCommand", error.FullyQualifiedErrorId);
                Assert.Contains("502", error.ToString());
            }
            finally
            {
                _m.Sandbox.Faults.Clear();
            }
        }

        [Fact]
        public void A_gateway_error_on_a_later_page_is_retried_and_every_row_arrives_once()
        {
            _m.Sandbox.Faults.Inject("getotp", FaultKind.HtmlErrorPage, everyNth: 2, times: 1);
            try
            {
                var run = _m.Run("Get-OtpSender -Provider GetOtp -PageSize 1000 -ApiKey $key -Verbose", Vars());
                Assert.Empty(run.Errors);
                Assert.Equal(SeededIds(0, Seeded), run.Objects<OtpSender>().Select(s => s.Id));
                Assert.Contains(run.Verbose, v => v.Contains("Http.ServerError - retry 1 of 3"));
            }
            finally
            {
                _m.Sandbox.Faults.Clear();
            }
        }

        [Fact]
        public void A_key_from_the_environment_variable_is_used()
        {
            var run = _m.Run("$env:OTPTOOLS_GETOTP_APIKEY = $plain; try { Get-OtpSender -Provider GetOtp -First 1 } finally { $env:OTPTOOLS_GETOTP_APIKEY = $null }",
                new Dictionary<string, object?> { ["plain"] = SandboxKeys.GetOtp });
            Assert.Empty(run.Errors);
            Assert.Equal(SeededIds(0, 1), run.Objects<OtpSender>().Select(s => s.Id));
        }

        [Theory]
        [InlineData("Get-OtpSender -Provider GetOtp -Status ", new[] { "Available", "Canceled", "Pending", "Rejected" })]
        [InlineData("Get-OtpSender -Provider GetOtp -Status av", new[] { "Available" })]
        [InlineData("Get-OtpSender -Status Re", new[] { "Rejected" })]
        public void Status_tab_completes_the_documented_values(string input, string[] expected)
        {
            var run = _m.Run("(TabExpansion2 -inputScript $in -cursorColumn $in.Length).CompletionMatches | ForEach-Object CompletionText",
                new Dictionary<string, object?> { ["in"] = input });
            Assert.Empty(run.Errors);
            Assert.Equal(expected, run.Output.Select(o => (string)o.BaseObject));
        }

        [Fact]
        public void Get_OtpSender_with_a_provider_that_has_no_senders_names_the_supported_ones()
        {
            ErrorRecord error = null!;
            var requests = Requests(() => error = _m.RunTerminating("Get-OtpSender -Provider OtpBlue -ApiKey $key", Vars()));
            Assert.Equal(0, requests);
            Assert.Equal("Provider.NotSupportedByCmdlet,OtpTools.GetOtpSenderCommand", error.FullyQualifiedErrorId);
            Assert.Contains("Get-OtpSender is available for GetOtp, Otpiq providers; 'OtpBlue' is the OtpBlue provider type, which serves", error.ToString());
        }

        [Fact]
        public void Get_OtpHistory_with_GetOtp_names_the_supported_providers()
        {
            var error = _m.RunTerminating("Get-OtpHistory -Provider GetOtp -ApiKey $key", Vars());
            Assert.Equal("Provider.NotSupportedByCmdlet,OtpTools.GetOtpHistoryCommand", error.FullyQualifiedErrorId);
            Assert.Contains("Get-OtpHistory is available for OtpBlue providers; 'GetOtp' is the GetOtp provider type, which serves Confirm-OtpCode, Get-OtpSender, Send-OtpCode", error.ToString());
        }
    }
}
