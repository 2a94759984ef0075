using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OtpTools.Sandbox;
using OtpTools.Sandbox.Providers.Otpiq;
using Xunit;

namespace OtpTools.Module.Tests
{
    [Collection(ModuleCollection.Name)]
    public sealed class OtpiqSendTests
    {
        private readonly ModuleFixture _m;
        public OtpiqSendTests(ModuleFixture fixture) => _m = fixture;

        private static Dictionary<string, object?> Key(string key = SandboxKeys.Otpiq, string? to = null) =>
            new Dictionary<string, object?> { ["key"] = ModuleFixture.Secure(key), ["to"] = to };

        [Fact]
        public void Secret_options_are_SecureStrings_as_on_every_other_cmdlet_and_a_plain_string_is_refused_before_any_call()
        {
            var types = _m.Run("$c = Get-Command Send-OtpCode; foreach ($n in 'WebhookSecret', 'StatusCallbackHeader') { $c.Parameters[$n].ParameterType.FullName }");
            Assert.Equal(new[] { "System.Security.SecureString", "System.Security.SecureString" }, types.Output.Select(o => o.ToString()));
            var before = _m.Sandbox.TotalRequests;
            var error = _m.RunTerminating("Send-OtpCode -Provider Otpiq -ApiKey $key -To 9647501234551 -Code 1 -WebhookUrl https://hooks.example.com/otpiq -WebhookSecret 'plain-text'", Key());
            Assert.Contains("SecureString", error.ToString());
            Assert.Equal(before, _m.Sandbox.TotalRequests);
        }

