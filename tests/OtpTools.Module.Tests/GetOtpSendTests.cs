using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OtpTools.Sandbox;
using OtpTools.Sandbox.Providers.GetOtp;
using Xunit;

namespace OtpTools.Module.Tests
{
    /// <summary>Send-OtpCode and Confirm-OtpCode with GetOTP (POST and GET /v1/verifications), as a user types them.</summary>
    [Collection(ModuleCollection.Name)]
    public sealed class GetOtpSendTests
    {
        private const string Sms = "-Channel sms -Sender GetOTP -TemplateId " + GetOtpScenarios.Template;
        private readonly ModuleFixture _m;
        public GetOtpSendTests(ModuleFixture fixture) => _m = fixture;

        private static Dictionary<string, object?> Vars(string key = SandboxKeys.GetOtp) => new Dictionary<string, object?>
        {
            ["key"] = ModuleFixture.Secure(key),
            ["bluekey"] = ModuleFixture.Secure(SandboxKeys.OtpBlue),
        };

        private GetOtpSandbox.Verification Sent(OtpSendResult receipt) =>
            _m.Sandbox.GetOtp.Verifications.Single(v => v.MessageId == receipt.MessageId);

        [Fact]
        public void A_send_by_sms_writes_a_receipt_with_the_callers_recipient_an_E164_destination_the_channel_and_both_dates()
        {
            var run = _m.Run($"Send-OtpCode -Provider GetOtp -To '+61 412 345 678' -Code 482913 {Sms} -ApiKey $key", Vars());
            Assert.Empty(run.Errors);
            var receipt = Assert.Single(run.Objects<OtpSendResult>());
            Assert.True(receipt.Success);
            Assert.Equal("+61 412 345 678", receipt.Recipient);
            Assert.Equal("+61412345678", receipt.Destination);
            Assert.Equal("sms", receipt.Channel);
            Assert.Equal("GetOtp", receipt.ProviderType);
            Assert.NotNull(receipt.CreatedAtUtc);
            Assert.NotNull(receipt.ExpiresAtUtc);
            Assert.Equal("61412345678", Sent(receipt).Phone);
        }

