using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using OtpTools.Sandbox;
using OtpTools.Sandbox.Providers.OtpBlue;
using Xunit;

namespace OtpTools.Module.Tests
{
    /// <summary>
    /// iMessage first, another channel when it cannot: -Provider OtpBlue, Otpiq (or EngageLab) moves a row on only
    /// when the answer proves nothing was delivered, with the same code, and writes one flat receipt per row.
    /// </summary>
    [Collection(ModuleCollection.Name)]
    public sealed class FailoverTests : IDisposable
    {
        private readonly ModuleFixture _m;
        private readonly ConfigScope _scope = new ConfigScope();

        public FailoverTests(ModuleFixture fixture)
        {
            _m = fixture;
            _m.Sandbox.Faults.Clear();
            // A route takes each provider's key from its own variable.
            _scope.Set("OTPTOOLS_OTPBLUE_APIKEY", SandboxKeys.OtpBlue);
            _scope.Set("OTPTOOLS_OTPIQ_APIKEY", SandboxKeys.Otpiq);
            _scope.Set("OTPTOOLS_ENGAGELAB_DEVKEY", SandboxKeys.EngageLabDevKey);
            _scope.Set("OTPTOOLS_ENGAGELAB_DEVSECRET", SandboxKeys.EngageLabDevSecret);
        }

        public void Dispose()
        {
            _m.Sandbox.Faults.Clear();
            _scope.Dispose();
        }

        private static Dictionary<string, object?> Vars(object to, string code) => new Dictionary<string, object?> { ["to"] = to, ["code"] = code };

        private static string NewCode() => "F" + new Random().Next(100000, 999999);

        [Theory]
        [InlineData(OtpBlueScenarios.NoIMessage, "150")]
        [InlineData(OtpBlueScenarios.UnsupportedRegion, "1155")]
        [InlineData(OtpBlueScenarios.NotMobile, "1900")]
        [InlineData(OtpBlueScenarios.NoCapacity, "720")]
        public void A_row_otp_blue_cannot_deliver_moves_to_otpiq_with_the_same_code(string to, string code)
        {
            var otp = NewCode();
            var blue = _m.Sandbox.RequestCount("otpblue");
            var run = _m.Run("Send-OtpCode -Provider OtpBlue, Otpiq -To $to -Code $code -MaxRetry 1", Vars(to, otp));
            var receipt = Assert.Single(run.Objects<OtpSendResult>());
            Assert.True(receipt.Success, receipt.ErrorMessage);
            Assert.Equal("Otpiq", receipt.ProviderType);
            Assert.Equal("Otpiq", receipt.Provider);
            Assert.Equal($"OtpBlue:{code} > Otpiq:sent", receipt.Route);
            Assert.Equal(2, receipt.Hops);
            Assert.Empty(run.Errors);   // the last hop succeeded: no error for the row
            // The same code reached the recipient once, through OTPIQ; OTP Blue delivered nothing.
            Assert.Single(_m.Sandbox.Otpiq.Deliveries, d => d.VerificationCode == otp);
            Assert.DoesNotContain(_m.Sandbox.OtpBlue.Deliveries, d => d.Text.Contains(otp));
            Assert.Equal(code == "720" ? 2 : 1, _m.Sandbox.RequestCount("otpblue") - blue);   // 720 once retried
        }

        [Fact]
        public void A_region_otp_blue_never_serves_is_skipped_without_a_call()
        {
            var otp = NewCode();
            var blue = _m.Sandbox.RequestCount("otpblue");
            var run = _m.Run("Send-OtpCode -Provider OtpBlue, EngageLab -TemplateId test-template-1 -To ('+86138005' + (Get-Random -Minimum 10000 -Maximum 99999)) -Code $code",
                Vars("", otp));
            var receipt = Assert.Single(run.Objects<OtpSendResult>());
            Assert.True(receipt.Success, receipt.ErrorMessage);
            Assert.Equal("EngageLab", receipt.ProviderType);
            Assert.Equal("OtpBlue:UnsupportedRegion > EngageLab:sent", receipt.Route);
            Assert.Equal(1, receipt.Hops);
            Assert.Equal(blue, _m.Sandbox.RequestCount("otpblue"));
            Assert.Single(_m.Sandbox.EngageLab.Deliveries, d => d.Code == otp);
        }

