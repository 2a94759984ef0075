using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OtpTools.Sandbox;
using Xunit;

namespace OtpTools.Module.Tests
{
    /// <summary>
    /// Hostile input that must never be sent on: every control, bidi and zero-width character and lone surrogate in
    /// every free-text parameter of every sending provider, template variables that are not scalars, and wildcard
    /// patterns that cannot be read. Each yields a clear error and zero HTTP calls.
    /// </summary>
    [Collection(ModuleCollection.Name)]
    public sealed class HostileInputCorpusTests
    {
        private static readonly (string Name, string Text)[] Characters =
        {
            ("NUL", "\0"), ("BEL", "\a"), ("backspace", "\b"), ("tab", "\t"), ("LF", "\n"), ("CR", "\r"), ("ESC", "\u001b"),
            ("OSC title", "\u001b]0;x\u0007"), ("CSI clear", "\u001b[2J"), ("DEL", "\u007f"), ("C1 NEL", "\u0085"), ("C1 CSI", "\u009b"),
            ("zero-width space", "\u200B"), ("zero-width non-joiner", "\u200C"), ("zero-width joiner", "\u200D"), ("word joiner", "\u2060"),
            ("byte order mark", "\uFEFF"), ("LRE", "\u202A"), ("RLE", "\u202B"), ("PDF", "\u202C"), ("LRO", "\u202D"), ("RLO", "\u202E"),
            ("LRI", "\u2066"), ("RLI", "\u2067"), ("FSI", "\u2068"), ("PDI", "\u2069"), ("LRM", "\u200E"), ("RLM", "\u200F"),
            ("Arabic letter mark", "\u061C"), ("line separator", "\u2028"), ("lone high surrogate", "\uD800"), ("lone low surrogate", "\uDC00"),
        };

        private const string Blue = "Send-OtpCode -Provider OtpBlue -ApiKey $blue -To +61412345678";
        private const string Iq = "Send-OtpCode -Provider Otpiq -ApiKey $iq -To 9647501234550";
        private const string Lab = "Send-OtpCode -Provider EngageLab -Credential $lab -To +13232109130";

        /// <summary>Where the hostile text goes: the parameter, the command that takes it, and whether its value is secret.</summary>
        private static readonly (string Parameter, string Command, bool Secret)[] Targets =
        {
            ("Code", Blue + " -Code $v", false),
            ("Sender", Blue + " -Code 1 -Sender $v", false),
            ("Language", Blue + " -Code 1 -Language $v", false),
            ("StatusCallback", Blue + " -Code 1 -StatusCallback $v", false),
            ("StatusCallbackHeader", Blue + " -Code 1 -StatusCallback https://h.example.com/otp -StatusCallbackHeader $v", true),
            ("Code", Iq + " -Code $v", false),
            ("Sender", Iq + " -Code 1 -Sender $v", false),
            ("Channel", Iq + " -Code 1 -Channel $v", false),
            ("TemplateName", Iq + " -Code 1 -TemplateName $v", false),
            ("WebhookSecret", Iq + " -Code 1 -WebhookUrl https://h.example.com/otp -WebhookSecret $v", true),
            ("WebhookUrl", Iq + " -Code 1 -WebhookUrl $v", false),
            ("TemplateId", Lab + " -TemplateId $v", false),
            ("TemplateParameter 'name'", Lab + " -TemplateId test-template-1 -TemplateParameter @{ name = $v }", false),
        };

        public static IEnumerable<object[]> Cases() =>
            from target in Targets
            from character in Characters
            select new object[] { target.Parameter, target.Command, target.Secret, character.Name };

        private readonly ModuleFixture _m;
        public HostileInputCorpusTests(ModuleFixture fixture) => _m = fixture;

        private static Dictionary<string, object?> Vars(object? value) => new Dictionary<string, object?>
        {
            ["v"] = value,
            ["blue"] = ModuleFixture.Secure(SandboxKeys.OtpBlue),
            ["iq"] = ModuleFixture.Secure(SandboxKeys.Otpiq),
            ["lab"] = new PSCredential(SandboxKeys.EngageLabDevKey, ModuleFixture.Secure(SandboxKeys.EngageLabDevSecret)),
        };

        [Fact]
        public void The_corpus_holds_at_least_300_hostile_inputs() => Assert.True(Cases().Count() >= 300, Cases().Count().ToString());

        [Theory]
        [MemberData(nameof(Cases))]
        public void Hostile_characters_in_free_text_are_refused_before_any_call(string parameter, string command, bool secret, string character)
        {
            var text = Characters.Single(c => c.Name == character).Text;
            var value = parameter.Contains("Url") || parameter == "StatusCallback" ? "https://h.example.com/o" + text + "tp" : "ab" + text + "c";
            var before = _m.Sandbox.TotalRequests;
            var run = _m.Run(command, Vars(secret ? (object)ModuleFixture.Secure(value) : value));   // secrets are SecureStrings

            Assert.Equal(before, _m.Sandbox.TotalRequests);
            var receipt = Assert.Single(run.Objects<OtpSendResult>());
            Assert.Equal("failed", receipt.Status);
            Assert.Equal("Validation.InvalidCharacters", receipt.ErrorId);
            var error = Assert.Single(run.Errors);
            Assert.StartsWith("Validation.InvalidCharacters,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Contains("-" + parameter, error.Exception.Message);
            Assert.Contains($"U+{(int)text[0]:X4}", error.Exception.Message);
            // The message shows the value escaped (or not at all, for a secret), never the raw character.
            Assert.True(error.Exception.Message.IndexOf(text, StringComparison.Ordinal) < 0, "raw character in the message");
            if (secret)
            {
                Assert.True(error.Exception.Message.IndexOf("'ab", StringComparison.Ordinal) < 0, "a secret's value in the message: " + error.Exception.Message);
                Assert.Equal("***", error.TargetObject);
            }
        }

        [Theory]
        [InlineData("@{ nested = @{ a = 1 } }", "nested")]
        [InlineData("@{ list = @(1, 2) }", "list")]
        [InlineData("@{ script = { Get-Date } }", "script")]
        [InlineData("@{ bytes = [byte[]](1, 2, 3) }", "bytes")]
        [InlineData("@{ date = (Get-Date) }", "date")]
        [InlineData("@{ object = [pscustomobject]@{ a = 1 } }", "object")]
        public void Template_variables_must_be_scalars(string table, string name)
        {
            var before = _m.Sandbox.TotalRequests;
            var run = _m.Run(Lab + " -TemplateId test-template-1 -TemplateParameter " + table, Vars(null));
            Assert.Equal(before, _m.Sandbox.TotalRequests);
            var error = Assert.Single(run.Errors);
            Assert.StartsWith("Validation.InvalidTemplateParameter,", error.FullyQualifiedErrorId);
            Assert.Contains($"'{name}'", error.Exception.Message);
            Assert.Contains("a string, a number or a boolean", error.Exception.Message);
        }

        [Theory]
        [InlineData("[")]
        [InlineData("N[Z")]
        [InlineData("[a-")]
        public void A_wildcard_pattern_that_cannot_be_read_is_an_input_error_before_any_call(string pattern)
        {
            var before = _m.Sandbox.TotalRequests;
            var error = _m.RunTerminating("Get-OtpRegion -Provider OtpBlue -ApiKey $blue -Code $v", Vars(pattern));
            Assert.Equal(before, _m.Sandbox.TotalRequests);
            Assert.StartsWith("Validation.InvalidWildcard,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Contains("backtick", error.Exception.Message);
        }
    }
}
