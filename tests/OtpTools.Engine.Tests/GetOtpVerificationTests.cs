using System;
using System.Collections;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OtpTools.Engine.Providers;
using OtpTools.Engine.Providers.GetOtp;
using OtpTools.Sandbox;
using OtpTools.Sandbox.Providers.GetOtp;
using Xunit;

namespace OtpTools.Engine.Tests
{
    /// <summary>GetOTP's verifications through the engine's client against the sandbox: send by each channel, and check.</summary>
    public sealed class GetOtpVerificationTests : IClassFixture<GetOtpSandboxFixture>
    {
        private readonly GetOtpSandboxFixture _f;
        public GetOtpVerificationTests(GetOtpSandboxFixture fixture) => _f = fixture;

        private static OtpSendRequest Request(string to, string? code, params (string Name, object Value)[] options)
        {
            var request = new OtpSendRequest { Position = 1, To = to, Code = code };
            foreach (var (name, value) in options)
            {
                if (name == "Sender") request.Sender = (string)value;
                else if (name == "Language") request.Language = (string)value;
                else request.Options[name] = value;
            }
            return request;
        }

        private static (string, object)[] Sms => new (string, object)[] { ("Channel", "sms"), ("Sender", "GetOTP"), ("TemplateId", GetOtpScenarios.Template) };

        private async Task<OtpSendResult> SendAsync(OtpSendRequest request, string key = SandboxKeys.GetOtp)
        {
            var client = _f.Client(key);
            return await client.SendAsync(client.Prepare(request), CancellationToken.None);
        }

        public static TheoryData<string?, string, string, string> BadSends() => new TheoryData<string?, string, string, string>
        {
            // code, options (name=value;...), ErrorId, the parameter it names
            { "1234", "", "Validation.ChannelRequired", "Channel" },
            { "1234", "Channel=whatsapp", "Validation.ChannelNotSupported", "Channel" },
            { "1234", "Channel=sms;TemplateId=" + GetOtpScenarios.Template, "Validation.SenderRequired", "Sender" },
            { "1234", "Channel=sms;Sender=GetOTP", "Validation.TemplateIdRequired", "TemplateId" },
            { "1234", "Channel=viber;Sender=GetOTP;TemplateId=not-a-uuid", "Validation.InvalidTemplateId", "TemplateId" },
            { "1234", "Channel=telegram;Sender=GetOTP", "Validation.ParameterNotForChannel", "Sender" },
            { "1234", "Channel=telegram;CodeLength=6", "Validation.CodeAndCodeLength", "CodeLength" },
            { null, "Channel=telegram", "Validation.CodeOrCodeLengthRequired", "Code" },
            { "123", "Channel=telegram", "Validation.InvalidCode", "Code" },
            { "123456789", "Channel=telegram", "Validation.InvalidCode", "Code" },
            { "12a4", "Channel=telegram", "Validation.InvalidCode", "Code" },
            { "١٢٣٤", "Channel=telegram", "Validation.InvalidCode", "Code" },          // Arabic-Indic digits are not 0-9
            { "1234567", "Channel=voice;VoiceType=tts", "Validation.InvalidCode", "Code" }, // voice: 4-6
            { null, "Channel=voice;VoiceType=tts;CodeLength=7", "Validation.CodeLengthOutOfRange", "CodeLength" },
            { null, "Channel=telegram;CodeLength=3", "Validation.CodeLengthOutOfRange", "CodeLength" },
            { null, "Channel=telegram;CodeLength=six", "Validation.CodeLengthOutOfRange", "CodeLength" },
            { "1234", "Channel=voice", "Validation.VoiceTypeRequired", "VoiceType" },
            { "1234", "Channel=voice;VoiceType=sms", "Validation.VoiceTypeNotSupported", "VoiceType" },
            { "1234", "Channel=voice;VoiceType=flash;RingingDuration=11", "Validation.RingingDurationOutOfRange", "RingingDuration" },
            { "1234", "Channel=voice;VoiceType=tts;RingingDuration=8", "Validation.ParameterNotForChannel", "RingingDuration" },
            { "1234", "Channel=voice;VoiceType=flash;Language=EN", "Validation.ParameterNotForChannel", "Language" },
            { "1234", "Channel=voice;VoiceType=tts;Language=XX", "Validation.LanguageNotSupported", "Language" },
            { "1234", "Channel=telegram;TimeToLive=59", "Validation.TimeToLiveOutOfRange", "TimeToLive" },
            { "1234", "Channel=telegram;TimeToLive=86401", "Validation.TimeToLiveOutOfRange", "TimeToLive" },
            { "1234", "Channel=sms;Sender=GetOTP;TemplateId=" + GetOtpScenarios.Template + ";TimeToLive=60", "Validation.ParameterNotForChannel", "TimeToLive" },
            { "1234", "Channel=sms;Sender=GetOTP;TemplateId=" + GetOtpScenarios.Template + ";NumberFormatting=true", "Validation.ParameterNotForChannel", "NumberFormatting" },
            { "1234", "Channel=telegram;NumberFormatting=yes", "Validation.InvalidNumberFormatting", "NumberFormatting" },
            { "1234", "Channel=telegram;Payload=" + "x\u001b[31m", "Validation.InvalidCharacters", "Payload" },
        };