        [Theory]
        [InlineData(OtpBlueScenarios.OptedOut, "OtpBlue.RecipientOptedOut", "failed")]
        [InlineData(OtpBlueScenarios.InternalError, "OtpBlue.InternalError", "failed")]
        public void No_failover_on_an_opt_out_or_an_error_that_does_not_prove_the_channel_cannot_deliver(string to, string errorId, string status)
        {
            var iq = _m.Sandbox.RequestCount("otpiq");
            var run = _m.Run("Send-OtpCode -Provider OtpBlue, Otpiq -To $to -Code $code", Vars(to, NewCode()));
            var receipt = Assert.Single(run.Objects<OtpSendResult>());
            Assert.Equal(errorId, receipt.ErrorId);
            Assert.Equal(status, receipt.Status);
            Assert.Equal("OtpBlue", receipt.ProviderType);
            Assert.Equal(1, receipt.Hops);
            Assert.Equal(iq, _m.Sandbox.RequestCount("otpiq"));
            Assert.Single(run.Errors);
        }

        [Fact]
        public void No_failover_when_the_code_may_have_arrived()
        {
            _m.Sandbox.Faults.Inject("otpblue", FaultKind.ResetAfterRead, times: 1);
            var iq = _m.Sandbox.RequestCount("otpiq");
            var run = _m.Run("Send-OtpCode -Provider OtpBlue, Otpiq -To +61412345678 -Code $code", Vars("", NewCode()));
            var receipt = Assert.Single(run.Objects<OtpSendResult>());
            Assert.Equal("unknown", receipt.Status);
            Assert.Equal(iq, _m.Sandbox.RequestCount("otpiq"));
        }

        /// <summary>
        /// A three-provider route with every Iraqi number lacking iMessage (the sandbox's --no-imessage-prefix): each
        /// OTPIQ outcome decides alone whether EngageLab is tried, and only a proven non-delivery moves a row on.
        /// </summary>
        [Theory]
        [InlineData("9647501234601", "", "OtpBlue:150 > Otpiq:sent", "sent", 0)]
        [InlineData(Sandbox.Providers.Otpiq.OtpiqScenarios.ServerError, "", "OtpBlue:150 > Otpiq:500", "unknown", 0)]
        [InlineData("9647501234602", Sandbox.Providers.Otpiq.OtpiqScenarios.UnapprovedSender, "OtpBlue:150 > Otpiq:400", "failed", 0)]
        public void Across_three_providers_a_row_moves_on_only_while_each_answer_proves_nothing_was_delivered(
            string to, string sender, string route, string status, int engageLabRequests)
        {
            _m.Sandbox.OtpBlue.NoIMessagePrefix = "+964";
            try
            {
                var engage = _m.Sandbox.RequestCount("engagelab");
                var otp = NewCode();
                var run = _m.Run("Send-OtpCode -Provider OtpBlue, Otpiq, EngageLab -TemplateId test-template-1 -To $to -Code $code -MaxRetry 0" +
                                 (sender.Length > 0 ? " -Sender " + sender : "") + " -ErrorAction SilentlyContinue", Vars(to, otp));
                var receipt = Assert.Single(run.Objects<OtpSendResult>());
                Assert.Equal(route, receipt.Route);
                Assert.Equal(status, receipt.Status);
                Assert.Equal(2, receipt.Hops);
                Assert.Equal(engageLabRequests, _m.Sandbox.RequestCount("engagelab") - engage);
                Assert.DoesNotContain(_m.Sandbox.OtpBlue.Deliveries, d => d.Text.Contains(otp));
            }
            finally
            {
                _m.Sandbox.OtpBlue.NoIMessagePrefix = null;
            }
        }

