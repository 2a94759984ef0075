using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OtpTools.Sandbox;
using Xunit;

namespace OtpTools.Module.Tests
{
    [Collection(ModuleCollection.Name)]
    public sealed class OtpBlueReadTests
    {
        // A date window of its own, far from the rows other tests send today.
        private static readonly DateTime SeedFrom = new DateTime(2025, 11, 1);
        private static readonly DateTime SeedTo = new DateTime(2025, 11, 30);
        private const int Seeded = 2600;
        private readonly ModuleFixture _m;

        public OtpBlueReadTests(ModuleFixture fixture)
        {
            _m = fixture;
            _m.Sandbox.OtpBlue.SeedHistory(Seeded, SeedFrom, SeedTo);
        }

        private static Dictionary<string, object?> Vars() => ModuleFixture.OtpBlueKey();

        [Fact]
        public void History_streams_every_seeded_row_page_after_page_as_typed_entries()
        {
            var before = _m.Sandbox.RequestCount("otpblue");
            var run = _m.Run("Get-OtpHistory -Provider OtpBlue -From 2025-11-01 -To 2025-11-30 -PageSize 1000 -ApiKey $key", Vars());
            Assert.Empty(run.Errors);
            var rows = run.Objects<OtpHistoryEntry>().ToList();
            Assert.Equal(Seeded, rows.Count);
            Assert.Equal(Seeded, rows.Select(r => r.Id).Distinct().Count());
            Assert.Equal(3, _m.Sandbox.RequestCount("otpblue") - before);
            var expected = _m.Sandbox.OtpBlue.SeededRow(1234);
            var row = rows[1234];
            Assert.Equal(expected.Id, row.Id);
            Assert.Equal(expected.Contact, row.Contact);
            Assert.Equal(new DateTimeOffset(expected.CreateDate, TimeSpan.Zero), row.CreateDate);
            Assert.Equal(TimeSpan.Zero, row.CreateDate.Offset);
            Assert.Equal(expected.ErrorCode, row.ErrorCode);
            Assert.Equal("OtpBlue", row.Provider);
        }

        [Fact]
        public void First_and_Skip_return_exactly_the_window_across_a_page_boundary()
        {
            var run = _m.Run("Get-OtpHistory -Provider OtpBlue -From 2025-11-01 -To 2025-11-30 -PageSize 1000 -Skip 995 -First 10 -ApiKey $key", Vars());
            Assert.Empty(run.Errors);
            var ids = run.Objects<OtpHistoryEntry>().Select(r => r.Id).ToList();
            Assert.Equal(Enumerable.Range(995, 10).Select(i => _m.Sandbox.OtpBlue.SeededRow(i).Id), ids);
        }

        [Fact]
        public void Skip_past_the_last_page_boundary_returns_the_tail()
        {
            var run = _m.Run("Get-OtpHistory -Provider OtpBlue -From 2025-11-01 -To 2025-11-30 -Skip 2590 -ApiKey $key", Vars());
            Assert.Equal(Enumerable.Range(2590, 10).Select(i => _m.Sandbox.OtpBlue.SeededRow(i).Id),
                run.Objects<OtpHistoryEntry>().Select(r => r.Id));
        }

        [Fact]
        public void First_stops_paging_early_with_a_single_small_request()
        {
            var before = _m.Sandbox.RequestCount("otpblue");
            var run = _m.Run("Get-OtpHistory -Provider OtpBlue -From 2025-11-01 -To 2025-11-30 -First 3 -ApiKey $key", Vars());
            Assert.Equal(3, run.Objects<OtpHistoryEntry>().Count());
            Assert.Equal(1, _m.Sandbox.RequestCount("otpblue") - before);
        }