        [Theory]
        [MemberData(nameof(BadSends))]
        public void Every_documented_limit_is_checked_before_any_http_call_naming_the_parameter_and_value(string? code, string options, string errorId, string parameter)
        {
            var pairs = options.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(o => o.Split('=', 2)).Select(p => (p[0], (object)p[1])).ToArray();
            var before = _f.Sandbox.RequestCount("getotp");
            var error = Assert.Throws<OtpException>(() => _f.Client().Prepare(Request("+61412345678", code, pairs)));
            Assert.Equal(errorId, error.ErrorId);
            Assert.Equal(OtpErrorCategory.InvalidArgument, error.Category);
            Assert.Equal(parameter, error.ParameterName);
            Assert.Contains("-" + parameter, error.Message);
            Assert.Equal(before, _f.Sandbox.RequestCount("getotp"));
        }

        [Fact]
        public void A_payload_over_500_characters_is_refused_before_any_call_whether_text_or_a_table()
        {
            Assert.Equal("Validation.PayloadTooLong", Assert.Throws<OtpException>(() =>
                _f.Client().Prepare(Request("+61412345678", "1234", ("Channel", "telegram"), ("Payload", new string('x', 501))))).ErrorId);
            var table = new Hashtable { ["note"] = new string('y', 490) };
            var error = Assert.Throws<OtpException>(() => _f.Client().Prepare(Request("+61412345678", "1234", ("Channel", "telegram"), ("Payload", table))));
            Assert.Equal("Validation.PayloadTooLong", error.ErrorId);
            Assert.Contains("as JSON", error.Message);
        }

        [Fact]
        public async Task An_sms_send_posts_the_documented_envelope_and_the_receipt_carries_id_destination_channel_and_dates()
        {
            var receipt = await SendAsync(Request("+61 412 345 678", "482913", Sms));
            Assert.True(receipt.Success);
            Assert.Equal("sent", receipt.Status);
            var sent = _f.Sandbox.GetOtp.Verifications.Single(v => v.MessageId == receipt.MessageId);
            Assert.Equal("61412345678", sent.Phone);
            Assert.Equal("482913", sent.Code);
            Assert.Equal("sms", sent.Channel);
            Assert.Equal("+61412345678", receipt.Destination);
            Assert.Equal("sms", receipt.Channel);
            Assert.Equal("sms", receipt.RequestedChannel);
            Assert.NotNull(receipt.CreatedAt);
            Assert.Equal(sent.Expires, receipt.ExpiresAt!.Value.UtcDateTime, TimeSpan.FromMilliseconds(1));
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", receipt.ExpiresAtUtc);
        }

        [Theory]
        [InlineData("viber", "Sender=GetOTP;TemplateId=" + GetOtpScenarios.Template + ";NumberFormatting=false")]
        [InlineData("voice", "VoiceType=tts;Language=fr")]
        [InlineData("voice", "VoiceType=flash;RingingDuration=5")]
        [InlineData("telegram", "TimeToLive=86400;NumberFormatting=TRUE")]
        public async Task Each_channel_sends_with_its_own_options_and_GetOtp_generates_a_code_of_the_length_asked(string channel, string options)
        {
            var pairs = ("Channel=" + channel + ";" + options + ";CodeLength=6").Split(';').Select(o => o.Split('=', 2)).Select(p => (p[0], (object)p[1])).ToArray();
            var receipt = await SendAsync(Request("+61412345678", null, pairs));
            Assert.True(receipt.Success, receipt.ErrorMessage);
            Assert.Contains("Confirm-OtpCode", receipt.Message);
            var sent = _f.Sandbox.GetOtp.Verifications.Single(v => v.MessageId == receipt.MessageId);
            Assert.Equal(channel, sent.Channel);
            Assert.Matches("^[0-9]{6}$", sent.Code);
            if (channel == "telegram") Assert.Equal(TimeSpan.FromSeconds(86400), sent.Expires - sent.Created);
        }