        [Fact]
        public void No_failover_on_bad_input_and_nothing_is_sent()
        {
            var before = _m.Sandbox.TotalRequests;
            var run = _m.Run("Send-OtpCode -Provider OtpBlue, Otpiq -To +61412345678 -Code 12345678901", Vars("", ""));
            var receipt = Assert.Single(run.Objects<OtpSendResult>());
            Assert.Equal("Validation.CodeTooLong", receipt.ErrorId);
            Assert.Equal(0, receipt.Hops);
            Assert.Equal(before, _m.Sandbox.TotalRequests);
        }

        [Fact]
        public void No_failover_on_a_rejected_key()
        {
            _scope.Set("OTPTOOLS_OTPBLUE_APIKEY", "not-the-key");
            var iq = _m.Sandbox.RequestCount("otpiq");
            var run = _m.Run("Send-OtpCode -Provider OtpBlue, Otpiq -To $to -Code $code", Vars(OtpBlueScenarios.NoIMessage, NewCode()));
            Assert.Equal("OtpBlue.InvalidApiKey", Assert.Single(run.Objects<OtpSendResult>()).ErrorId);
            Assert.Equal(iq, _m.Sandbox.RequestCount("otpiq"));
        }

        [Fact]
        public void Parameters_go_to_the_providers_that_take_them_and_one_no_provider_takes_is_an_error()
        {
            var otp = NewCode();
            var run = _m.Run("Send-OtpCode -Provider OtpBlue, Otpiq -To $to -Code $code -Language en -Channel sms", Vars(OtpBlueScenarios.NoIMessage, otp));
            var receipt = Assert.Single(run.Objects<OtpSendResult>());
            Assert.True(receipt.Success, receipt.ErrorMessage);
            Assert.Equal("sms", Assert.Single(_m.Sandbox.Otpiq.Deliveries, d => d.VerificationCode == otp).Provider);

            var before = _m.Sandbox.TotalRequests;
            var refused = _m.Run("Send-OtpCode -Provider OtpBlue, Otpiq -To $to -Code $code -TemplateId t", Vars(OtpBlueScenarios.NoIMessage, NewCode()));
            var error = Assert.Single(refused.Errors);
            Assert.StartsWith("Validation.UnsupportedParameter,", error.FullyQualifiedErrorId);
            Assert.Contains("applies to none of the providers in the route", error.Exception.Message);
            Assert.Equal(before, _m.Sandbox.TotalRequests);
        }

