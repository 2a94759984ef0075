using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OtpTools.Sandbox;
using OtpTools.Sandbox.Providers.EngageLab;
using Xunit;

namespace OtpTools.Module.Tests
{
    [Collection(ModuleCollection.Name)]
    public sealed class EngageLabSendTests
    {
        private readonly ModuleFixture _m;
        public EngageLabSendTests(ModuleFixture fixture) => _m = fixture;

        private static PSCredential Pair(string key = SandboxKeys.EngageLabDevKey, string secret = SandboxKeys.EngageLabDevSecret) =>
            new PSCredential(key, ModuleFixture.Secure(secret));

        private static Dictionary<string, object?> Vars(PSCredential? credential = null, string? to = null) =>
            new Dictionary<string, object?> { ["cred"] = credential ?? Pair(), ["to"] = to };

        [Fact]
        public void Send_csv_shaped_rows_to_phones_and_emails_yields_one_typed_result_per_row_with_channel()
        {
            var before = _m.Sandbox.EngageLab.Deliveries.Count;
            var run = _m.Run(@"
                $rows = @(
                    [pscustomobject]@{ Phone = '+1 323 210 9101'; Otp = '482913'; TemplateId = 'test-template-1' }
                    [pscustomobject]@{ Email = 'alice@example.com'; TemplateId = 'otp-email' }
                    [pscustomobject]@{ Mobile = '8618701235678'; TemplateId = 'otp-whatsapp-sms' }
                    [pscustomobject]@{ Recipient = '+13232109102'; TemplateId = 'otp-voice' }
                )
                $rows | Send-OtpCode -Provider EngageLab -Credential $cred -ThrottleLimit 1", Vars());

            Assert.Empty(run.Errors);
            var results = run.Objects<OtpSendResult>().OrderBy(r => r.Position).ToList();
            Assert.Equal(new[] { 1, 2, 3, 4 }, results.Select(r => r.Position));
            Assert.All(results, r => Assert.True(r.Success));
            Assert.Equal(new[] { "+13232109101", "alice@example.com", "+8618701235678", "+13232109102" }, results.Select(r => r.Destination));
            Assert.Equal(new[] { "+1 323 210 9101", "alice@example.com", "8618701235678", "+13232109102" }, results.Select(r => r.Recipient));
            Assert.Equal(new[] { "sms", "email", "whatsapp", "voice" }, results.Select(r => r.Channel));
            Assert.All(results, r => Assert.Equal("EngageLab", r.ProviderType));

            var delivered = _m.Sandbox.EngageLab.Deliveries.Skip(before).ToList();
            Assert.Equal(results.Select(r => r.MessageId), delivered.Select(d => d.MessageId));
            Assert.Equal(new[] { "test-template-1", "otp-email", "otp-whatsapp-sms", "otp-voice" }, delivered.Select(d => d.TemplateId));
            // With -Code: the caller's code through /v1/codes. Without: EngageLab generates one (/v1/messages).
            Assert.Equal("482913", delivered[0].Code);
            Assert.False(delivered[0].Generated);
            Assert.Empty(delivered[0].Params);
            Assert.True(delivered[1].Generated);
            Assert.Matches(@"^\d{6}$", delivered[1].Code);
            Assert.Empty(delivered[1].Params);
            Assert.All(delivered, d => Assert.Equal("default", d.Language));
        }

        [Fact]
        public void Send_with_language_template_parameters_and_sender_fills_template_language_params_and_from_id()
        {
            var before = _m.Sandbox.EngageLab.Deliveries.Count;
            var run = _m.Run(@"Send-OtpCode -Provider EngageLab -Credential $cred -To +13232109103 -TemplateId test-template-1 `
                -Language en -Code 5150 -Sender 12345 -TemplateParameter @{ name = 'Bob'; minutes = 5 }", Vars());

            Assert.Empty(run.Errors);
            Assert.True(Assert.Single(run.Objects<OtpSendResult>()).Success);
            var d = Assert.Single(_m.Sandbox.EngageLab.Deliveries.Skip(before));
            Assert.Equal("en", d.Language);
            Assert.Equal(new Dictionary<string, string> { ["name"] = "Bob", ["minutes"] = "5", ["from_id"] = "12345" }, d.Params);
            Assert.Equal("5150", d.Code);
        }

        public static IEnumerable<object?[]> ProviderFailures() => new[]
        {
            new object?[] { "+13232109110", "-TemplateId test-template-1", Pair(secret: "wrong-secret"), "2001", "EngageLab.AuthenticationFailed", ErrorCategory.AuthenticationError, "incorrect" },
            new object?[] { "+13232109111", "-TemplateId test-template-1", Pair(SandboxKeys.EngageLabDisabledDevKey), "2002", "EngageLab.KeyExpiredOrDisabled", ErrorCategory.AuthenticationError, "disabled" },
            new object?[] { "+13232109112", "-TemplateId test-template-1", Pair(SandboxKeys.EngageLabNoPermissionDevKey), "2004", "EngageLab.PermissionDenied", ErrorCategory.PermissionDenied, "permission" },
            new object?[] { "+13232109113", "-TemplateId " + EngageLabScenarios.ForceInvalidJson, Pair(), "3001", "EngageLab.InvalidJson", ErrorCategory.InvalidData, "format" },
            new object?[] { "+13232109114", "-TemplateId " + EngageLabScenarios.ForceInvalidParameter, Pair(), "3002", "EngageLab.InvalidParameter", ErrorCategory.InvalidArgument, "parameters" },
            new object?[] { "+13232109115", "-TemplateId test-template-1 -Language ja", Pair(), "3003", "EngageLab.ValidationFailed", ErrorCategory.InvalidArgument, "'ja'" },
            new object?[] { "bob@example.com", "-TemplateId test-template-1", Pair(), "3003", "EngageLab.ValidationFailed", ErrorCategory.InvalidArgument, "email" },
            new object?[] { "+13232109116", "-TemplateId " + EngageLabScenarios.MissingTemplate, Pair(), "4001", "EngageLab.ResourceNotFound", ErrorCategory.ObjectNotFound, "does not exist" },
            new object?[] { EngageLabScenarios.InternalError, "-TemplateId test-template-1", Pair(), "1000", "EngageLab.InternalError", ErrorCategory.ResourceUnavailable, "internal" },
            new object?[] { EngageLabScenarios.DispatchFails, "-TemplateId test-template-1", Pair(), "5001", "EngageLab.DispatchFailed", ErrorCategory.InvalidOperation, "sms send fail" },
        };

        [Theory]
        [MemberData(nameof(ProviderFailures))]
        public void Send_that_engagelab_refuses_yields_failed_result_and_non_terminating_error(
            string to, string arguments, PSCredential credential, string code, string errorId, ErrorCategory category, string text)
        {
            var run = _m.Run($"Send-OtpCode -Provider EngageLab -To $to {arguments} -Credential $cred\n'still running'", Vars(credential, to));

            Assert.Null(run.Terminating);
            var result = Assert.Single(run.Objects<OtpSendResult>());
            Assert.False(result.Success);
            Assert.Equal(code, result.ErrorCode);
            Assert.Equal(errorId, result.ErrorId);
            Assert.Equal(1, result.Attempts);
            var error = Assert.Single(run.Errors);
            Assert.Equal(errorId + ",OtpTools.SendOtpCodeCommand", error.FullyQualifiedErrorId);
            Assert.Equal(category, error.CategoryInfo.Category);
            Assert.Equal(to, error.TargetObject);
            Assert.Contains("EngageLab error " + code, error.ToString());
            Assert.Contains(text, error.ToString(), StringComparison.OrdinalIgnoreCase);
            Assert.Equal("still running", run.Output.Last().BaseObject);
        }

        [Fact]
        public void Resend_of_same_template_to_same_recipient_within_validity_yields_frequency_limit_explained()
        {
            var run = _m.Run(@"'carol@example.com', 'carol@example.com' |
                Send-OtpCode -Provider EngageLab -TemplateId otp-email -Credential $cred -ThrottleLimit 1 -ErrorVariable failures
                $failures[0].ErrorDetails.RecommendedAction", Vars());

            var results = run.Objects<OtpSendResult>().OrderBy(r => r.Position).ToList();
            Assert.True(results[0].Success);
            var limited = results[1];
            Assert.Equal("EngageLab.FrequencyLimit", limited.ErrorId);
            Assert.Equal("3004", limited.ErrorCode);
            Assert.Contains("already sent to this recipient", limited.ErrorMessage);
            Assert.Contains("validity period", limited.ErrorMessage);
            var error = Assert.Single(run.Errors);
            Assert.Equal(ErrorCategory.LimitsExceeded, error.CategoryInfo.Category);
            Assert.Equal("carol@example.com", error.TargetObject);
            Assert.Contains("expired", (string)run.Output.Last().BaseObject);
            // Another recipient of the same template is not limited.
            var other = _m.Run("Send-OtpCode -Provider EngageLab -To erin@example.com -TemplateId otp-email -Credential $cred", Vars());
            Assert.True(Assert.Single(other.Objects<OtpSendResult>()).Success);
        }

        public static IEnumerable<object[]> BadInput() => new[]
        {
            new object[] { "-To +13232109130", "Validation.TemplateIdRequired", "+13232109130", "-TemplateId" },
            new object[] { "-To bob@localhost -TemplateId otp-email", "Validation.InvalidEmail", "bob@localhost", "e-mail" },
            new object[] { "-To +1323 -TemplateId t", "Validation.InvalidPhoneNumber", "+1323", "E.164" },
            new object[] { "-To '' -TemplateId t", "Validation.RecipientRequired", "", "required" },
            new object[] { "-To +13232109130 -TemplateId t -Channel sms", "Validation.UnsupportedParameter", "sms", "EngageLab takes: -Sender, -Language, -TemplateId, -TemplateParameter" },
            new object[] { "-To +13232109130 -TemplateId t -WebhookUrl https://h.example.com", "Validation.UnsupportedParameter", "https://h.example.com", "-WebhookUrl does not apply" },
            new object[] { "-To +13232109130 -TemplateId t -Code 1 -Language fr", "Validation.LanguageNotSupported", "fr", "zh_CN" },
            new object[] { "-To +13232109130 -TemplateId t -Code 1 -TemplateParameter @{ code = '2' }", "Validation.ConflictingTemplateParameter", "***", "'code'" },
            new object[] { "-To +13232109130 -TemplateId t -TemplateParameter @{ name = $null }", "Validation.InvalidTemplateParameter", "name", "no value" },
        };

        [Theory]
        [MemberData(nameof(BadInput))]
        public void Invalid_input_is_rejected_before_any_http_call_naming_parameter_value_and_limit(
            string arguments, string errorId, string offending, string limitText)
        {
            _m.AssertRejectedBeforeHttp("engagelab", $"Send-OtpCode -Provider EngageLab {arguments} -Credential $cred", Vars(), errorId, offending, limitText);
        }

        [Theory]
        [InlineData(OtpTools.Sandbox.FaultKind.HtmlErrorPage, 502)]
        [InlineData(OtpTools.Sandbox.FaultKind.MalformedJson, 200)]
        public void Answer_that_is_not_the_documented_json_yields_a_failure_whose_delivery_is_unknown(OtpTools.Sandbox.FaultKind fault, int status)
        {
            _m.Sandbox.Faults.Inject("engagelab", fault, times: 1);
            try
            {
                var run = _m.Run("Send-OtpCode -Provider EngageLab -To +13232109160 -TemplateId otp-voice -Credential $cred", Vars());
                var result = Assert.Single(run.Objects<OtpSendResult>());
                Assert.Equal(status >= 500 ? "Http.ServerError" : "Http.UnexpectedResponse", result.ErrorId);
                // The send may have been processed before the answer went wrong.
                Assert.Equal("unknown", result.Status);
                Assert.Contains("HTTP " + status, result.ErrorMessage);
                Assert.Equal(ErrorCategory.InvalidResult, Assert.Single(run.Errors).CategoryInfo.Category);
            }
            finally
            {
                _m.Sandbox.Faults.Clear();
            }
        }

        [Fact]
        public void Key_pair_is_read_from_the_environment_variables_when_no_credential_is_given()
        {
            Environment.SetEnvironmentVariable("OTPTOOLS_ENGAGELAB_DEVKEY", SandboxKeys.EngageLabDevKey);
            Environment.SetEnvironmentVariable("OTPTOOLS_ENGAGELAB_DEVSECRET", SandboxKeys.EngageLabDevSecret);
            try
            {
                var run = _m.Run("Send-OtpCode -Provider EngageLab -To dave@example.com -TemplateId otp-email");
                Assert.Empty(run.Errors);
                var result = Assert.Single(run.Objects<OtpSendResult>());
                Assert.True(result.Success);
                Assert.Equal("email", result.Channel);
            }
            finally
            {
                Environment.SetEnvironmentVariable("OTPTOOLS_ENGAGELAB_DEVKEY", null);
                Environment.SetEnvironmentVariable("OTPTOOLS_ENGAGELAB_DEVSECRET", null);
            }
        }

        [Fact]
        public void Missing_key_pair_is_a_terminating_error_that_says_how_to_provide_one()
        {
            var before = _m.Sandbox.RequestCount("engagelab");
            var terminating = _m.RunTerminating("Send-OtpCode -Provider EngageLab -To +13232109140 -TemplateId t");
            Assert.Equal(before, _m.Sandbox.RequestCount("engagelab"));
            Assert.Equal("Credential.NotFound,OtpTools.SendOtpCodeCommand", terminating.FullyQualifiedErrorId);
            Assert.Contains("OTPTOOLS_ENGAGELAB_DEVKEY", terminating.ToString());
            Assert.Contains("-Credential", terminating.ToString());
        }

        [Fact]
        public void Channel_tab_completion_offers_nothing_for_engagelab()
        {
            var run = _m.Run("(TabExpansion2 -inputScript $in -cursorColumn $in.Length).CompletionMatches.Count",
                new Dictionary<string, object?> { ["in"] = "Send-OtpCode -Provider EngageLab -Channel wh" });
            Assert.Equal(0, run.Output.Single().BaseObject);
        }

        [Fact]
        public void Verbose_and_debug_show_the_call_but_never_the_key_pair_or_code()
        {
            var run = _m.Run(@"Send-OtpCode -Provider EngageLab -To +13232109150 -TemplateId test-template-1 -Code 771234 `
                -Credential $cred -Verbose -Debug -Confirm:$false", Vars());
            var line = Assert.Single(run.Verbose, v => v.Contains("/v1/codes"));
            Assert.Matches(@"^EngageLab POST http://127\.0\.0\.1:\d+/engagelab/v1/codes -> 200 OK in \d+ ms, retry 0$", line);
            Assert.Contains(run.Debug, d => d.Contains("request body") && d.Contains("\"code\":\"***\""));
            var text = run.AllText();
            Assert.DoesNotContain(SandboxKeys.EngageLabDevSecret, text);
            Assert.DoesNotContain(SandboxKeys.EngageLabDevKey, text);
            Assert.DoesNotContain("771234", string.Join("\n", run.Verbose.Concat(run.Debug)));
        }
    }
}