        [Fact]
        public async Task A_payload_table_goes_as_a_JSON_string()
        {
            var payload = new System.Collections.Specialized.OrderedDictionary { ["order_id"] = "xfdu48", ["agent_id"] = 2258, ["tags"] = new object[] { "a", true } };
            var receipt = await SendAsync(Request("+61412345678", "1234", ("Channel", "telegram"), ("Payload", payload)));
            var sent = _f.Sandbox.GetOtp.Verifications.Single(v => v.MessageId == receipt.MessageId);
            Assert.Equal("{\"order_id\":\"xfdu48\",\"agent_id\":2258,\"tags\":[\"a\",true]}", sent.Payload);
        }

        [Fact]
        public async Task An_answer_wrapped_in_data_is_read_as_well_as_the_documented_flat_one()
        {
            _f.Sandbox.GetOtp.WrapSendAnswer = true;
            try
            {
                var receipt = await SendAsync(Request("+61412345678", "1234", ("Channel", "telegram")));
                Assert.True(receipt.Success);
                Assert.Contains(_f.Sandbox.GetOtp.Verifications, v => v.MessageId == receipt.MessageId);
                Assert.NotNull(receipt.ExpiresAt);
            }
            finally
            {
                _f.Sandbox.GetOtp.WrapSendAnswer = false;
            }
        }

        [Theory]
        [InlineData(GetOtpScenarios.MissingTemplate, "GetOtp.TemplateNotFound", "1251", 404)]
        [InlineData(GetOtpScenarios.TemplateWithoutCode, "GetOtp.TemplateWithoutCode", "1624", 400)]
        public async Task A_documented_template_error_has_its_ErrorId_and_proves_nothing_was_sent(string template, string errorId, string code, int status)
        {
            var client = _f.Client();
            var prepared = client.Prepare(Request("+61412345678", "1234", ("Channel", "sms"), ("Sender", "GetOTP"), ("TemplateId", template)));
            var error = await Assert.ThrowsAsync<OtpException>(() => client.SendAsync(prepared, CancellationToken.None));
            Assert.Equal(errorId, error.ErrorId);
            Assert.Equal(code, error.ProviderCode);
            Assert.Equal(status, error.HttpStatus);
            Assert.False(error.MayHaveBeenDelivered);
            Assert.False(error.FailOver);
        }

        [Fact]
        public async Task Code_1629_both_code_and_length_is_the_sandbox_answer_and_maps_to_its_ErrorId()
        {
            // The client never sends both; a raw request proves the sandbox refuses it and the table names the code.
            var (status, body) = await _f.PostVerificationAsync("{\"data\":{\"channel\":\"telegram\",\"phone\":\"61412345678\",\"code\":\"1234\",\"code_length\":4}}");
            Assert.Equal(400, (int)status);
            Assert.Equal("1629", body.GetProperty("errors")[0].GetProperty("code").GetString());
            Assert.Equal("GetOtp.CodeAndLength", GetOtpErrors.Table["1629"].ErrorId);
        }

        [Fact]
        public async Task A_code_no_document_names_leaves_open_whether_the_send_went_out()
        {
            var error = await Assert.ThrowsAsync<OtpException>(() => SendAsync(Request(GetOtpScenarios.ServerError, "1234", ("Channel", "telegram"))));
            Assert.Equal("GetOtp.Error", error.ErrorId);
            Assert.Equal("1000", error.ProviderCode);
            Assert.True(error.MayHaveBeenDelivered);
        }

        [Fact]
        public async Task A_wrong_key_on_a_send_rejects_the_credential_and_sent_nothing()
        {
            var error = await Assert.ThrowsAsync<OtpException>(() => SendAsync(Request("+61412345678", "1234", ("Channel", "telegram")), "wrong-key"));
            Assert.Equal("GetOtp.Unauthorized", error.ErrorId);
            Assert.True(error.CredentialRejected);
            Assert.False(error.MayHaveBeenDelivered);
        }

