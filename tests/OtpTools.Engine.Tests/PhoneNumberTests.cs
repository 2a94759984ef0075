using OtpTools.Engine.Validation;
using Xunit;

namespace OtpTools.Engine.Tests
{
    public sealed class PhoneNumberTests
    {
        [Theory]
        [InlineData("+61 412 345 678", "+61412345678", "61412345678", "AU")]
        [InlineData("0061412345678", "+61412345678", "61412345678", "AU")]
        [InlineData("13232000150", "+13232000150", "13232000150", "US")]
        [InlineData("+1 (323) 200-0150", "+13232000150", "13232000150", "US")]
        [InlineData("+964 750.123/4550", "+9647501234550", "9647501234550", "IQ")]
        [InlineData("\u0669\u0666\u0664\u0667\u0665\u0660\u0661\u0662\u0663\u0664\u0665\u0665\u0660", "+9647501234550", "9647501234550", "IQ")]
        public void A_number_is_parsed_once_and_formatted_for_each_provider(string input, string e164, string digits, string region)
        {
            var phone = PhoneNumber.Parse(input, "To", "Test");
            Assert.Equal(e164, phone.E164);
            Assert.Equal(digits, phone.Digits);
            Assert.Equal(region, phone.RegionCode);
        }

        [Theory]
        [InlineData("9647501234568", "+9647501234568")]
        [InlineData("+61412000148", "+61412000148")]
        [InlineData("alice@example.com", "alice@example.com")]
        [InlineData("+", "+")]
        [InlineData("", "")]
        [InlineData(null, null)]
        [InlineData("+614\u001b]0;x", "+614\u001b]0;x")]
        public void Numbers_the_module_writes_are_E164_with_a_plus_and_anything_else_is_left_alone(string? given, string? written) =>
            Assert.Equal(written, OtpTools.Engine.Validation.PhoneNumber.AsE164(given));

        [Fact]
        public void Webhook_recipients_in_digits_alone_are_written_E164()
        {
            var blue = Assert.Single(new OtpTools.Engine.Providers.OtpBlue.OtpBlueWebhook().Read("{\"message_id\":\"m\",\"contact\":\"61412000148\",\"status\":\"delivered\"}"));
            Assert.Equal("+61412000148", blue.Recipient);
            var lab = Assert.Single(new OtpTools.Engine.Providers.EngageLab.EngageLabWebhook().Read(
                "{\"total\":1,\"rows\":[{\"message_id\":\"m\",\"to\":\"8613800138000\",\"status\":{\"message_status\":\"delivered\"}}]}"));
            Assert.Equal("+8613800138000", lab.Recipient);
        }

        [Fact]
        public void A_number_libphonenumber_calls_fixed_line_or_mobile_is_a_mobile_candidate()
        {
            Assert.True(PhoneNumber.Parse("+14165550199", "To", "Test").MayBeMobile);
            Assert.False(PhoneNumber.Parse("+442071234567", "To", "Test").MayBeMobile);
        }

        [Theory]
        [InlineData("+13231112233")]
        [InlineData("+12")]
        [InlineData("abc")]
        [InlineData("+999123456789")]
        // libphonenumber alone accepts these: it drops text around a number and reads letters as a keypad.
        [InlineData("+61412345678 \U0001F4F1")]
        [InlineData("+61412345678\u200F")]
        [InlineData("+61\u200B412345678")]
        [InlineData("+1-800-FLOWERS")]
        [InlineData("++61412345678")]
        [InlineData("+61 412 345 678 ext. 12")]
        public void Impossible_numbers_are_rejected_with_the_parameter_and_value(string input)
        {
            var error = Assert.Throws<OtpException>(() => PhoneNumber.Parse(input, "To", "Test"));
            Assert.Equal("Validation.InvalidPhoneNumber", error.ErrorId);
            Assert.Equal("To", error.ParameterName);
            Assert.Equal(input, error.TargetValue);
        }

        [Fact]
        public void SkipNumberCheck_accepts_a_range_the_metadata_does_not_know_but_still_needs_E164_length_and_a_country()
        {
            var accepted = OtpTools.Engine.Validation.PhoneNumber.Parse("+44 7700 900123", "To", "OtpBlue", skipRangeCheck: true);
            Assert.Equal("+447700900123", accepted.E164);
            Assert.Equal("447700900123", accepted.Digits);
            Assert.Equal("GB", accepted.RegionCode);
            Assert.True(accepted.MayBeMobile);
            foreach (var still in new[] { "+6141234", "+999123456789", "+61 412 abc", "+4477009001234567" })
                Assert.Equal("Validation.InvalidPhoneNumber",
                    Assert.Throws<OtpException>(() => OtpTools.Engine.Validation.PhoneNumber.Parse(still, "To", "OtpBlue", skipRangeCheck: true)).ErrorId);
        }

        [Theory]
        [InlineData("+447700900123", "GB (+44)", "not in a number range assigned there")]
        [InlineData("+6141234", "AU (+61)", "not in a number range")]
        [InlineData("+1323", "US (+1)", "too few digits")]
        public void A_number_written_in_E164_that_is_not_valid_says_what_is_wrong_rather_than_asking_for_E164(string input, string country, string reason)
        {
            var error = Assert.Throws<OtpException>(() => OtpTools.Engine.Validation.PhoneNumber.Parse(input, "To", "OtpBlue"));
            Assert.Equal("Validation.InvalidPhoneNumber", error.ErrorId);
            Assert.Contains("written in international (E.164) form", error.Message);
            Assert.Contains(country, error.Message);
            Assert.Contains(reason, error.Message);
        }

        [Theory]
        [InlineData(null, "was not given")]
        [InlineData("", "was empty")]
        [InlineData("   ", "was empty")]
        public void A_missing_recipient_says_whether_it_was_not_given_or_empty(string? input, string words)
        {
            var error = Assert.Throws<OtpException>(() => OtpTools.Engine.Validation.PhoneNumber.Parse(input, "To", "OtpBlue"));
            Assert.Equal("Validation.RecipientRequired", error.ErrorId);
            Assert.Contains(words, error.Message);
        }
    }
}