        [Fact]
        public void A_bulk_route_yields_one_flat_receipt_per_row_that_round_trips_through_csv_and_one_delivery_per_row()
        {
            var numbers = new[] { "+61412345678", OtpBlueScenarios.NoIMessage, "+61412345679", OtpBlueScenarios.UnsupportedRegion, OtpBlueScenarios.OptedOut };
            var csv = Path.Combine(_scope.Folder, "receipt.csv");
            Directory.CreateDirectory(_scope.Folder);
            var otp = NewCode();
            var run = _m.Run(@"
                $numbers | Send-OtpCode -Provider OtpBlue, Otpiq -Code $code -ThrottleLimit 3 -ErrorAction SilentlyContinue | Export-Csv $csv -NoTypeInformation
                Import-Csv $csv", new Dictionary<string, object?> { ["numbers"] = numbers, ["code"] = otp, ["csv"] = csv });
            var rows = run.Output.Select(o => o.Properties).OrderBy(p => int.Parse((string)p["Position"].Value)).ToList();
            Assert.Equal(5, rows.Count);
            Assert.Equal(new[] { "OtpBlue:delivered", "OtpBlue:150 > Otpiq:sent", "OtpBlue:delivered", "OtpBlue:1155 > Otpiq:sent", "OtpBlue:280" },
                rows.Select(p => (string)p["Route"].Value));
            Assert.Equal(new[] { "1", "2", "1", "2", "1" }, rows.Select(p => (string)p["Hops"].Value));
            Assert.Equal(new[] { "OtpBlue", "Otpiq", "OtpBlue", "Otpiq", "OtpBlue" }, rows.Select(p => (string)p["ProviderType"].Value));
            // Exactly one delivered code per delivered row, across both providers.
            var delivered = _m.Sandbox.OtpBlue.Deliveries.Count(d => d.Text.Contains(otp)) + _m.Sandbox.Otpiq.Deliveries.Count(d => d.VerificationCode == otp);
            Assert.Equal(4, delivered);
        }

        [Fact]
        public void A_route_refuses_a_credential_parameter_that_cannot_say_which_provider_it_is_for()
        {
            var error = _m.RunTerminating("Send-OtpCode -Provider OtpBlue, Otpiq -To +61412345678 -Code 1 -ApiKey $key", ModuleFixture.OtpBlueKey());
            Assert.StartsWith("Credential.AmbiguousForRoute,", error.FullyQualifiedErrorId);
        }

        [Fact]
        public void Other_cmdlets_take_one_provider()
        {
            var before = _m.Sandbox.TotalRequests;
            var error = _m.RunTerminating("Get-OtpRegion -Provider OtpBlue, Otpiq");
            Assert.StartsWith("CannotConvertArgument,", error.FullyQualifiedErrorId);   // PowerShell refuses a list for a one-provider parameter
            Assert.Equal(before, _m.Sandbox.TotalRequests);
        }

        [Fact]
        public void A_route_registration_sends_like_the_list_it_holds_and_survives_a_csv_round_trip()
        {
            var otp = NewCode();
            var run = _m.Run(@"
Register-OtpProvider -Name Verify -Route OtpBlue, Otpiq -Default
$csv = Join-Path $folder 'providers.csv'
Get-OtpProvider Verify | Export-Csv $csv -NoTypeInformation
Unregister-OtpProvider Verify -Confirm:$false
Import-Csv $csv | Register-OtpProvider -PassThru
Send-OtpCode -Provider Verify -To $to -Code $code
Send-OtpCode -To $to -Code $code", new Dictionary<string, object?>(Vars(OtpBlueScenarios.NoIMessage, otp)) { ["folder"] = _scope.Folder });
            Assert.Empty(run.Errors);
            var info = Assert.Single(run.Objects<OtpProviderInfo>());
            Assert.Equal("Route", info.Type);
            Assert.Equal("OtpBlue, Otpiq", info.Route);
            var receipts = run.Objects<OtpSendResult>().ToList();
            Assert.Equal(2, receipts.Count);
            Assert.All(receipts, r =>
            {
                Assert.True(r.Success, r.ErrorMessage);
                Assert.Equal("OtpBlue:150 > Otpiq:sent", r.Route);
            });
            Assert.Equal(2, _m.Sandbox.Otpiq.Deliveries.Count(d => d.VerificationCode == otp));
        }

        [Theory]
        [InlineData("Register-OtpProvider -Name R0", "Registration.TypeRequired", "-Route")]
        [InlineData("Register-OtpProvider -Name R8 -Type Otpiq -Route OtpBlue", "Registration.TypeAndRoute", "not both")]
        [InlineData("Register-OtpProvider -Name R2 -Route OtpBlue, Nowhere", "Provider.NotFound", "Nowhere")]
        [InlineData("Register-OtpProvider -Name R3 -Route OtpBlue -Vault V -SecretName S", "Registration.SecretOnRoute", "own")]
        [InlineData("Register-OtpProvider -Name R4 -Route OtpBlue, Otpiq; Register-OtpProvider -Name R5 -Route R4, EngageLab", "Registration.NestedRoute", "R4")]
        [InlineData("Register-OtpProvider -Name R6 -Route OtpBlue, Otpiq; Get-OtpHistory -Provider R6", "Provider.IsRoute", "only Send-OtpCode")]
        [InlineData("Register-OtpProvider -Name R7 -Route OtpBlue, Otpiq; Send-OtpCode -Provider R7 -To +13232000150 -Code 1 -ApiKey (ConvertTo-SecureString k -AsPlainText -Force)", "Credential.AmbiguousForRoute", "which provider")]
        public void A_route_registration_holds_sending_providers_only_and_is_refused_where_one_provider_is_needed(string script, string errorId, string text)
        {
            var before = _m.Sandbox.TotalRequests;
            var error = _m.RunTerminating(script);
            Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
            Assert.Contains(text, error.ToString());
            Assert.Equal(before, _m.Sandbox.TotalRequests);
        }
    }
}