        [Theory]
        [InlineData("{\"channel\":\"telegram\",\"phone\":\"61412345678\",\"code\":\"1234\"}")]                            // no envelope
        [InlineData("{\"data\":{\"channel\":\"telegram\",\"phone\":\"+61412345678\",\"code\":\"1234\"}}")]                // + in phone
        [InlineData("{\"data\":{\"channel\":\"SMS\",\"phone\":\"61412345678\",\"code\":\"1234\"}}")]                      // channel case
        [InlineData("{\"data\":{\"channel\":\"telegram\",\"phone\":\"61412345678\"}}")]                                   // no code, no length
        [InlineData("{\"data\":{\"channel\":\"telegram\",\"phone\":\"61412345678\",\"code\":\"1234\",\"sender\":\"X\"}}")] // sender on telegram
        [InlineData("{\"data\":{\"channel\":\"voice\",\"voice_type\":\"tts\",\"phone\":\"61412345678\",\"code\":\"1234567\"}}")]
        [InlineData("{\"data\":{\"channel\":\"telegram\",\"phone\":\"61412345678\",\"code\":\"1234\",\"payload\":{\"a\":1}}}")]
        public async Task The_sandbox_refuses_what_the_pages_do_not_allow(string json)
        {
            var (status, body) = await _f.PostVerificationAsync(json);
            Assert.Equal(400, (int)status);
            Assert.Equal("POST", body.GetProperty("errors")[0].GetProperty("method").GetString());
        }

        private Task<OtpVerificationResult> CheckAsync(string? messageId, string code, string? recipient) =>
            _f.Client().VerifyAsync(new OtpCodeCheck { MessageId = messageId, Code = code, Recipient = recipient }, CancellationToken.None);

        [Fact]
        public async Task A_typed_code_is_verified_only_for_its_own_send_to_its_own_number()
        {
            var to = "+61412345679";
            var receipt = await SendAsync(Request(to, null, ("Channel", "telegram"), ("CodeLength", "6")));
            var code = _f.Sandbox.GetOtp.Verifications.Single(v => v.MessageId == receipt.MessageId).Code;

            var right = await CheckAsync(receipt.MessageId, code, to);
            Assert.True(right.Verified);
            Assert.Equal(receipt.MessageId, right.MessageId);
            Assert.Equal(to, right.Recipient);
            Assert.NotNull(right.CheckedAt);

            var wrong = await CheckAsync(receipt.MessageId, code == "000000" ? "111111" : "000000", to);
            Assert.False(wrong.Verified);
            Assert.Contains("no send of this code", wrong.Reason);

            // The same code sent to the same number by another send does not verify this one.
            var other = await SendAsync(Request(to, code, ("Channel", "telegram")));
            Assert.True((await CheckAsync(other.MessageId, code, to)).Verified);
            var notThis = await CheckAsync("3fa85f64-5717-4562-b3fc-2c963f66afa6", code, to);
            Assert.False(notThis.Verified);
            Assert.Contains("another send", notThis.Reason);

            // Another number with the same code: GetOTP is asked for this number only.
            Assert.False((await CheckAsync(null, code, "+61412345670")).Verified);
        }

        [Fact]
        public async Task An_expired_code_does_not_verify_even_when_GetOtp_still_lists_it()
        {
            _f.Sandbox.GetOtp.CodeLifetime = TimeSpan.Zero;
            try
            {
                var to = "+61412345677";
                var receipt = await SendAsync(Request(to, "7351", Sms));
                var result = await CheckAsync(receipt.MessageId, "7351", to);
                Assert.False(result.Verified);
                Assert.Contains("expired", result.Reason);
            }
            finally
            {
                _f.Sandbox.GetOtp.CodeLifetime = TimeSpan.FromHours(2);
            }
        }

        [Fact]
        public async Task A_check_needs_the_number_and_a_code_that_cannot_match_costs_no_call()
        {
            var before = _f.Sandbox.RequestCount("getotp");
            var error = await Assert.ThrowsAsync<OtpException>(() => CheckAsync("id", "1234", null));
            Assert.Equal("Validation.RecipientRequired", error.ErrorId);
            Assert.Equal("Recipient", error.ParameterName);
            var letters = await CheckAsync(null, "12ab", "+61412345678");
            Assert.False(letters.Verified);
            Assert.Equal(before, _f.Sandbox.RequestCount("getotp"));
        }
    }
}