        [Fact]
        public void Send_csv_shaped_rows_yields_one_typed_result_per_row_with_E164_destination_cost_and_credit()
        {
            var before = _m.Sandbox.Otpiq.Deliveries.Count;
            var run = _m.Run(@"
                $rows = @(
                    [pscustomobject]@{ Phone = '+964 750 123 4510'; Otp = '111222' }
                    [pscustomobject]@{ PhoneNumber = '9647501234511'; VerificationCode = '333444'; SenderId = 'Contoso' }
                    [pscustomobject]@{ Mobile = '009647501234512'; Code = '12345678901234567890' }
                    [pscustomobject]@{ Recipient = '+13232000003'; Code = '5' }
                )
                $rows | Send-OtpCode -Provider Otpiq -ApiKey $key -ThrottleLimit 1", Key());

            Assert.Empty(run.Errors);
            var results = run.Objects<OtpSendResult>().OrderBy(r => r.Position).ToList();
            Assert.Equal(new[] { 1, 2, 3, 4 }, results.Select(r => r.Position));
            Assert.All(results, r => Assert.True(r.Success));
            Assert.Equal(new[] { "+9647501234510", "+9647501234511", "+9647501234512", "+13232000003" }, results.Select(r => r.Destination));
            Assert.Equal(new[] { "+964 750 123 4510", "9647501234511", "009647501234512", "+13232000003" }, results.Select(r => r.Recipient));
            Assert.All(results, r => Assert.Equal("IQD", r.Currency));
            Assert.All(results, r => Assert.Equal(200m, r.Cost));
            // The channel asked for; the one used is OTPIQ's to say later (Get-OtpDeliveryStatus, its reports).
            Assert.All(results, r => Assert.Equal("auto", r.RequestedChannel));
            Assert.All(results, r => Assert.Null(r.Channel));
            Assert.All(results, r => Assert.Equal("prepaid", r.PaymentType));
            Assert.All(results, r => Assert.Equal(true, r.CanCover));
            for (var i = 1; i < results.Count; i++) Assert.Equal(results[i - 1].RemainingCredit - 200m, results[i].RemainingCredit);
            Assert.Equal(_m.Sandbox.Otpiq.Credit, results.Last().RemainingCredit);

            var delivered = _m.Sandbox.Otpiq.Deliveries.Skip(before).ToList();
            Assert.Equal(results.Select(r => r.MessageId), delivered.Select(d => d.SmsId));
            // OTPIQ is sent digits alone (its document's form); the receipt writes them E.164, as every provider's does.
            Assert.Equal(results.Select(r => r.Destination), delivered.Select(d => "+" + d.PhoneNumber));
            Assert.Equal(new[] { "111222", "333444", "12345678901234567890", "5" }, delivered.Select(d => d.VerificationCode));
            Assert.Equal("Contoso", delivered[1].SenderId);
            Assert.Null(delivered[0].SenderId);
        }

        [Fact]
        public void Send_with_channel_custom_whatsapp_sender_and_delivery_report_passes_every_field()
        {
            var before = _m.Sandbox.Otpiq.Deliveries.Count;
            var run = _m.Run(@"Send-OtpCode -Provider Otpiq -To 9647501234513 -Code 4242 -ApiKey $key -Channel WhatsApp-SMS `
                -WhatsappAccountId 68c46fecc509cdcec8fb3ef2 -WhatsappPhoneId 68da31fb518ac3db3eb0a0f4 -TemplateName verification_template `
                -WebhookUrl https://hooks.example.com/otpiq -DeliveryReportType final -WebhookSecret (ConvertTo-SecureString 'hook-secret-8812' -AsPlainText -Force)", Key());

            Assert.Empty(run.Errors);
            var result = Assert.Single(run.Objects<OtpSendResult>());
            Assert.Equal("whatsapp-sms", result.RequestedChannel);
            var d = Assert.Single(_m.Sandbox.Otpiq.Deliveries.Skip(before));
            Assert.Equal("whatsapp-sms", d.Provider);
            Assert.Equal("68c46fecc509cdcec8fb3ef2", d.WhatsappAccountId);
            Assert.Equal("68da31fb518ac3db3eb0a0f4", d.WhatsappPhoneId);
            Assert.Equal("verification_template", d.TemplateName);
            Assert.Equal("https://hooks.example.com/otpiq", d.WebhookUrl);
            Assert.Equal("final", d.DeliveryReportType);
            Assert.Equal("hook-secret-8812", d.WebhookSecret);
        }

        [Fact]
        public void Send_until_credit_runs_out_yields_decreasing_credit_then_insufficient_credit_failure()
        {
            _m.Sandbox.Otpiq.Credit = 500m;
            try
            {
                var run = _m.Run(@"'9647501234520', '9647501234521', '9647501234522', '9647501234523' |
                    Send-OtpCode -Provider Otpiq -Code 77 -ApiKey $key -ThrottleLimit 1 -ErrorVariable failures -ErrorAction SilentlyContinue
                    'errors:' + $failures.Count", Key());

                var results = run.Objects<OtpSendResult>().OrderBy(r => r.Position).ToList();
                Assert.Equal(new decimal?[] { 300m, 100m, null, null }, results.Select(r => r.RemainingCredit));
                Assert.Equal(new[] { true, true, false, false }, results.Select(r => r.Success));
                foreach (var failed in results.Skip(2))
                {
                    Assert.Equal("Otpiq.InsufficientCredit", failed.ErrorId);
                    Assert.Equal("400", failed.ErrorCode);
                    Assert.Contains("100 IQD", failed.ErrorMessage);
                    Assert.Contains("200 IQD", failed.ErrorMessage);
                }
                Assert.Equal("errors:2", run.Output.Last().BaseObject);
                var error = _m.Run("Send-OtpCode -Provider Otpiq -To 9647501234524 -Code 1 -ApiKey $key", Key()).Errors.Single();
                Assert.Equal("Otpiq.InsufficientCredit,OtpTools.SendOtpCodeCommand", error.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.QuotaExceeded, error.CategoryInfo.Category);
                Assert.Equal("9647501234524", error.TargetObject);
                Assert.Equal(100m, _m.Sandbox.Otpiq.Credit);
            }
            finally
            {
                _m.Sandbox.Otpiq.Credit = OtpiqSandbox.DefaultCredit;
            }
        }

        [Fact]
        public void Eleventh_send_to_one_number_within_ten_minutes_yields_rate_limited_failure_saying_when_to_retry()
        {
            var now = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
            _m.Sandbox.Otpiq.Clock = () => now;
            try
            {
                var run = _m.Run(@"1..11 | ForEach-Object { [pscustomobject]@{ Phone = '9647501234530'; Code = ""$_"" } } |
                    Send-OtpCode -Provider Otpiq -ApiKey $key -ThrottleLimit 1 -ErrorVariable failures
                    $failures[0].Exception.RetryAfter.TotalMinutes", Key());

                var results = run.Objects<OtpSendResult>().OrderBy(r => r.Position).ToList();
                Assert.Equal(11, results.Count);
                Assert.All(results.Take(10), r => Assert.True(r.Success));
                var limited = results[10];
                Assert.False(limited.Success);
                Assert.Equal("Otpiq.RateLimited", limited.ErrorId);
                Assert.Equal("429", limited.ErrorCode);
                Assert.Contains("try again in 10 minute(s)", limited.ErrorMessage);
                Assert.Contains("10 requests per phone number every 10 minutes", limited.ErrorMessage);
                Assert.Equal(10.0, run.Output.Last().BaseObject);
                var error = Assert.Single(run.Errors);
                Assert.Equal(ErrorCategory.LimitsExceeded, error.CategoryInfo.Category);
                Assert.Contains("10 minute", error.ErrorDetails.RecommendedAction);

                now = now.AddMinutes(10).AddSeconds(1);
                var later = _m.Run("Send-OtpCode -Provider Otpiq -To 9647501234530 -Code 12 -ApiKey $key", Key());
                Assert.True(Assert.Single(later.Objects<OtpSendResult>()).Success);
            }
            finally
            {
                _m.Sandbox.Otpiq.Clock = () => DateTimeOffset.UtcNow;
            }
        }

        public static IEnumerable<object?[]> ProviderFailures() => new[]
        {
            new object?[] { "9647501234540", "-Code 1", "not-the-key", "401", "Otpiq.Unauthorized", ErrorCategory.AuthenticationError },
            new object?[] { OtpiqScenarios.ServerError, "-Code 1", SandboxKeys.Otpiq, "500", "Otpiq.ServerError", ErrorCategory.ResourceUnavailable },
            new object?[] { "9647501234541", "-Code 1 -Sender " + OtpiqScenarios.UnapprovedSender, SandboxKeys.Otpiq, "400", "Otpiq.ValidationError", ErrorCategory.InvalidArgument },
        };

        [Theory]
        [MemberData(nameof(ProviderFailures))]
        public void Send_that_otpiq_refuses_yields_failed_result_and_non_terminating_error(
            string to, string arguments, string key, string status, string errorId, ErrorCategory category)
        {
            var run = _m.Run($"Send-OtpCode -Provider Otpiq -To $to {arguments} -ApiKey $key\n'still running'", Key(key, to));

            Assert.Null(run.Terminating);
            var result = Assert.Single(run.Objects<OtpSendResult>());
            Assert.False(result.Success);
            Assert.Equal(status, result.ErrorCode);
            Assert.Equal(errorId, result.ErrorId);
            Assert.Equal(1, result.Attempts);
            Assert.Equal("+" + to.TrimStart('+'), result.Destination);
            var error = Assert.Single(run.Errors);
            Assert.Equal(errorId + ",OtpTools.SendOtpCodeCommand", error.FullyQualifiedErrorId);
            Assert.Equal(category, error.CategoryInfo.Category);
            Assert.Equal(to, error.TargetObject);
            Assert.Contains("HTTP " + status, error.ToString());
            Assert.Equal("still running", run.Output.Last().BaseObject);
        }

        public static IEnumerable<object[]> BadInput() => new[]
        {
            new object[] { "-To 9647501234550 -Code 123456789012345678901", "Validation.CodeTooLong", "123456789012345678901", "1 to 20" },
            new object[] { "-To 9647501234550 -Code ''", "Validation.CodeRequired", "", "required" },
            new object[] { "-To 9647501234550 -Code 1 -Sender ABCDEFGHIJKL", "Validation.SenderTooLong", "ABCDEFGHIJKL", "at most 11" },
            new object[] { "-To 9647501234550 -Code 1 -Channel fax", "Validation.ChannelNotSupported", "fax", "whatsapp-telegram-sms" },
            new object[] { "-To 9647501234550 -Code 1 -WebhookUrl http://hooks.example.com/x", "Validation.InvalidWebhookUrl", "http://hooks.example.com/x", "https" },
            new object[] { "-To 9647501234550 -Code 1 -WebhookUrl https://hooks.example.com/x -DeliveryReportType some", "Validation.DeliveryReportTypeNotSupported", "some", "all, final" },
            new object[] { "-To 9647501234550 -Code 1 -DeliveryReportType all", "Validation.DeliveryReportWithoutWebhookUrl", "all", "-WebhookUrl" },
            new object[] { "-To 9647501234550 -Code 1 -WebhookSecret (ConvertTo-SecureString 's3cr3t-value' -AsPlainText -Force)", "Validation.DeliveryReportWithoutWebhookUrl", "***", "-WebhookUrl" },
            new object[] { "-To 9647501234550 -Code 1 -Language ar", "Validation.UnsupportedParameter", "ar", "-Language" },
            new object[] { "-To 9647501234550 -Code 1 -TemplateId t1", "Validation.UnsupportedParameter", "t1", "-Channel" },
            new object[] { "-To 9647501234550 -Code 1 -StatusCallback https://x.example.com", "Validation.UnsupportedParameter", "https://x.example.com", "-StatusCallback" },
            // The document's own example number has a digit too few for an Iraqi mobile.
            new object[] { "-To 964750123456 -Code 1", "Validation.InvalidPhoneNumber", "964750123456", "E.164" },
            new object[] { "-To +442071234567 -Code 1", "Validation.NotMobileNumber", "+442071234567", "mobile" },
            new object[] { "-To '' -Code 1", "Validation.RecipientRequired", "", "required" },
        };

        [Theory]
        [MemberData(nameof(BadInput))]
        public void Invalid_input_is_rejected_before_any_http_call_naming_parameter_value_and_limit(
            string arguments, string errorId, string offending, string limitText)
        {
            var run = _m.AssertRejectedBeforeHttp("otpiq", $"Send-OtpCode -Provider Otpiq {arguments} -ApiKey $key", Key(), errorId, offending, limitText);
            Assert.DoesNotContain("s3cr3t-value", run.AllText());
        }

        [Theory]
        [InlineData("Send-OtpCode -Provider Otpiq -Channel wh", "whatsapp|whatsapp-sms|whatsapp-telegram-sms")]
        [InlineData("Send-OtpCode -Provider Otpiq -Channel ", "auto|sms|telegram|telegram-sms|whatsapp|whatsapp-sms|whatsapp-telegram-sms")]
        [InlineData("Send-OtpCode -Provider Otpiq -DeliveryReportType f", "final")]
        public void Tab_completion_offers_the_documented_values(string input, string expected)
        {
            var run = _m.Run("(TabExpansion2 -inputScript $in -cursorColumn $in.Length).CompletionMatches.CompletionText -join '|'",
                new Dictionary<string, object?> { ["in"] = input });
            Assert.Empty(run.Errors);
            Assert.Equal(expected, run.Output.Single().BaseObject);
        }

        [Theory]
        [InlineData(FaultKind.HtmlErrorPage, 502)]
        [InlineData(FaultKind.MalformedJson, 200)]
        [InlineData(FaultKind.ServerError, 500)]
        public void Answer_that_is_not_the_documented_json_yields_a_failure_whose_delivery_is_unknown(FaultKind fault, int status)
        {
            _m.Sandbox.Faults.Inject("otpiq", fault, times: 1);
            try
            {
                var run = _m.Run("Send-OtpCode -Provider Otpiq -To 9647501234570 -Code 1 -ApiKey $key", Key());
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
        public void Api_key_is_read_from_the_environment_variable_when_not_given()
        {
            Environment.SetEnvironmentVariable("OTPTOOLS_OTPIQ_APIKEY", SandboxKeys.Otpiq);
            try
            {
                var run = _m.Run("Send-OtpCode -Provider Otpiq -To 9647501234560 -Code 9");
                Assert.Empty(run.Errors);
                Assert.True(Assert.Single(run.Objects<OtpSendResult>()).Success);
            }
            finally
            {
                Environment.SetEnvironmentVariable("OTPTOOLS_OTPIQ_APIKEY", null);
            }
        }

        [Fact]
        public void Verbose_and_debug_show_the_call_but_never_the_key_code_or_webhook_secret()
        {
            var run = _m.Run(@"Send-OtpCode -Provider Otpiq -To 9647501234561 -Code 918273 -ApiKey $key -WebhookUrl https://h.example.com `
                -WebhookSecret (ConvertTo-SecureString 'whsec-55f1e2' -AsPlainText -Force) -Verbose -Debug -Confirm:$false", Key());
            var line = Assert.Single(run.Verbose, v => v.Contains("/api/sms"));
            Assert.Matches(@"^Otpiq POST http://127\.0\.0\.1:\d+/otpiq/api/sms -> 200 OK in \d+ ms, retry 0$", line);
            Assert.Contains(run.Debug, d => d.Contains("request body") && d.Contains("\"verificationCode\":\"***\""));
            Assert.Contains(run.Debug, d => d.Contains("\"phoneNumber\":\"9647501234561\""));
            var text = run.AllText();
            Assert.DoesNotContain(SandboxKeys.Otpiq, text);
            Assert.DoesNotContain("whsec-55f1e2", text);
            Assert.DoesNotContain("918273", string.Join("\n", run.Verbose.Concat(run.Debug)));
        }
    }
}
