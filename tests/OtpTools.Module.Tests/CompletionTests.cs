using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace OtpTools.Module.Tests
{
    /// <summary>Issue 6: argument completers, proven the way a user meets them, through TabExpansion2.</summary>
    [Collection(ModuleCollection.Name)]
    public sealed class CompletionTests
    {
        private readonly ModuleFixture _m;
        public CompletionTests(ModuleFixture fixture) => _m = fixture;

        /// <summary>OTP Blue's documented template languages ('kr' for Korean, 'in' for Indonesian).</summary>
        private static readonly string[] OtpBlueLanguages =
        {
            "bg", "zh", "da", "nl", "en", "fi", "fr", "de", "is", "in", "it", "ja", "kr", "ms", "no", "pl", "pt", "ro", "ru", "es", "sv", "tr", "uk", "vi",
        };

        /// <summary>What TabExpansion2 offers with the cursor at the end of the line: completion text and result type.</summary>
        private List<(string Text, string Type)> Complete(string line)
        {
            var run = _m.Run("(TabExpansion2 -inputScript $s -cursorColumn $s.Length).CompletionMatches | ForEach-Object { $_.CompletionText; [string]$_.ResultType }",
                new Dictionary<string, object?> { ["s"] = line });
            Assert.Empty(run.Errors);
            var items = run.Output.Select(o => (string)o.BaseObject).ToList();
            return Enumerable.Range(0, items.Count / 2).Select(i => (items[2 * i], items[2 * i + 1])).ToList();
        }

        private List<string> Values(string line)
        {
            var all = Complete(line);
            return all.Where(c => c.Type == "ParameterValue").Select(c => c.Text).ToList();
        }

        private static List<string> Sorted(IEnumerable<string> values) => values.OrderBy(v => v, StringComparer.OrdinalIgnoreCase).ToList();

        [Theory]
        [InlineData("Send-OtpCode -Provider ", "EngageLab,GetOtp,OtpBlue,Otpiq")]
        [InlineData("Get-OtpHistory -Provider ", "OtpBlue")]
        [InlineData("Get-OtpRegion -Provider ", "OtpBlue")]
        [InlineData("Get-OtpSender -Provider ", "GetOtp,Otpiq")]
        [InlineData("Get-OtpBalance -Provider ", "Otpiq")]
        [InlineData("Get-OtpDeliveryStatus -Provider ", "Otpiq")]
        [InlineData("Confirm-OtpCode -Provider ", "EngageLab,GetOtp")]
        [InlineData("Receive-OtpDeliveryReport -Provider ", "EngageLab,OtpBlue,Otpiq")]
        [InlineData("Register-OtpProvider -Name R -Route ", "EngageLab,GetOtp,OtpBlue,Otpiq")]
        public void Provider_completes_only_the_provider_types_that_can_do_what_the_cmdlet_does(string line, string expected)
        {
            using var config = new ConfigScope();
            Assert.Equal(expected.Split(','), Values(line));
        }

        [Theory]
        [InlineData("Get-OtpHistory -ApiKey $k", "one of: OtpBlue,")]
        [InlineData("Get-OtpSender -ApiKey $k", "one of: GetOtp, Otpiq,")]
        [InlineData("Send-OtpCode -To +61412345678 -Code 1 -ApiKey $k", "one of: OtpBlue, GetOtp, Otpiq, EngageLab,")]
        public void The_no_provider_error_suggests_only_the_types_that_can_do_the_job(string command, string suggestion)
        {
            using var config = new ConfigScope();
            var error = _m.RunTerminating(command, new Dictionary<string, object?> { ["k"] = ModuleFixture.Secure("some-key-123") });
            Assert.StartsWith("Provider.NotSpecified,", error.FullyQualifiedErrorId);
            Assert.Contains(suggestion, error.ToString());
        }

        [Fact]
        public void Provider_completion_filters_by_prefix_ignoring_case()
        {
            using var config = new ConfigScope();
            Assert.Equal(new[] { "OtpBlue", "Otpiq" }, Values("Send-OtpCode -Provider otp"));
            Assert.Equal(new[] { "GetOtp" }, Values("Get-OtpSender -Provider g"));
        }

        [Fact]
        public void Provider_completes_registered_names_alongside_the_types()
        {
            using var config = new ConfigScope();
            var register = _m.Run("Register-OtpProvider -Name Prod -Type OtpBlue; Register-OtpProvider -Name Iraq-Sms -Type Otpiq; " +
                                  "Register-OtpProvider -Name Senders -Type GetOtp; Register-OtpProvider -Name Verify -Route Prod, Iraq-Sms");
            Assert.Empty(register.Errors);
            // A route is offered only where a route can be used.
            Assert.Equal(Sorted(new[] { "EngageLab", "GetOtp", "OtpBlue", "Otpiq", "Prod", "Iraq-Sms", "Senders", "Verify" }), Values("Send-OtpCode -Provider "));
            Assert.Equal(new[] { "GetOtp", "Otpiq", "Iraq-Sms", "Senders" }.OrderBy(v => v, StringComparer.OrdinalIgnoreCase), Values("Get-OtpSender -Provider "));
            Assert.Equal(new[] { "Prod" }, Values("Get-OtpRegion -Provider pr"));
            Assert.Equal(new[] { "Prod" }, Values("Get-OtpProvider -Name P"));
        }

        [Fact]
        public void Language_completes_the_otpblue_list_including_its_own_spellings_kr_and_in()
        {
            using var config = new ConfigScope();
            var languages = Values("Send-OtpCode -Provider OtpBlue -Language ");
            Assert.Equal(Sorted(OtpBlueLanguages), languages);
            Assert.Contains("kr", languages);
            Assert.Contains("in", languages);
            Assert.DoesNotContain("ko", languages);
            Assert.Equal(new[] { "kr" }, Values("Send-OtpCode -Provider OtpBlue -Language k"));
            Assert.Equal(new[] { "it", "in", "is" }.OrderBy(x => x, StringComparer.OrdinalIgnoreCase), Values("Send-OtpCode -Provider OtpBlue -Language i"));
        }

        [Fact]
        public void Language_completes_the_chosen_providers_own_list()
        {
            using var config = new ConfigScope();
            Assert.Equal(new[] { "default", "en", "es", "ja", "th", "zh_CN", "zh_HK" }, Values("Send-OtpCode -Provider EngageLab -Language "));
            Assert.Empty(Values("Send-OtpCode -Provider Otpiq -Language "));
        }

        [Fact]
        public void Language_follows_the_type_of_a_registered_provider()
        {
            using var config = new ConfigScope();
            Assert.Empty(_m.Run("Register-OtpProvider -Name Prod -Type OtpBlue").Errors);
            Assert.Equal(new[] { "kr" }, Values("Send-OtpCode -Provider Prod -Language k"));
        }

        [Fact]
        public void Channel_completes_the_otpiq_channels()
        {
            using var config = new ConfigScope();
            Assert.Equal(Sorted(new[] { "auto", "whatsapp-sms", "telegram-sms", "whatsapp-telegram-sms", "sms", "whatsapp", "telegram" }),
                Values("Send-OtpCode -Provider Otpiq -Channel "));
            Assert.Equal(new[] { "whatsapp", "whatsapp-sms", "whatsapp-telegram-sms" }, Values("Send-OtpCode -Provider Otpiq -Channel WhatsA"));
        }

        [Fact]
        public void GetOtp_completes_its_channels_voice_types_and_languages_and_nothing_of_the_other_providers()
        {
            using var config = new ConfigScope();
            Assert.Equal(new[] { "sms", "telegram", "viber", "voice" }, Values("Send-OtpCode -Provider GetOtp -Channel "));
            Assert.Equal(new[] { "flash", "tts" }, Values("Send-OtpCode -Provider GetOtp -VoiceType "));
            Assert.Equal(Sorted(new[] { "AR", "ZH", "EN", "GB", "FR", "DE", "HI", "JA", "RU", "ES", "MX", "BN", "ID", "MS", "FIL", "TH", "VI" }),
                Values("Send-OtpCode -Provider GetOtp -Language "));
            Assert.Equal(new[] { "false", "true" }, Values("Send-OtpCode -Provider GetOtp -NumberFormatting "));
            // A route offers the channels of each of its providers.
            Assert.Contains("viber", Values("Send-OtpCode -Provider Otpiq, GetOtp -Channel "));
            Assert.Contains("whatsapp", Values("Send-OtpCode -Provider Otpiq, GetOtp -Channel "));
        }

        [Fact]
        public void DeliveryReportType_completes_all_and_final()
        {
            using var config = new ConfigScope();
            Assert.Equal(new[] { "all", "final" }, Values("Send-OtpCode -Provider Otpiq -DeliveryReportType "));
            Assert.Equal(new[] { "final" }, Values("Send-OtpCode -Provider Otpiq -DeliveryReportType f"));
        }

        [Fact]
        public void Status_completes_the_getotp_sender_statuses_by_name_and_by_position()
        {
            using var config = new ConfigScope();
            Assert.Equal(new[] { "Available", "Canceled", "Pending", "Rejected" }, Values("Get-OtpSender -Provider GetOtp -Status "));
            Assert.Equal(new[] { "Pending" }, Values("Get-OtpSender -Status p"));
        }

        [Fact]
        public void Region_code_completes_the_documented_open_destinations_without_china_or_argentina()
        {
            using var config = new ConfigScope();
            var codes = Values("Get-OtpRegion -Provider OtpBlue -Code ");
            Assert.Equal(91, codes.Count);
            Assert.All(codes, c => Assert.Matches("^[A-Z]{2}$", c));
            Assert.Contains("NZ", codes);
            Assert.Contains("US", codes);
            Assert.DoesNotContain("CN", codes);
            Assert.DoesNotContain("AR", codes);
            Assert.Equal(new[] { "NG", "NL", "NO", "NP", "NZ" }, Values("Get-OtpRegion -Code n"));
            Assert.Equal(new[] { "NG", "NL", "NO", "NP", "NZ" }, Values("Get-OtpRegion n"));
        }

        [Fact]
        public void A_quoted_prefix_completes_too()
        {
            using var config = new ConfigScope();
            var values = Values("Send-OtpCode -Provider OtpBlue -Language 'k");
            Assert.Single(values);
            Assert.Contains("kr", values.Single());
        }

        [Theory]
        [InlineData("Send-OtpCode -Provider Nothing-Like-This")]
        [InlineData("Send-OtpCode -Provider OtpBlue -Language zz")]
        [InlineData("Send-OtpCode -Provider Otpiq -Channel fax")]
        [InlineData("Send-OtpCode -Provider Otpiq -DeliveryReportType none")]
        [InlineData("Get-OtpSender -Status Approved")]
        [InlineData("Get-OtpRegion -Code CN")]
        public void A_prefix_that_matches_nothing_completes_no_value(string line)
        {
            using var config = new ConfigScope();
            Assert.Empty(Values(line));
        }
    }
}