        [Fact]
        public void A_bulk_run_yields_one_receipt_per_row_and_a_row_over_a_limit_fails_alone_before_any_call()
        {
            var before = _m.Sandbox.RequestCount("getotp");
            var run = _m.Run(@"
                $rows = @(
                    [pscustomobject]@{ Phone = '+61412345601'; Code = '1234' }
                    [pscustomobject]@{ Phone = '+61412345602'; Code = '123' }
                    [pscustomobject]@{ Phone = '+61412345603'; CodeLength = '8' }
                    [pscustomobject]@{ Phone = '+61412345604'; Code = '12345678' }
                )
                $rows | Send-OtpCode -Provider GetOtp -Channel telegram -ApiKey $key -ErrorVariable failed -ErrorAction SilentlyContinue
                $failed.Count", Vars());
            var receipts = run.Objects<OtpSendResult>().OrderBy(r => r.Position).ToList();
            Assert.Equal(new[] { 1, 2, 3, 4 }, receipts.Select(r => r.Position));
            Assert.Equal(new[] { true, false, true, true }, receipts.Select(r => r.Success));
            Assert.Equal("Validation.InvalidCode", receipts[1].ErrorId);
            Assert.Contains("4 to 8 digits", receipts[1].ErrorMessage);
            Assert.Equal(0, receipts[1].Attempts);
            Assert.Matches("^[0-9]{8}$", Sent(receipts[2]).Code);
            Assert.Equal(3, _m.Sandbox.RequestCount("getotp") - before);
            Assert.Equal(1, run.Output.Last().BaseObject);
        }

        [Fact]
        public void Each_channel_takes_its_own_options_from_the_command_line()
        {
            var run = _m.Run(@"
                Send-OtpCode -Provider GetOtp -To +61412345610 -Code 4821 -Channel voice -VoiceType tts -Language fr -ApiKey $key
                Send-OtpCode -Provider GetOtp -To +61412345611 -CodeLength 4 -Channel voice -VoiceType flash -RingingDuration 6 -ApiKey $key
                Send-OtpCode -Provider GetOtp -To +61412345612 -Code 4821 -Channel viber -Sender GetOTP -TemplateId " + GetOtpScenarios.Template + @" -NumberFormatting $false -ApiKey $key
                Send-OtpCode -Provider GetOtp -To +61412345613 -Code 4821 -Channel telegram -TimeToLive 600 -ApiKey $key", Vars());
            Assert.Empty(run.Errors);
            var receipts = run.Objects<OtpSendResult>().ToList();
            Assert.Equal(new[] { "voice", "voice", "viber", "telegram" }, receipts.Select(r => Sent(r).Channel));
            Assert.Equal(600, (Sent(receipts[3]).Expires - Sent(receipts[3]).Created).TotalSeconds, 3);
        }

        [Fact]
        public void A_payload_table_or_object_is_sent_as_JSON_text()
        {
            var run = _m.Run(@"
                Send-OtpCode -Provider GetOtp -To +61412345620 -Code 4821 -Channel telegram -Payload @{ order_id = 'xfdu48' } -ApiKey $key
                Send-OtpCode -Provider GetOtp -To +61412345621 -Code 4821 -Channel telegram -Payload ([pscustomobject]@{ order_id = 'a'; agent_id = 2258 }) -ApiKey $key
                Send-OtpCode -Provider GetOtp -To +61412345622 -Code 4821 -Channel telegram -Payload 'plain text' -ApiKey $key", Vars());
            Assert.Empty(run.Errors);
            Assert.Equal(new[] { "{\"order_id\":\"xfdu48\"}", "{\"order_id\":\"a\",\"agent_id\":2258}", "plain text" },
                run.Objects<OtpSendResult>().Select(r => Sent(r).Payload));
        }

        [Theory]
        [InlineData("-Channel whatsapp", "Validation.ChannelNotSupported", "sms, viber, voice, telegram")]
        [InlineData("-Channel voice -VoiceType tts -Code 1234567", "Validation.InvalidCode", "4 to 6 digits")]
        [InlineData("-Channel telegram -Code 1234 -CodeLength 6", "Validation.CodeAndCodeLength", "never both")]
        [InlineData("-Channel telegram -Code 1234 -TimeToLive 30", "Validation.TimeToLiveOutOfRange", "60 to 86400")]
        [InlineData("-Channel sms -Code 1234 -TemplateId " + GetOtpScenarios.Template, "Validation.SenderRequired", "-Sender")]
        public void Bad_input_is_refused_before_any_call_with_an_error_naming_the_parameter_and_the_limit(string options, string errorId, string text)
        {
            var before = _m.Sandbox.RequestCount("getotp");
            var run = _m.Run($"Send-OtpCode -Provider GetOtp -To +61412345678 {options} -ApiKey $key", Vars());
            var error = Assert.Single(run.Errors);
            Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Contains(text, error.Exception.Message);
            Assert.Equal(before, _m.Sandbox.RequestCount("getotp"));
        }

        [Fact]
        public void A_route_moves_a_row_OTP_Blue_cannot_deliver_to_GetOtp_with_the_same_code_and_only_GetOtps_options()
        {
            // Each provider's key comes from its variable, as in a runbook.
            var env = _m.Run("$env:OTPTOOLS_OTPBLUE_APIKEY = $b; $env:OTPTOOLS_GETOTP_APIKEY = $g\n" +
                             $"try {{ Send-OtpCode -Provider OtpBlue, GetOtp -To +13232000150 -Code 551177 {Sms} }} finally {{ Remove-Item Env:OTPTOOLS_OTPBLUE_APIKEY, Env:OTPTOOLS_GETOTP_APIKEY }}",
                new Dictionary<string, object?> { ["b"] = SandboxKeys.OtpBlue, ["g"] = SandboxKeys.GetOtp });
            Assert.Empty(env.Errors);
            var receipt = Assert.Single(env.Objects<OtpSendResult>());
            Assert.True(receipt.Success, receipt.ErrorMessage);
            Assert.Equal("OtpBlue:150 > GetOtp:sent", receipt.Route);
            Assert.Equal("GetOtp", receipt.ProviderType);
            Assert.Equal("551177", Sent(receipt).Code);
        }

        [Fact]
        public void A_rejected_key_trips_the_breaker_so_later_rows_make_no_call()
        {
            var before = _m.Sandbox.RequestCount("getotp");
            var run = _m.Run("'+61412345631', '+61412345632', '+61412345633' | Send-OtpCode -Provider GetOtp -Code 1234 -Channel telegram -ApiKey $key -ThrottleLimit 1 -ErrorAction SilentlyContinue",
                Vars("wrong-key"));
            var receipts = run.Objects<OtpSendResult>().ToList();
            Assert.Equal(3, receipts.Count);
            Assert.All(receipts, r => Assert.False(r.Success));
            Assert.Equal("GetOtp.Unauthorized", receipts[0].ErrorId);
            Assert.Equal(1, _m.Sandbox.RequestCount("getotp") - before);
        }

        [Fact]
        public void An_error_no_document_names_marks_the_row_unknown_and_it_is_neither_resent_nor_moved_on()
        {
            var before = _m.Sandbox.RequestCount("getotp");
            var otpiq = _m.Sandbox.RequestCount("otpiq");
            var run = _m.Run("$env:OTPTOOLS_GETOTP_APIKEY = $g; $env:OTPTOOLS_OTPIQ_APIKEY = $i\n" +
                             $"try {{ Send-OtpCode -Provider GetOtp, Otpiq -To '{GetOtpScenarios.ServerError}' -Code 1234 -Channel telegram -ErrorAction SilentlyContinue }} " +
                             "finally { Remove-Item Env:OTPTOOLS_GETOTP_APIKEY, Env:OTPTOOLS_OTPIQ_APIKEY }",
                new Dictionary<string, object?> { ["g"] = SandboxKeys.GetOtp, ["i"] = SandboxKeys.Otpiq });
            var receipt = Assert.Single(run.Objects<OtpSendResult>());
            Assert.Equal("unknown", receipt.Status);
            Assert.Equal("GetOtp.Error", receipt.ErrorId);
            Assert.Equal(1, _m.Sandbox.RequestCount("getotp") - before);
            Assert.Equal(otpiq, _m.Sandbox.RequestCount("otpiq"));
            Assert.Equal(1, receipt.Hops);
        }

        [Fact]
        public void A_piped_receipt_confirms_the_code_GetOtp_generated_the_README_way_and_a_wrong_code_is_false()
        {
            var run = _m.Run(@"
                $receipt = Send-OtpCode -Provider GetOtp -To '+61 412 345 640' -CodeLength 6 -Channel telegram -ApiKey $key
                $typed = Invoke-RestMethod ""$env:OTPTOOLS_GETOTP_BASEURI/_sandbox/codes/$($receipt.MessageId)""
                $receipt | Confirm-OtpCode -Code $typed -ApiKey $key
                $receipt | Confirm-OtpCode -Code ('{0:D6}' -f ((([int]$typed) + 1) % 1000000)) -ApiKey $key", Vars());
            Assert.Empty(run.Errors);
            var results = run.Objects<OtpVerificationResult>().ToList();
            Assert.Equal(new[] { true, false }, results.Select(r => r.Verified));
            Assert.Equal("+61 412 345 640", results[0].Recipient);
            Assert.Equal("GetOtp", results[0].Provider);
            Assert.NotNull(results[1].CheckedAtUtc);
            Assert.Equal(_m.Sandbox.GetOtp.Verifications.Single(v => v.Phone == "61412345640").MessageId, results[0].MessageId);
        }

        [Fact]
        public void The_sandbox_shows_a_code_with_a_leading_zero_as_it_was_sent_to_the_READMEs_Invoke_RestMethod()
        {
            // Invoke-RestMethod reads a text answer as JSON when it can, and "012345" would come back as a number.
            var run = _m.Run(@"
                $receipt = Send-OtpCode -Provider GetOtp -To '+61 412 345 641' -Code 012345 -Channel telegram -ApiKey $key
                $typed = Invoke-RestMethod ""$env:OTPTOOLS_GETOTP_BASEURI/_sandbox/codes/$($receipt.MessageId)""
                $typed
                ($receipt | Confirm-OtpCode -Code $typed -ApiKey $key).Verified", Vars());
            Assert.Empty(run.Errors);
            Assert.Equal("012345", run.Output[0].BaseObject);
            Assert.Equal(true, run.Output[1].BaseObject);
        }

        [Fact]
        public void Confirm_without_the_number_is_an_error_for_that_row_before_any_call()
        {
            var before = _m.Sandbox.RequestCount("getotp");
            var run = _m.Run("Confirm-OtpCode -Provider GetOtp -MessageId 3fa85f64-5717-4562-b3fc-2c963f66afa6 -Code 1234 -ApiKey $key", Vars());
            var error = Assert.Single(run.Errors);
            Assert.StartsWith("Validation.RecipientRequired,", error.FullyQualifiedErrorId);
            Assert.Equal(before, _m.Sandbox.RequestCount("getotp"));
        }
    }
}