        [Fact]
        public void The_next_page_is_on_its_way_while_the_next_command_works_on_this_one()
        {
            // The first row of page 2 waits (up to 10 s) for the sandbox to hear page 3's request: a listing that asked
            // for a page only after the last one was written would leave it waiting, and the answer would be 2.
            var vars = Vars();
            vars["sandbox"] = _m.Sandbox;
            vars["before"] = _m.Sandbox.RequestCount("otpblue");
            var run = _m.Run(@"
                Get-OtpHistory -Provider OtpBlue -From 2025-11-01 -To 2025-11-30 -PageSize 1000 -ApiKey $key |
                    ForEach-Object -Begin { $row = 0 } -Process {
                        if ($row++ -eq 1000) {
                            $deadline = [datetime]::UtcNow.AddSeconds(10)
                            while ($sandbox.RequestCount('otpblue') - $before -lt 3 -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
                            $sandbox.RequestCount('otpblue') - $before
                        }
                    } -End { $row }", vars);
            Assert.Empty(run.Errors);
            Assert.Equal(new object[] { 3, Seeded }, run.Output.Select(o => o.BaseObject));
            // Still three requests in all: reading ahead stops at the last page the provider announced.
            Assert.Equal(3, _m.Sandbox.RequestCount("otpblue") - (int)vars["before"]!);
        }

        [Fact]
        public void A_downstream_Select_Object_First_ends_the_listing_quietly_and_the_page_read_ahead_is_the_last_asked_for()
        {
            _m.Sandbox.Faults.SetLatency("otpblue", TimeSpan.FromMilliseconds(100));
            try
            {
                var before = _m.Sandbox.RequestCount("otpblue");
                var run = _m.Run("Get-OtpHistory -Provider OtpBlue -From 2025-11-01 -To 2025-11-30 -PageSize 100 -ApiKey $key | Select-Object -First 105", Vars());
                Assert.Empty(run.Errors);
                Assert.Equal(Enumerable.Range(0, 105).Select(i => _m.Sandbox.OtpBlue.SeededRow(i).Id), run.Objects<OtpHistoryEntry>().Select(r => r.Id));
                // Page 3 may have been asked for while page 2 was written; nothing after it.
                System.Threading.Thread.Sleep(400);
                Assert.InRange(_m.Sandbox.RequestCount("otpblue") - before, 2, 3);
            }
            finally
            {
                _m.Sandbox.Faults.Clear();
            }
        }

        [Fact]
        public void Ctrl_C_stops_a_long_listing_at_once_and_nothing_goes_on_reading_in_the_background()
        {
            // Pages take 300 ms, then, a second in, a minute: Ctrl+C (Stop) lands while a page is being read or read
            // ahead, and only a call that is really cancelled ends at once.
            _m.Sandbox.Faults.SetLatency("otpblue", TimeSpan.FromMilliseconds(300));
            try
            {
                var before = _m.Sandbox.RequestCount("otpblue");
                var clock = System.Diagnostics.Stopwatch.StartNew();
                TimeSpan stoppedAt = default;
                var run = _m.Run("Get-OtpHistory -Provider OtpBlue -From 2025-11-01 -To 2025-11-30 -PageSize 100 -ApiKey $key", Vars(),
                    whileRunning: ps =>
                    {
                        // Events, not times: page 1 is written once page 2 is asked for; then every answer takes a minute,
                        // and Stop lands once such a request is on its way.
                        System.Threading.SpinWait.SpinUntil(() => _m.Sandbox.RequestCount("otpblue") - before >= 2, TimeSpan.FromSeconds(90));
                        _m.Sandbox.Faults.SetLatency("otpblue", TimeSpan.FromMinutes(1));
                        var slowFrom = _m.Sandbox.RequestCount("otpblue");
                        System.Threading.SpinWait.SpinUntil(() => _m.Sandbox.RequestCount("otpblue") > slowFrom, TimeSpan.FromSeconds(90));
                        stoppedAt = clock.Elapsed;
                        ps.Stop();
                    });
                var ended = clock.Elapsed - stoppedAt;
                Assert.IsType<PipelineStoppedException>(run.Terminating);
                // Far below the minute a request now takes: the call in flight was cancelled, not waited for.
                Assert.True(ended < TimeSpan.FromSeconds(30), $"the listing took {ended} to stop");
                var rows = run.Objects<OtpHistoryEntry>().Count();
                Assert.InRange(rows, 100, 2500);
                Assert.Equal(0, rows % 100);   // whole pages: a page is written or not
                var requests = _m.Sandbox.RequestCount("otpblue") - before;
                System.Threading.Thread.Sleep(800);
                Assert.Equal(requests, _m.Sandbox.RequestCount("otpblue") - before);
            }
            finally
            {
                _m.Sandbox.Faults.Clear();
            }
        }

        [Fact]
        public void A_read_ahead_that_fails_after_the_consumer_stopped_is_nobodys_error_but_a_failing_page_still_wanted_is()
        {
            // Armed while page 1 is written (page 2 is asked for only after it): page 2's request passes, the next one
            // (page 3, read ahead while page 2 is written) fails with a 500, and no retries are allowed.
            const string Listing = "Get-OtpHistory -Provider OtpBlue -From 2025-11-01 -To 2025-11-30 -PageSize 100 -MaxRetry 0 -ApiKey $key | " +
                                   "ForEach-Object -Begin { $row = 0 } -Process { if ($row++ -eq 50) { $sandbox.Faults.Inject('otpblue', 'ServerError', 2, 1) }; $_ }";
            var vars = Vars();
            vars["sandbox"] = _m.Sandbox;
            try
            {
                var stopped = _m.Run(Listing + " | Select-Object -First 103", vars);
                Assert.Empty(stopped.Errors);
                Assert.Null(stopped.Terminating);
                Assert.Equal(103, stopped.Objects<OtpHistoryEntry>().Count());

                var wanted = _m.Run("$rows = [System.Collections.Generic.List[object]]::new()\n" +
                    "try { " + Listing + " | ForEach-Object { $rows.Add($_) } }\ncatch { $_.FullyQualifiedErrorId }\n$rows.Count", vars);
                Assert.StartsWith("Http.ServerError,", (string)wanted.Output[0].BaseObject);
                Assert.Equal(200, wanted.Output[1].BaseObject);
            }
            finally
            {
                _m.Sandbox.Faults.Clear();
            }
        }

        [Fact]
        public void IncludeTotalCount_reports_the_providers_count_first()
        {
            var run = _m.Run("Get-OtpHistory -Provider OtpBlue -From 2025-11-01 -To 2025-11-30 -First 2 -IncludeTotalCount -ApiKey $key", Vars());
            Assert.Equal((ulong)Seeded, run.Output[0].BaseObject);
            Assert.Equal(2, run.Objects<OtpHistoryEntry>().Count());
        }

        [Fact]
        public void A_date_window_returns_only_its_days()
        {
            var run = _m.Run("Get-OtpHistory -Provider OtpBlue -From 2025-11-10 -To 2025-11-10 -ApiKey $key", Vars());
            var rows = run.Objects<OtpHistoryEntry>().ToList();
            Assert.NotEmpty(rows);
            Assert.True(rows.Count < Seeded / 20);
            Assert.All(rows, r => Assert.Equal(new DateTime(2025, 11, 10), r.CreateDate.UtcDateTime.Date));
        }

        [Fact]
        public void Recipient_filters_history_by_number_in_any_spacing_and_binds_from_csv_rows_like_Send_OtpCode_To()
        {
            var a = "+6141390" + new Random().Next(1000, 9999);
            var b = "+6141391" + new Random().Next(1000, 9999);
            var run = _m.Run(@"
                $null = $a, $b, $b | Send-OtpCode -Provider OtpBlue -Code 9191 -ApiKey $key
                $today = [datetime]::UtcNow.Date
                Get-OtpHistory -Provider OtpBlue -StartDate $today -EndDate $today -ApiKey $key -Recipient ($a.Substring(0, 3) + ' ' + $a.Substring(3)) | ForEach-Object { 'a:' + $_.Contact }
                [pscustomobject]@{ Phone = $b } | Get-OtpHistory -Provider OtpBlue -From $today -To $today -ApiKey $key | ForEach-Object { 'b:' + $_.Contact }
                [pscustomobject]@{ Phone = $b } | Get-OtpHistory -Provider OtpBlue -From $today -ApiKey $key -First 1 | ForEach-Object { 'first:' + $_.Contact }",
                new Dictionary<string, object?> { ["key"] = ModuleFixture.Secure(SandboxKeys.OtpBlue), ["a"] = a, ["b"] = b });
            Assert.Empty(run.Errors);
            var lines = run.Output.Select(o => (string)o.BaseObject).ToList();
            Assert.Equal(new[] { "a:" + a, "b:" + b, "b:" + b, "first:" + b }, lines);
        }

        [Fact]
        public void Sent_codes_appear_in_history_with_their_status_and_error_code()
        {
            var run = _m.Run(@"
                $null = Send-OtpCode -Provider OtpBlue -To $noImessage -Code 4242 -ApiKey $key -ErrorAction SilentlyContinue
                $today = [datetime]::UtcNow.Date
                Get-OtpHistory -Provider OtpBlue -From $today -To $today -ApiKey $key | Where-Object Contact -eq $noImessage",
                new Dictionary<string, object?> { ["key"] = ModuleFixture.Secure(SandboxKeys.OtpBlue), ["noImessage"] = Sandbox.Providers.OtpBlue.OtpBlueScenarios.NoIMessage });
            var row = run.Objects<OtpHistoryEntry>().Last();
            Assert.Equal("failed", row.Status);
            Assert.Equal(150, row.ErrorCode);
        }

        [Fact]
        public void Reversed_dates_are_rejected_before_any_http_call()
        {
            var before = _m.Sandbox.RequestCount("otpblue");
            var error = _m.RunTerminating("Get-OtpHistory -Provider OtpBlue -From 2025-12-01 -To 2025-11-01 -ApiKey $key", Vars());
            Assert.Equal(before, _m.Sandbox.RequestCount("otpblue"));
            
            Assert.Equal("Validation.DateRangeReversed,OtpTools.GetOtpHistoryCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Contains("2025-12-01", error.ToString());
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1001)]
        public void Page_size_outside_1_to_1000_is_rejected_before_any_http_call(int size)
        {
            var before = _m.Sandbox.RequestCount("otpblue");
            var error = _m.RunTerminating($"Get-OtpHistory -Provider OtpBlue -PageSize {size} -ApiKey $key", Vars());
            Assert.Equal(before, _m.Sandbox.RequestCount("otpblue"));
            
            Assert.StartsWith("ParameterArgumentValidationError", error.FullyQualifiedErrorId);
            Assert.Contains(size.ToString(), error.ToString());
        }

        [Fact]
        public void Regions_are_typed_objects_with_name_and_iso_code()
        {
            var run = _m.Run("Get-OtpRegion -Provider OtpBlue -ApiKey $key", Vars());
            Assert.Empty(run.Errors);
            var regions = run.Objects<OtpRegion>().ToList();
            Assert.Contains(regions, r => r.Code == "US" && r.Name == "United States of America");
            Assert.Contains(regions, r => r.Code == "NZ");
            Assert.DoesNotContain(regions, r => r.Code == "CN" || r.Code == "AR");
            Assert.All(regions, r => Assert.Matches("^[A-Z]{2}$", r.Code));
        }

        [Theory]
        [InlineData("-Code NZ", new[] { "NZ" })]
        [InlineData("-Code nz", new[] { "NZ" })]
        [InlineData("n*", new[] { "NG", "NL", "NO", "NP", "NZ" })]
        [InlineData("-Code US, 'g?'", new[] { "GB", "GE", "GH", "GI", "GN", "US" })]
        [InlineData("-Code 'x*'", new string[0])]
        public void Region_code_filters_the_providers_answer_by_wildcard_ignoring_case(string arguments, string[] codes)
        {
            var before = _m.Sandbox.RequestCount("otpblue");
            var run = _m.Run("Get-OtpRegion -Provider OtpBlue -ApiKey $key " + arguments, Vars());
            Assert.Empty(run.Errors);
            Assert.Equal(codes, run.Objects<OtpRegion>().Select(r => r.Code).OrderBy(c => c, System.StringComparer.Ordinal));
            // One call to the regions API: the filter is applied to its answer.
            Assert.Equal(before + 1, _m.Sandbox.RequestCount("otpblue"));
        }

        [Fact]
        public void Regions_with_a_wrong_key_is_a_terminating_authentication_error()
        {
            var error = _m.RunTerminating("Get-OtpRegion -Provider OtpBlue -ApiKey $key",
                new Dictionary<string, object?> { ["key"] = ModuleFixture.Secure("wrong") });
            Assert.Equal("OtpBlue.InvalidApiKey,OtpTools.GetOtpRegionCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        }

        [Fact]
        public void A_listing_with_a_wrong_key_explains_where_the_key_came_from_as_a_single_call_does()
        {
            var error = _m.RunTerminating("Get-OtpHistory -Provider OtpBlue -From 2025-11-01 -To 2025-11-30 -ApiKey $key",
                new Dictionary<string, object?> { ["key"] = ModuleFixture.Secure("wrong-key-5678") });
            Assert.Equal("OtpBlue.InvalidApiKey,OtpTools.GetOtpHistoryCommand", error.FullyQualifiedErrorId);
            Assert.Contains("OTPTOOLS_OTPBLUE_APIKEY", error.ErrorDetails.RecommendedAction);
            Assert.Contains("-ApiKey", error.ErrorDetails.RecommendedAction);
        }

        [Fact]
        public void A_literal_region_code_that_matches_nothing_is_a_not_found_error_and_a_wildcard_stays_silent()
        {
            var run = _m.Run("Get-OtpRegion NZ, CN, XX, 'QQ*' -Provider OtpBlue -ApiKey $key\n$?", Vars());
            Assert.Equal(new[] { "NZ" }, run.Objects<OtpRegion>().Select(r => r.Code));
            Assert.Equal(new[] { "CN", "XX" }, run.Errors.Select(e => (string)e.TargetObject));
            Assert.All(run.Errors, e => Assert.StartsWith("Region.NotFound,", e.FullyQualifiedErrorId));
            Assert.All(run.Errors, e => Assert.Equal(ErrorCategory.ObjectNotFound, e.CategoryInfo.Category));
            Assert.False((bool)run.Output.Last().BaseObject);
        }

        [Theory]
        [InlineData("otpblue", "Get-OtpHistory -Provider OtpBlue -From 2025-11-01 -To 2025-11-30 -First 0 -IncludeTotalCount -ApiKey $key", 2600)]
        [InlineData("getotp", "Get-OtpSender -Provider GetOtp -First 0 -IncludeTotalCount -ApiKey $go", 2600)]
        public void IncludeTotalCount_with_First_0_reads_one_page_for_the_total_and_writes_no_row(string prefix, string command, int total)
        {
            _m.Sandbox.GetOtp.SeedSenders(2600);
            var before = _m.Sandbox.RequestCount(prefix);
            var run = _m.Run(command, new Dictionary<string, object?> { ["key"] = ModuleFixture.Secure(SandboxKeys.OtpBlue), ["go"] = ModuleFixture.Secure(SandboxKeys.GetOtp) });
            Assert.Empty(run.Errors);
            var only = Assert.Single(run.Output);
            var text = only.BaseObject!.ToString()!;
            Assert.Contains(total.ToString(System.Globalization.CultureInfo.InvariantCulture), text);
            Assert.DoesNotContain("Unknown", text);
            Assert.Equal(1, _m.Sandbox.RequestCount(prefix) - before);
        }
    }
}
