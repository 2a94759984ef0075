using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OtpTools.Sandbox;
using OtpTools.Sandbox.Providers.OtpBlue;
using Xunit;

namespace OtpTools.Module.Tests
{
    [Collection(ModuleCollection.Name)]
    public sealed class OtpBlueSendTests
    {
        private readonly ModuleFixture _m;
        public OtpBlueSendTests(ModuleFixture fixture) => _m = fixture;

        [Fact]
        public void Csv_shaped_rows_bind_by_their_column_names_and_each_yields_one_typed_result()
        {
            var before = _m.Sandbox.OtpBlue.Deliveries.Count;
            var run = _m.Run(@"
                $rows = @(
                    [pscustomobject]@{ Phone = '+61412345678'; Otp = '111222' }
                    [pscustomobject]@{ PhoneNumber = '+33 6 12 34 56 78'; VerificationCode = '333444'; SenderId = 'Contoso' }
                    [pscustomobject]@{ Contact = '+4915112345678'; Code = '555666'; Language = 'de' }
                    [pscustomobject]@{ Mobile = '13232000001'; Code = '777888' }
                    [pscustomobject]@{ Recipient = '+13232000002'; Code = '999000' }
                )
                $rows | Send-OtpCode -Provider OtpBlue -ApiKey $key", ModuleFixture.OtpBlueKey());

            Assert.Empty(run.Errors);
            var results = run.Objects<OtpSendResult>().OrderBy(r => r.Position).ToList();
            Assert.Equal(new[] { 1, 2, 3, 4, 5 }, results.Select(r => r.Position));
            Assert.All(results, r => Assert.True(r.Success));
            Assert.All(results, r => Assert.Equal("delivered", r.Status));
            Assert.All(results, r => Assert.False(string.IsNullOrEmpty(r.MessageId)));
            Assert.Equal(new[] { "+61412345678", "+33 6 12 34 56 78", "+4915112345678", "13232000001", "+13232000002" },
                results.Select(r => r.Recipient));
            Assert.Equal("+33612345678", results[1].Destination);
            Assert.Equal("+13232000001", results[3].Destination);
            var delivered = _m.Sandbox.OtpBlue.Deliveries.Skip(before).ToList();
            Assert.Equal(5, delivered.Count);
            Assert.Equal(results.Select(r => r.MessageId).OrderBy(x => x), delivered.Select(d => d.Id).OrderBy(x => x));
            Assert.Equal("Contoso", delivered.Single(d => d.Id == results[1].MessageId).Sender);
            Assert.Equal("de", delivered.Single(d => d.Id == results[2].MessageId).Language);
        }

        [Fact]
        public void Status_callback_and_its_header_reach_the_provider_unchanged()
        {
            var run = _m.Run("Send-OtpCode -Provider OtpBlue -To +61412345678 -Code 5 -ApiKey $key -StatusCallback https://hooks.example.com/otp -StatusCallbackHeader (ConvertTo-SecureString 'Bearer hook-token' -AsPlainText -Force)",
                ModuleFixture.OtpBlueKey());
            var result = Assert.Single(run.Objects<OtpSendResult>());
            var delivered = _m.Sandbox.OtpBlue.Deliveries.Single(d => d.Id == result.MessageId);
            Assert.Equal("https://hooks.example.com/otp", delivered.StatusCallback);
            Assert.Equal("Bearer hook-token", delivered.StatusCallbackHeader);
        }

        [Fact]
        public void Result_type_resolves_as_a_type_literal_in_user_scripts()
        {
            var run = _m.Run(@"
                $r = Send-OtpCode -Provider OtpBlue -To +61412345678 -Code 42 -ApiKey $key
                $r -is [OtpTools.OtpSendResult]
                [OtpTools.OtpSendResult].Assembly.GetName().Name", ModuleFixture.OtpBlueKey());
            Assert.Empty(run.Errors);
            Assert.Equal(true, run.Output[0].BaseObject);
            Assert.Equal("OtpTools.Models", run.Output[1].BaseObject);
        }

        public static IEnumerable<object[]> Scenarios() => new[]
        {
            new object[] { OtpBlueScenarios.InternalError, "100", "OtpBlue.InternalError", ErrorCategory.InvalidOperation },
            new object[] { OtpBlueScenarios.AppleUnavailable, "110", "OtpBlue.AppleServiceUnavailable", ErrorCategory.ResourceUnavailable },
            new object[] { OtpBlueScenarios.NoIMessage, "150", "OtpBlue.NoIMessage", ErrorCategory.ResourceUnavailable },
            new object[] { OtpBlueScenarios.OptedOut, "280", "OtpBlue.RecipientOptedOut", ErrorCategory.PermissionDenied },
            new object[] { OtpBlueScenarios.NoCapacity, "720", "OtpBlue.NoCapacity", ErrorCategory.ResourceBusy },
            new object[] { OtpBlueScenarios.UnsupportedRegion, "1155", "OtpBlue.UnsupportedRegion", ErrorCategory.InvalidArgument },
            new object[] { OtpBlueScenarios.InvalidRecipient, "1600", "OtpBlue.InvalidRecipient", ErrorCategory.InvalidArgument },
            new object[] { OtpBlueScenarios.InvalidPhoneNumber, "1800", "OtpBlue.InvalidPhoneNumber", ErrorCategory.InvalidArgument },
            new object[] { OtpBlueScenarios.NotMobile, "1900", "OtpBlue.NotMobile", ErrorCategory.InvalidArgument },
        };

        [Theory]
        [MemberData(nameof(Scenarios))]
        public void Provider_failure_yields_failed_result_and_non_terminating_error(string recipient, string code, string errorId, ErrorCategory category)
        {
            var run = _m.Run(@"
                $r = Send-OtpCode -Provider OtpBlue -To $to -Code 123456 -ApiKey $key -MaxRetry 2 -ErrorVariable failures -ErrorAction SilentlyContinue
                $r
                $failures.Count
                'still running'",
                new Dictionary<string, object?> { ["key"] = ModuleFixture.Secure(SandboxKeys.OtpBlue), ["to"] = recipient });

            Assert.Null(run.Terminating);
            var result = Assert.Single(run.Objects<OtpSendResult>());
            Assert.False(result.Success);
            Assert.Equal("failed", result.Status);
            Assert.Equal(code, result.ErrorCode);
            Assert.Equal(errorId, result.ErrorId);
            // Only "no capacity" is retried: nothing was delivered and a later attempt may succeed.
            Assert.Equal(code == "720" ? 3 : 1, result.Attempts);
            Assert.Contains(code, result.ErrorMessage);
            Assert.Equal(1, run.Output[1].BaseObject);
            Assert.Equal("still running", run.Output[2].BaseObject);
            var recorded = _m.Run("Send-OtpCode -Provider OtpBlue -To $to -Code 1 -ApiKey $key",
                new Dictionary<string, object?> { ["key"] = ModuleFixture.Secure(SandboxKeys.OtpBlue), ["to"] = recipient });
            Assert.Equal(category, Assert.Single(recorded.Errors).CategoryInfo.Category);
        }

        [Fact]
        public void No_imessage_error_record_carries_error_id_category_recipient_and_no_stack_trace()
        {
            var run = _m.Run("Send-OtpCode -Provider OtpBlue -To $to -Code 123456 -ApiKey $key",
                new Dictionary<string, object?> { ["key"] = ModuleFixture.Secure(SandboxKeys.OtpBlue), ["to"] = OtpBlueScenarios.NoIMessage });
            var error = Assert.Single(run.Errors);
            Assert.Equal("OtpBlue.NoIMessage,OtpTools.SendOtpCodeCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);
            Assert.Equal(OtpBlueScenarios.NoIMessage, error.TargetObject);
            Assert.Contains("does not support delivery through this channel", error.ToString());
            Assert.DoesNotContain("   at ", error.ToString());
            Assert.Null(error.Exception.InnerException);
            Assert.NotNull(error.ErrorDetails.RecommendedAction);
        }

        [Fact]
        public void ErrorAction_Stop_writes_the_receipts_of_what_was_in_flight_then_stops_at_the_first_failure()
        {
            var before = _m.Sandbox.OtpBlue.Deliveries.Count;
            var run = _m.Run(@"
                $out = [System.Collections.Generic.List[object]]::new()
                try {
                    '+61412345678', $noImessage, '+33612345678' | Send-OtpCode -Provider OtpBlue -Code 1 -ApiKey $key -ErrorAction Stop |
                        ForEach-Object { $out.Add($_) }
                } catch { 'caught ' + $_.FullyQualifiedErrorId }
                $out.Count",
                new Dictionary<string, object?> { ["key"] = ModuleFixture.Secure(SandboxKeys.OtpBlue), ["noImessage"] = OtpBlueScenarios.NoIMessage });
            Assert.Equal("caught OtpBlue.NoIMessage,OtpTools.SendOtpCodeCommand", run.Output[0].BaseObject);
            // Rows 1 and 2 have receipts; row 3 was in flight at once (-ThrottleLimit 4 holds under Stop) or never sent.
            var receipts = (int)run.Output[1].BaseObject;
            Assert.InRange(receipts, 2, 3);
            // Every code delivered has its receipt: row 1, and row 3 exactly when it has a receipt.
            Assert.Equal(receipts - 1, _m.Sandbox.OtpBlue.Deliveries.Count - before);
        }

        [Fact]
        public void Iso_language_codes_otp_blue_spells_its_own_way_are_sent_as_its_codes_with_one_warning_per_value()
        {
            var before = _m.Sandbox.OtpBlue.Deliveries.Count;
            var run = _m.Run("'+61412345671', '+61412345672' | Send-OtpCode -Provider OtpBlue -Code 1 -Language ko -ApiKey $key -ThrottleLimit 1\n" +
                             "Send-OtpCode -Provider OtpBlue -To +61412345673 -Code 1 -Language th -ApiKey $key", ModuleFixture.OtpBlueKey());
            Assert.Empty(run.Errors);
            Assert.All(run.Objects<OtpSendResult>(), r => Assert.True(r.Success, r.ErrorMessage));
            Assert.Equal(new[] { "kr", "kr", "en" }, _m.Sandbox.OtpBlue.Deliveries.Skip(before).Select(d => d.Language));
            Assert.Equal(2, run.Warnings.Count);   // once for ko (two rows), once for th
            Assert.Contains(run.Warnings, w => w.Contains("'ko'") && w.Contains("'kr'"));
        }

        [Fact]
        public void A_language_otp_blue_has_no_template_for_is_sent_in_english_with_one_warning_rather_than_failing_the_row()
        {
            var before = _m.Sandbox.OtpBlue.Deliveries.Count;
            var run = _m.Run("'+61412345674', '+61412345675' | Send-OtpCode -Provider OtpBlue -Code 1 -Language ar -ApiKey $key -ThrottleLimit 1",
                ModuleFixture.OtpBlueKey());
            Assert.Empty(run.Errors);
            Assert.All(run.Objects<OtpSendResult>(), r => Assert.True(r.Success, r.ErrorMessage));
            Assert.Equal(new[] { "en", "en" }, _m.Sandbox.OtpBlue.Deliveries.Skip(before).Select(d => d.Language));
            Assert.Contains("sent in English", Assert.Single(run.Warnings));
        }

        [Fact]
        public void Debug_shows_the_request_body_as_written_with_no_html_escapes()
        {
            var run = _m.Run("Send-OtpCode -Provider OtpBlue -To +61412345675 -Code 1 -Sender 'A&B' -ApiKey $key -Debug", ModuleFixture.OtpBlueKey());
            var body = Assert.Single(run.Debug, d => d.Contains("request body"));
            Assert.Contains("\"contact\":\"+61412345675\"", body);
            Assert.Contains("\"sender\":\"A&B\"", body);
            Assert.DoesNotContain("\\u002B", body);
        }

        [Fact]
        public void StatusCallbackHeader_alone_is_sent_as_the_document_names_it()
        {
            var before = _m.Sandbox.OtpBlue.Deliveries.Count;
            var run = _m.Run("Send-OtpCode -Provider OtpBlue -To +61412345674 -Code 5 -ApiKey $key -StatusCallbackHeader (ConvertTo-SecureString 'Bearer hook-token' -AsPlainText -Force)", ModuleFixture.OtpBlueKey());
            Assert.Empty(run.Errors);
            var delivered = Assert.Single(_m.Sandbox.OtpBlue.Deliveries.Skip(before));
            Assert.Equal("Bearer hook-token", delivered.StatusCallbackHeader);
            Assert.Null(delivered.StatusCallback);
        }

        public static IEnumerable<object[]> BadInput() => new[]
        {
            new object[] { "-To +61412345678 -Code 12345678901", "Validation.CodeTooLong", "12345678901", "10" },
            new object[] { "-To +61412345678 -Code ''", "Validation.CodeRequired", "", "required" },
            // With no value to show, the error's target is the row's recipient.
            new object[] { "-To +61412345678", "Validation.CodeRequired", "+61412345678", "required" },
            new object[] { "-To +61412345678 -Code 1 -Sender ABCDEFGHIJKLMNOPQ", "Validation.SenderTooLong", "ABCDEFGHIJKLMNOPQ", "16" },
            new object[] { "-To +61412345678 -Code 1 -Language english", "Validation.LanguageNotSupported", "english", "Allowed" },
            new object[] { "-To +61412345678 -Code 1 -Channel sms", "Validation.UnsupportedParameter", "sms", "OtpBlue takes: -Sender, -Language, -StatusCallback, -StatusCallbackHeader" },
            new object[] { "-To +8613800138000 -Code 1", "Validation.UnsupportedRegion", "+8613800138000", "China" },
            new object[] { "-To +5491123456789 -Code 1", "Validation.UnsupportedRegion", "+5491123456789", "Argentina" },
            new object[] { "-To +442071234567 -Code 1", "Validation.NotMobileNumber", "+442071234567", "mobile" },
            new object[] { "-To +18005551234 -Code 1", "Validation.NotMobileNumber", "+18005551234", "mobile" },
            new object[] { "-To +13231112233 -Code 1", "Validation.InvalidPhoneNumber", "+13231112233", "E.164" },
            new object[] { "-To 'call me' -Code 1", "Validation.InvalidPhoneNumber", "call me", "E.164" },
            new object[] { "-To '' -Code 1", "Validation.RecipientRequired", "", "required" },
            new object[] { "-To +61412345678 -Code 1 -StatusCallback 'not a url'", "Validation.InvalidStatusCallback", "not a url", "URL" },
        };

        [Theory]
        [MemberData(nameof(BadInput))]
        public void Invalid_input_is_rejected_before_any_http_call_naming_parameter_value_and_limit(
            string arguments, string errorId, string? offending, string limitText)
        {
            var run = _m.AssertRejectedBeforeHttp("otpblue", $"Send-OtpCode -Provider OtpBlue {arguments} -ApiKey $key", ModuleFixture.OtpBlueKey(), errorId, offending, limitText);
            Assert.Contains("-", Assert.Single(run.Errors).ToString());
        }

        [Fact]
        public void WhatIf_validates_every_row_yields_a_receipt_for_each_and_sends_nothing()
        {
            var before = _m.Sandbox.RequestCount("otpblue");
            var run = _m.Run("'+61412345678', '+8613800138000' | Send-OtpCode -Provider OtpBlue -Code 1 -ApiKey $key -WhatIf",
                ModuleFixture.OtpBlueKey());
            Assert.Equal(before, _m.Sandbox.RequestCount("otpblue"));
            var receipts = run.Objects<OtpSendResult>().OrderBy(r => r.Position).ToList();
            Assert.Equal(2, receipts.Count);
            Assert.Equal("whatif", receipts[0].Status);
            Assert.False(receipts[0].Success);
            Assert.Null(receipts[0].ErrorId);
            Assert.Equal("+61412345678", receipts[0].Destination);
            Assert.Equal("failed", receipts[1].Status);
            Assert.Equal("Validation.UnsupportedRegion", receipts[1].ErrorId);
            Assert.Single(run.Errors);
        }

        [Fact]
        public void Api_key_is_read_from_the_environment_variable_when_not_given()
        {
            System.Environment.SetEnvironmentVariable("OTPTOOLS_OTPBLUE_APIKEY", SandboxKeys.OtpBlue);
            try
            {
                var run = _m.Run("Send-OtpCode -Provider OtpBlue -To +61412345678 -Code 9");
                Assert.Empty(run.Errors);
                Assert.True(Assert.Single(run.Objects<OtpSendResult>()).Success);
            }
            finally
            {
                System.Environment.SetEnvironmentVariable("OTPTOOLS_OTPBLUE_APIKEY", null);
            }
        }

        [Fact]
        public void Missing_api_key_is_a_terminating_error_that_says_how_to_provide_one()
        {
            var before = _m.Sandbox.RequestCount("otpblue");
            var terminating = _m.RunTerminating("Send-OtpCode -Provider OtpBlue -To +61412345678 -Code 9");
            Assert.Equal(before, _m.Sandbox.RequestCount("otpblue"));
            Assert.Equal("Credential.NotFound,OtpTools.SendOtpCodeCommand", terminating.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.AuthenticationError, terminating.CategoryInfo.Category);
            Assert.Contains("OTPTOOLS_OTPBLUE_APIKEY", terminating.ToString());
        }

        [Fact]
        public void Wrong_api_key_fails_each_row_with_invalid_api_key()
        {
            var run = _m.Run("'+61412345678', '+33612345678' | Send-OtpCode -Provider OtpBlue -Code 9 -ApiKey $key",
                new Dictionary<string, object?> { ["key"] = ModuleFixture.Secure("not-the-key") });
            // Both rows fail: each one the provider rejected has its error; a row not sent after that has none.
            var receipts = run.Objects<OtpSendResult>().ToList();
            Assert.Equal(2, receipts.Count);
            var rejected = receipts.Count(r => r.ErrorId == "OtpBlue.InvalidApiKey" && r.ErrorCode == "1250");
            Assert.InRange(rejected, 1, 2);
            Assert.Equal(2 - rejected, receipts.Count(r => r.ErrorId == "Send.CredentialRejected"));
            Assert.All(run.Errors, e => Assert.Equal(ErrorCategory.AuthenticationError, e.CategoryInfo.Category));
            Assert.Equal(rejected, run.Errors.Count);
        }

        [Fact]
        public void Unknown_provider_name_is_a_terminating_error_listing_the_known_ones()
        {
            var terminating = _m.RunTerminating("Send-OtpCode -Provider Nope -To +61412345678 -Code 9 -ApiKey $key", ModuleFixture.OtpBlueKey());
            Assert.Equal("Provider.NotFound,OtpTools.SendOtpCodeCommand", terminating.FullyQualifiedErrorId);
            Assert.Contains("OtpBlue", terminating.ToString());
        }

        [Fact]
        public void Verbose_shows_method_url_status_and_time_but_never_the_key_or_code()
        {
            var run = _m.Run("Send-OtpCode -Provider OtpBlue -To +61412345678 -Code 918273 -ApiKey $key -Verbose -Debug -Confirm:$false",
                ModuleFixture.OtpBlueKey());
            var line = Assert.Single(run.Verbose, v => v.Contains("/imsg/api/v1.1/otp/send/"));
            Assert.Matches(@"^OtpBlue POST http://127\.0\.0\.1:\d+/otpblue/imsg/api/v1\.1/otp/send/ -> 200 OK in \d+ ms, retry 0$", line);
            Assert.Contains(run.Debug, d => d.Contains("request body") && d.Contains("\"code\":\"***\""));
            Assert.DoesNotContain(SandboxKeys.OtpBlue, run.AllText());
            Assert.DoesNotContain("918273", string.Join("\n", run.Verbose.Concat(run.Debug)));
        }

        [Fact]
        public void SkipNumberCheck_lets_a_number_the_metadata_does_not_know_through_every_check_and_it_is_needed()
        {
            var run = _m.Run(@"
Send-OtpCode -Provider OtpBlue -To '+44 7700 900123' -Code 1 -ApiKey $key -WhatIf -SkipNumberCheck
Send-OtpCode -Provider OtpBlue -To '+44 7700 900123' -Code 1 -ApiKey $key -WhatIf -ErrorAction SilentlyContinue", ModuleFixture.OtpBlueKey());
            var receipts = run.Objects<OtpSendResult>().ToList();
            Assert.Equal(2, receipts.Count);
            Assert.Equal("whatif", receipts[0].Status);
            Assert.Equal("+447700900123", receipts[0].Destination);
            Assert.Equal("Validation.InvalidPhoneNumber", receipts[1].ErrorId);
            Assert.Contains("-SkipNumberCheck", receipts[1].ErrorMessage);
        }
    }
}
