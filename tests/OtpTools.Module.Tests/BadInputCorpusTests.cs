using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using OtpTools.Sandbox;
using Xunit;

namespace OtpTools.Module.Tests
{
    /// <summary>
    /// Issue 5's bad-input corpus: every cmdlet and provider fed empty, null, too long, wrongly typed, malformed,
    /// unicode and injection-looking input. Each case must end in clear ErrorRecords with a stable ErrorId and the
    /// right category, no HTTP call, no unhandled exception or stack trace, and (Send-OtpCode) one failed receipt per row.
    /// </summary>
    [Collection(ModuleCollection.Name)]
    public sealed class BadInputCorpusTests
    {
        private readonly ModuleFixture _m;
        public BadInputCorpusTests(ModuleFixture fixture) => _m = fixture;

        /// <summary>
        /// One bad input. <see cref="Command"/> may use $v (the case's value), $key (OTP Blue), $iqkey (OTPIQ), $gokey
        /// (GetOTP) and $cred (EngageLab). <see cref="Rows"/> &gt; 0: a Send-OtpCode run whose rows each fail with a receipt.
        /// </summary>
        public sealed record Case(string Name, string Command, object? Value, string ErrorId, ErrorCategory Category, int Rows = 0)
        {
            /// <summary>A registrations file written before the run: Prod (OtpBlue) is registered.</summary>
            public string? RegistrationsFile { get; init; }
        }

        private const string ProdRegistered =
            "{\"version\":1,\"providers\":[{\"name\":\"Prod\",\"type\":\"OtpBlue\",\"isDefault\":false}]}";

        private const string Blue = "Send-OtpCode -Provider OtpBlue -ApiKey $key";
        private const string Iq = "Send-OtpCode -Provider Otpiq -ApiKey $iqkey";
        private const string Lab = "Send-OtpCode -Provider EngageLab -Credential $cred";
        private const string BindingValidation = "ParameterArgumentValidationError";
        private const string BindingTransformation = "CannotConvertArgumentNoMessage";
        private const string BindingEmpty = "ParameterArgumentValidationErrorEmptyStringNotAllowed";
        private const string BindingNull = "ParameterArgumentValidationErrorNullNotAllowed";
        
        /// <summary>Strings that are not phone numbers, whatever the provider.</summary>
        private static readonly (string Name, string Value)[] NotPhoneNumbers =
        {
            ("letters", "abc"),
            ("words", "call me"),
            ("vanity letters", "+1-800-FLOWERS"),
            ("plus only", "+"),
            ("double plus", "++61412345678"),
            ("country code only", "+61"),
            ("too short", "+1"),
            ("too short with country", "+61 4"),
            ("three digits", "123"),
            ("zero", "0"),
            ("too long", "+6141234567890123"),
            ("far too long", "+61 412 345 678 901 234 567 890 123"),
            ("unknown country code 999", "+999 123456789"),
            ("country code 000", "+000 123456"),
            ("country code 0", "+0 412345678"),
            ("national format without country (AU)", "0412 345 678"),
            ("national format without country (UK)", "07911 123456"),
            ("US number missing digits", "+1 323 200 000"),
            ("superscript digits", "⁺⁶¹⁴¹²³⁴⁵⁶⁷⁸"),
            ("circled digits", "①②③④⑤⑥⑦⑧⑨⑩"),
            ("emoji only", "📱"),
            ("emoji prefix", "📞+61412345678"),
            ("emoji suffix", "+61412345678 📱"),
            ("emoji inside", "+614📱12345678"),
            ("right-to-left override", "\u202E+61412345678"),
            ("right-to-left mark", "+61412345678\u200F"),
            ("left-to-right mark", "\u200E+61412345678"),
            ("zero-width space inside", "+61\u200B412345678"),
            ("zero-width joiner inside", "+61412\u200D345678"),
            ("byte order mark", "\uFEFF+61412345678"),
            ("NUL inside", "+61412\0345678"),
            ("SQL injection", "' OR 1=1 --"),
            ("SQL after a number", "+61412345678'; DROP TABLE users;--"),
            ("PowerShell subexpression", "$(Remove-Item -Recurse /)"),
            ("shell command", "+61412345678; rm -rf /"),
            ("shell pipe", "+61412345678 | cat /etc/passwd"),
            ("JSON", "{\"contact\":\"+61412345678\"}"),
            ("header injection", "+61412345678\r\nX-Injected: 1"),
            ("path traversal", "../../etc/passwd"),
            ("HTML", "<script>alert(1)</script>"),
            ("URL-encoded plus", "%2B61412345678"),
            ("extension", "+61 412 345 678 ext. 12"),
        };

        public static IReadOnlyList<Case> All { get; } = Build();

        public static IEnumerable<object[]> Names() => All.Select(c => new object[] { c.Name });

        private static IReadOnlyList<Case> Build()
        {
            var cases = new List<Case>();
            void Add(string name, string command, object? value, string errorId, ErrorCategory category, int rows = 0) =>
                cases.Add(new Case(name, command, value, errorId, category, rows));
            void Registered(string name, string command, object? value, string errorId, ErrorCategory category, string file = ProdRegistered) =>
                cases.Add(new Case(name, command, value, errorId, category) { RegistrationsFile = file });

            // ---- Send-OtpCode: recipients, per provider ----
            var senders = new[] { ("OtpBlue", Blue + " -Code 123456"), ("Otpiq", Iq + " -Code 123456"), ("EngageLab", Lab + " -TemplateId otp-sms") };
            foreach (var (provider, send) in senders)
            {
                foreach (var (name, value) in NotPhoneNumbers)
                    Add($"Send {provider}: -To {name}", send + " -To $v", value, "Validation.InvalidPhoneNumber", ErrorCategory.InvalidArgument, 1);
                Add($"Send {provider}: all the non-numbers down one pipeline", "$v | " + send, NotPhoneNumbers.Select(n => n.Value).ToArray(),
                    "Validation.InvalidPhoneNumber", ErrorCategory.InvalidArgument, NotPhoneNumbers.Length);
                Add($"Send {provider}: -To empty", send + " -To ''", null, "Validation.RecipientRequired", ErrorCategory.InvalidArgument, 1);
                Add($"Send {provider}: -To whitespace", send + " -To $v", "  \t ", "Validation.RecipientRequired", ErrorCategory.InvalidArgument, 1);
                Add($"Send {provider}: -To null", send + " -To $null", null, "Validation.RecipientRequired", ErrorCategory.InvalidArgument, 1);
                Add($"Send {provider}: no -To at all", send, null, "Validation.RecipientRequired", ErrorCategory.InvalidArgument, 1);
                Add($"Send {provider}: null piped", "$null | " + send, null, "Validation.RecipientRequired", ErrorCategory.InvalidArgument, 1);
                Add($"Send {provider}: empty rows piped", "'', ' ', $null | " + send, null, "Validation.RecipientRequired", ErrorCategory.InvalidArgument, 3);
                Add($"Send {provider}: -To array of empties", send + " -To '', ' '", null, "Validation.RecipientRequired", ErrorCategory.InvalidArgument, 2);
                Add($"Send {provider}: -To a hashtable", send + " -To @{ To = '+61412345678' }", null, "Validation.InvalidPhoneNumber", ErrorCategory.InvalidArgument, 1);
                Add($"Send {provider}: -To a boolean", send + " -To $true", null, "Validation.InvalidPhoneNumber", ErrorCategory.InvalidArgument, 1);
                Add($"Send {provider}: -To a decimal", send + " -To 12.5", null, "Validation.InvalidPhoneNumber", ErrorCategory.InvalidArgument, 1);
                Add($"Send {provider}: -To a date", send + " -To ([datetime]'2026-01-02')", null, "Validation.InvalidPhoneNumber", ErrorCategory.InvalidArgument, 1);
                Add($"Send {provider}: a row without a recipient column", "[pscustomobject]@{ Name = 'Ann'; Code = '1' } | " + send,
                    null, "Validation.InvalidPhoneNumber", ErrorCategory.InvalidArgument, 1);
                Add($"Send {provider}: CSV rows with bad phone columns", @"@(
                    [pscustomobject]@{ Phone = 'abc' }
                    [pscustomobject]@{ Mobile = '+999 123456789' }
                    [pscustomobject]@{ PhoneNumber = '+61 4' }
                    [pscustomobject]@{ Recipient = '../../etc/passwd' }
                ) | " + send, null, "Validation.InvalidPhoneNumber", ErrorCategory.InvalidArgument, 4);
            }

            // Numbers that exist but are not mobile lines (OTP Blue and OTPIQ send to mobiles only).
            var notMobile = new[]
            {
                ("UK fixed line", "+44 20 7123 4567"), ("French fixed line", "+33 1 42 68 53 00"), ("Australian fixed line", "+61 2 9374 4000"),
                ("US toll-free", "+1 800 555 1234"), ("Australian toll-free", "+61 1800 123 456"), ("UK freephone", "+44 800 123 4567"),
            };
            foreach (var (provider, send) in senders.Take(2))
            {
                foreach (var (name, value) in notMobile)
                    Add($"Send {provider}: -To {name}", send + " -To $v", value, "Validation.NotMobileNumber", ErrorCategory.InvalidArgument, 1);
                Add($"Send {provider}: fixed lines and toll-free numbers down one pipeline", "$v | " + send,
                    notMobile.Select(n => n.Item2).ToArray(), "Validation.NotMobileNumber", ErrorCategory.InvalidArgument, notMobile.Length);
            }

            // OTP Blue never sends to China or Argentina.
            foreach (var (name, value) in new[]
                     {
                         ("China mobile", "+8613800138000"), ("China mobile with 00", "008613800138000"), ("China mobile without plus", "8613800138000"),
                         ("China mobile spaced", "+86 138 0013 8000"), ("Argentina mobile", "+5491123456789"), ("Argentina mobile formatted", "+54 9 11 2345-6789"),
                     })
                Add($"Send OtpBlue: -To {name}", Blue + " -Code 1 -To $v", value, "Validation.UnsupportedRegion", ErrorCategory.InvalidArgument, 1);
            Add("Send OtpBlue: China and Argentina down one pipeline", "$v | " + Blue + " -Code 1", new[] { "+8613800138000", "+5491123456789", "+86 139 0013 9000" },
                "Validation.UnsupportedRegion", ErrorCategory.InvalidArgument, 3);

            // ---- Send-OtpCode: codes, senders, languages ----
            const string blueTo = Blue + " -To +61412345678";
            const string iqTo = Iq + " -To 9647501234550";
            const string labTo = Lab + " -To +13232109130";
            foreach (var (name, value, id) in new[]
                     {
                         ("empty", "", "Validation.CodeRequired"), ("whitespace", "   ", "Validation.CodeRequired"), ("tab and newline", "\t\r\n", "Validation.InvalidCharacters"),
                         ("11 digits", "12345678901", "Validation.CodeTooLong"), ("1000 characters", new string('9', 1000), "Validation.CodeTooLong"),
                         ("SQL injection", "1'; DROP TABLE otp;--", "Validation.CodeTooLong"), ("PowerShell subexpression", "$(Get-Content /etc/passwd)", "Validation.CodeTooLong"),
                         ("JSON", "{\"code\":\"1\"}12345", "Validation.CodeTooLong"), ("header injection", "1\r\nX-Injected: 1", "Validation.InvalidCharacters"),
                     })
                Add($"Send OtpBlue: -Code {name}", blueTo + " -Code $v", value, id, ErrorCategory.InvalidArgument, 1);
            Add("Send OtpBlue: -Code null", blueTo + " -Code $null", null, "Validation.CodeRequired", ErrorCategory.InvalidArgument, 1);
            Add("Send OtpBlue: rows with bad codes down one pipeline", @"@(
                    [pscustomobject]@{ Phone = '+61412345678'; Otp = '' }
                    [pscustomobject]@{ Phone = '+61412345679'; Otp = '12345678901' }
                    [pscustomobject]@{ Phone = '+61412345670' }
                ) | " + Blue, null, "Validation.Code*", ErrorCategory.InvalidArgument, 3);
            foreach (var (name, value, id) in new[]
                     {
                         ("empty", "", "Validation.CodeRequired"), ("whitespace", " ", "Validation.CodeRequired"),
                         ("21 digits", "123456789012345678901", "Validation.CodeTooLong"), ("SQL injection", "1'; DROP TABLE sms; -- x", "Validation.CodeTooLong"),
                     })
                Add($"Send Otpiq: -Code {name}", iqTo + " -Code $v", value, id, ErrorCategory.InvalidArgument, 1);
            Add("Send Otpiq: no -Code", iqTo, null, "Validation.CodeRequired", ErrorCategory.InvalidArgument, 1);
            foreach (var (name, value) in new[] { ("17 characters", "ABCDEFGHIJKLMNOPQ"), ("SQL injection", "Robert'); DROP TABLE--") })
                Add($"Send OtpBlue: -Sender {name}", blueTo + " -Code 1 -Sender $v", value, "Validation.SenderTooLong", ErrorCategory.InvalidArgument, 1);
            Add("Send OtpBlue: -Sender header injection", blueTo + " -Code 1 -Sender $v", "Contoso\r\nX-Injected: yes", "Validation.InvalidCharacters", ErrorCategory.InvalidArgument, 1);
            foreach (var (name, value) in new[] { ("12 characters", "ABCDEFGHIJKL"), ("shell injection", "$(rm -rf /)x") })
                Add($"Send Otpiq: -Sender {name}", iqTo + " -Code 1 -Sender $v", value, "Validation.SenderTooLong", ErrorCategory.InvalidArgument, 1);
            foreach (var (name, value) in new[]
                     {
                         ("a word", "english"), ("three letters", "xyz"),
                         ("a culture name", "en-US"), ("whitespace", " "), ("path traversal", "../en"),
                         ("SQL injection", "en' OR '1'='1"), ("Cyrillic lookalike", "еn"),
                     })
                Add($"Send OtpBlue: -Language {name}", blueTo + " -Code 1 -Language $v", value, "Validation.LanguageNotSupported", ErrorCategory.InvalidArgument, 1);
            foreach (var (name, value) in new[] { ("trailing newline", "en\r\n"), ("zero-width space", "en\u200B") })
                Add($"Send OtpBlue: -Language {name}", blueTo + " -Code 1 -Language $v", value, "Validation.InvalidCharacters", ErrorCategory.InvalidArgument, 1);
            Add("Send Otpiq: -Language (OTPIQ has none)", iqTo + " -Code 1 -Language ar", null, "Validation.UnsupportedParameter", ErrorCategory.InvalidArgument, 1);

            // ---- Send-OtpCode: provider-specific options ----
            foreach (var (name, value) in new[]
                     {
                         ("empty", ""), ("not a URL", "not a url"), ("relative path", "/hooks/otp"), ("ftp", "ftp://hooks.example.com/otp"),
                         ("javascript", "javascript:alert(1)"), ("file", "file:///etc/passwd"), ("scheme only", "https://"),
                     })
                Add($"Send OtpBlue: -StatusCallback {name}", blueTo + " -Code 1 -StatusCallback $v", value, "Validation.InvalidStatusCallback", ErrorCategory.InvalidArgument, 1);
            foreach (var (name, value) in new[] { ("CR LF", "Bearer x\r\nX-Injected: 1"), ("LF", "Bearer x\nSet-Cookie: a=b"), ("NUL", "Bearer x\0") })
                Add($"Send OtpBlue: -StatusCallbackHeader with {name} (header injection)", blueTo + " -Code 1 -StatusCallback https://h.example.com/otp -StatusCallbackHeader ($v | ConvertTo-SecureString -AsPlainText -Force)", value,
                    "Validation.InvalidCharacters", ErrorCategory.InvalidArgument, 1);
            foreach (var option in new[] { "-Channel sms", "-WhatsappAccountId 1", "-WhatsappPhoneId 1", "-TemplateName t", "-WebhookUrl https://h.example.com",
                         "-DeliveryReportType all", "-WebhookSecret (ConvertTo-SecureString 's' -AsPlainText -Force)", "-TemplateId t", "-TemplateParameter @{ a = 1 }" })
                Add($"Send OtpBlue: {option.Split(' ')[0]} does not apply", blueTo + " -Code 1 " + option, null, "Validation.UnsupportedParameter", ErrorCategory.InvalidArgument, 1);
            foreach (var option in new[] { "-StatusCallback https://h.example.com", "-StatusCallbackHeader (ConvertTo-SecureString 'h' -AsPlainText -Force)", "-TemplateId t", "-TemplateParameter @{ a = 1 }" })
                Add($"Send Otpiq: {option.Split(' ')[0]} does not apply", iqTo + " -Code 1 " + option, null, "Validation.UnsupportedParameter", ErrorCategory.InvalidArgument, 1);
            foreach (var option in new[] { "-Channel sms", "-StatusCallback https://h.example.com", "-WebhookUrl https://h.example.com", "-WhatsappPhoneId 1", "-DeliveryReportType final" })
                Add($"Send EngageLab: {option.Split(' ')[0]} does not apply", labTo + " -TemplateId t " + option, null, "Validation.UnsupportedParameter", ErrorCategory.InvalidArgument, 1);
            foreach (var (name, value) in new[]
                     {
                         ("empty", ""), ("whitespace", " "), ("unknown", "fax"), ("e-mail", "email"), ("trailing space", "sms "),
                         ("shell injection", "sms;rm -rf /"), ("upper-case word", "CARRIER-PIGEON"),
                     })
                Add($"Send Otpiq: -Channel {name}", iqTo + " -Code 1 -Channel $v", value, "Validation.ChannelNotSupported", ErrorCategory.InvalidArgument, 1);
            foreach (var (name, value) in new[]
                     {
                         ("plain http", "http://hooks.example.com/otp"), ("empty", ""), ("not a URL", "hooks.example.com/otp"), ("ftp", "ftp://hooks.example.com"),
                         ("scheme only", "https://"), ("javascript", "javascript:alert(1)"),
                     })
                Add($"Send Otpiq: -WebhookUrl {name}", iqTo + " -Code 1 -WebhookUrl $v", value, "Validation.InvalidWebhookUrl", ErrorCategory.InvalidArgument, 1);
            foreach (var (name, value) in new[] { ("unknown", "some"), ("empty", ""), ("plural", "finals") })
                Add($"Send Otpiq: -DeliveryReportType {name}", iqTo + " -Code 1 -WebhookUrl https://hooks.example.com/otp -DeliveryReportType $v", value,
                    "Validation.DeliveryReportTypeNotSupported", ErrorCategory.InvalidArgument, 1);
            Add("Send Otpiq: -DeliveryReportType injection", iqTo + " -Code 1 -WebhookUrl https://hooks.example.com/otp -DeliveryReportType $v", "all\r\nX: 1",
                "Validation.InvalidCharacters", ErrorCategory.InvalidArgument, 1);
            Add("Send Otpiq: -DeliveryReportType without -WebhookUrl", iqTo + " -Code 1 -DeliveryReportType all", null,
                "Validation.DeliveryReportWithoutWebhookUrl", ErrorCategory.InvalidArgument, 1);
            Add("Send Otpiq: -WebhookSecret without -WebhookUrl", iqTo + " -Code 1 -WebhookSecret (ConvertTo-SecureString 's3cr3t' -AsPlainText -Force)", null,
                "Validation.DeliveryReportWithoutWebhookUrl", ErrorCategory.InvalidArgument, 1);
            Add("Send Otpiq: bad channel on every piped row", "'9647501234550', '9647501234551', '9647501234552' | " + Iq + " -Code 1 -Channel fax", null,
                "Validation.ChannelNotSupported", ErrorCategory.InvalidArgument, 3);

            // ---- Send-OtpCode: EngageLab templates and e-mail ----
            foreach (var (name, value) in new[] { ("empty", ""), ("whitespace", "  ") })
                Add($"Send EngageLab: -TemplateId {name}", labTo + " -TemplateId $v", value, "Validation.TemplateIdRequired", ErrorCategory.InvalidArgument, 1);
            Add("Send EngageLab: no -TemplateId", labTo, null, "Validation.TemplateIdRequired", ErrorCategory.InvalidArgument, 1);
            foreach (var (name, value) in new[]
                     {
                         ("no top-level domain", "bob@localhost"), ("space inside", "bob smith@example.com"), ("header injection", "bob@example.com\r\nX-Injected: 1"),
                         ("trailing dot", "bob@example."), ("no domain", "bob@"),
                         ("zero-width space", "bob\u200B@example.com"), ("right-to-left override", "bob@\u202Eexample.com"), ("soft hyphen", "bob@exam\u00ADple.com"),
                     })
                Add($"Send EngageLab: -To e-mail {name}", Lab + " -TemplateId otp-email -To $v", value, "Validation.InvalidEmail", ErrorCategory.InvalidArgument, 1);
            Add("Send EngageLab: -TemplateParameter with an empty key", labTo + " -TemplateId t -TemplateParameter @{ '' = 'x' }", null,
                "Validation.InvalidTemplateParameter", ErrorCategory.InvalidArgument, 1);
            Add("Send EngageLab: -TemplateParameter with a null value", labTo + " -TemplateId t -TemplateParameter @{ name = $null }", null,
                "Validation.InvalidTemplateParameter", ErrorCategory.InvalidArgument, 1);
            Add("Send EngageLab: -Code conflicting with -TemplateParameter code", labTo + " -TemplateId t -Code 1 -TemplateParameter @{ code = '2' }", null,
                "Validation.ConflictingTemplateParameter", ErrorCategory.InvalidArgument, 1);
            Add("Send EngageLab: -Sender conflicting with -TemplateParameter from_id", labTo + " -TemplateId t -Sender A -TemplateParameter @{ from_id = 'B' }", null,
                "Validation.ConflictingTemplateParameter", ErrorCategory.InvalidArgument, 1);

            // ---- Send-OtpCode: binding (the cmdlet never runs) ----
            foreach (var (name, option) in new[]
                     {
                         ("-ThrottleLimit 0", "-ThrottleLimit 0"), ("-ThrottleLimit -1", "-ThrottleLimit -1"), ("-ThrottleLimit 65", "-ThrottleLimit 65"),
                         ("-ThrottleLimit int.MaxValue", "-ThrottleLimit 2147483647"), ("-MaxRetry -1", "-MaxRetry -1"), ("-MaxRetry 11", "-MaxRetry 11"),
                         ("-TimeoutSec 0", "-TimeoutSec 0"), ("-TimeoutSec 601", "-TimeoutSec 601"),
                     })
                Add($"Send OtpBlue: {name}", blueTo + " -Code 1 " + option, null, BindingValidation, ErrorCategory.InvalidData);
            foreach (var (name, option) in new[]
                     {
                         ("-ThrottleLimit text", "-ThrottleLimit many"), ("-ThrottleLimit beyond int", "-ThrottleLimit 99999999999"),
                         ("-ApiKey plain text", "-ApiKey 'plain-text-key'"), ("-TemplateParameter a string", "-TemplateParameter 'code=1'"),
                         ("-TimeoutSec a date", "-TimeoutSec ([datetime]::Now)"),
                     })
                Add($"Send OtpBlue: {name}", "Send-OtpCode -Provider OtpBlue -To +61412345678 -Code 1 " + option, null, BindingTransformation, ErrorCategory.InvalidArgument);

            // ---- Provider resolution, for every API cmdlet ----
            var apiCmdlets = new[]
            {
                ("Send-OtpCode", "Send-OtpCode -To +61412345678 -Code 1 -ApiKey $key"), ("Get-OtpHistory", "Get-OtpHistory -ApiKey $key"),
                ("Get-OtpRegion", "Get-OtpRegion -ApiKey $key"), ("Get-OtpSender", "Get-OtpSender -ApiKey $gokey"),
            };
            foreach (var (cmdlet, command) in apiCmdlets)
            {
                foreach (var (name, value) in new[]
                         {
                             ("unknown", "Nope"), ("SQL injection", "OtpBlue' OR '1'='1"), ("path traversal", "../../etc/passwd"),
                             ("subexpression text", "$(Get-Secret)"), ("type name with a space", "Otp Blue"), ("zero-width space", "OtpBlue\u200B"),
                         })
                    Add($"{cmdlet}: -Provider {name}", command + " -Provider $v", value, "Provider.NotFound", ErrorCategory.ObjectNotFound);
                Add($"{cmdlet}: -Provider empty with no default", command + " -Provider ''", null, "Provider.NotSpecified", ErrorCategory.InvalidArgument);
                Add($"{cmdlet}: -Provider whitespace with no default", command + " -Provider $v", "   ", "Provider.NotSpecified", ErrorCategory.InvalidArgument);
                Add($"{cmdlet}: no -Provider and no default", command, null, "Provider.NotSpecified", ErrorCategory.InvalidArgument);
                Registered($"{cmdlet}: registrations file damaged", command + " -Provider Prod", null, "Registration.FileDamaged", ErrorCategory.InvalidData, "{ not json");
                Registered($"{cmdlet}: registration of a type this version does not know", command + " -Provider Prod", null, "Registration.UnknownType", ErrorCategory.InvalidData,
                    "{\"version\":1,\"providers\":[{\"name\":\"Prod\",\"type\":\"Carrier\"}]}");
                Registered($"{cmdlet}: registration with an insecure base URI", command + " -Provider Prod", null, "Provider.InsecureBaseUri", ErrorCategory.SecurityError,
                    "{\"version\":1,\"providers\":[{\"name\":\"Prod\",\"type\":\"OtpBlue\",\"baseUri\":\"http://otp.example.com\"}]}");
            }
            // Wrong provider type for the cmdlet.
            foreach (var (cmdlet, command, wrong) in new[]
                     {
                         ("Get-OtpHistory", "Get-OtpHistory -ApiKey $key -Credential $cred", new[] { "GetOtp", "Otpiq", "EngageLab" }),
                         ("Get-OtpRegion", "Get-OtpRegion -ApiKey $key -Credential $cred", new[] { "GetOtp", "Otpiq", "EngageLab" }),
                         ("Get-OtpSender", "Get-OtpSender -ApiKey $key -Credential $cred", new[] { "OtpBlue", "EngageLab" }),
                         ("Get-OtpBalance", "Get-OtpBalance -ApiKey $key -Credential $cred", new[] { "OtpBlue", "GetOtp", "EngageLab" }),
                         ("Get-OtpDeliveryStatus", "Get-OtpDeliveryStatus -MessageId sms-1 -ApiKey $key -Credential $cred", new[] { "OtpBlue", "GetOtp", "EngageLab" }),
                     })
            {
                foreach (var provider in wrong)
                    Add($"{cmdlet}: -Provider {provider} cannot serve it", command + " -Provider " + provider, null, "Provider.NotSupportedByCmdlet", ErrorCategory.InvalidOperation);
            }
            Registered("Get-OtpSender: a registered OTP Blue provider cannot serve it", "Get-OtpSender -Provider prod -ApiKey $key", null,
                "Provider.NotSupportedByCmdlet", ErrorCategory.InvalidOperation);
            // Credentials missing or of the wrong kind.
            Add("Send OtpBlue: no key anywhere", "Send-OtpCode -Provider OtpBlue -To +61412345678 -Code 1", null, "Credential.NotFound", ErrorCategory.AuthenticationError);
            Add("Send EngageLab: an API key where a key pair is needed", "Send-OtpCode -Provider EngageLab -To +13232109130 -TemplateId t -ApiKey $key", null,
                "Credential.NotFound", ErrorCategory.AuthenticationError);
            Add("Get-OtpSender: no key anywhere", "Get-OtpSender -Provider GetOtp", null, "Credential.NotFound", ErrorCategory.AuthenticationError);

            // ---- Get-OtpHistory ----
            const string history = "Get-OtpHistory -Provider OtpBlue -ApiKey $key";
            Add("Get-OtpHistory: -From after -To", history + " -From 2026-02-01 -To 2026-01-01", null, "Validation.DateRangeReversed", ErrorCategory.InvalidArgument);
            Add("Get-OtpHistory: -From a day after -To", history + " -From 2026-01-02 -To 2026-01-01", null, "Validation.DateRangeReversed", ErrorCategory.InvalidArgument);
            Add("Get-OtpHistory: -From in the future and no -To", history + " -From ([datetime]::UtcNow.AddDays(3))", null, "Validation.DateRangeReversed", ErrorCategory.InvalidArgument);
            Add("Get-OtpHistory: -From the largest date", history + " -From ([datetime]::MaxValue)", null, "Validation.DateRangeReversed", ErrorCategory.InvalidArgument);
            Add("Get-OtpHistory: -From after -To by position", "Get-OtpHistory 2030-01-01 2020-01-01 -Provider OtpBlue -ApiKey $key", null,
                "Validation.DateRangeReversed", ErrorCategory.InvalidArgument);
            foreach (var (name, value) in new[] { ("0", "0"), ("-1", "-1"), ("1001", "1001"), ("int.MaxValue", "2147483647"), ("int.MinValue", "-2147483648"), ("empty", "''"), ("null", "$null") })
                Add($"Get-OtpHistory: -PageSize {name}", history + " -PageSize " + value, null, BindingValidation, ErrorCategory.InvalidData);
            foreach (var (name, option) in new[]
                     {
                         ("-PageSize text", "-PageSize lots"), ("-PageSize beyond int", "-PageSize 9999999999"), ("-From not a date", "-From yesterday"),
                         ("-From month 13", "-From 2026-13-45"), ("-To SQL injection", "-To \"2026-01-01' OR 1=1\""), ("-First negative", "-First -1"),
                         ("-Skip negative", "-Skip -5"), ("-From a hashtable", "-From @{ a = 1 }"),
                     })
                Add($"Get-OtpHistory: {name}", history + " " + option, null, BindingTransformation, ErrorCategory.InvalidArgument);

            // ---- Get-OtpSender ----
            const string senderList = "Get-OtpSender -Provider GetOtp -ApiKey $gokey";
            foreach (var (name, value) in new[]
                     {
                         ("unknown", "Approved"), ("empty", ""), ("whitespace", " "), ("trailing space", "Available "), ("wildcard", "Avail*"),
                         ("SQL injection", "Pending' OR '1'='1"), ("path traversal", "../Pending"), ("JSON", "{\"status\":\"Pending\"}"),
                         ("header injection", "Pending\r\nX-Injected: 1"), ("zero-width space", "Pending\u200B"), ("query string injection", "Pending&page_size=1"),
                     })
                Add($"Get-OtpSender: -Status {name}", senderList + " -Status $v", value, "Validation.InvalidStatus", ErrorCategory.InvalidArgument);
            Add("Get-OtpSender: -Status by position", "Get-OtpSender Cancelled -Provider GetOtp -ApiKey $gokey", null, "Validation.InvalidStatus", ErrorCategory.InvalidArgument);
            foreach (var (name, value) in new[] { ("0", "0"), ("-1", "-1"), ("1001", "1001"), ("int.MaxValue", "2147483647") })
                Add($"Get-OtpSender: -PageSize {name}", senderList + " -PageSize " + value, null, BindingValidation, ErrorCategory.InvalidData);
            Add("Get-OtpSender: -PageSize text", senderList + " -PageSize all", null, BindingTransformation, ErrorCategory.InvalidArgument);
            Add("Get-OtpSender: -First negative", senderList + " -First -10", null, BindingTransformation, ErrorCategory.InvalidArgument);

            // ---- Get-OtpRegion ----
            Add("Get-OtpRegion: -MaxRetry 11", "Get-OtpRegion -Provider OtpBlue -ApiKey $key -MaxRetry 11", null, BindingValidation, ErrorCategory.InvalidData);
            Add("Get-OtpRegion: -TimeoutSec 0", "Get-OtpRegion -Provider OtpBlue -ApiKey $key -TimeoutSec 0", null, BindingValidation, ErrorCategory.InvalidData);
            Add("Get-OtpRegion: -ApiKey plain text", "Get-OtpRegion -Provider OtpBlue -ApiKey 'plain'", null, BindingTransformation, ErrorCategory.InvalidArgument);
            Add("Get-OtpRegion: no key anywhere", "Get-OtpRegion -Provider OtpBlue", null, "Credential.NotFound", ErrorCategory.AuthenticationError);

            // ---- Register-OtpProvider ----
            foreach (var (name, value) in new[]
                     {
                         ("starting with a digit", "1st"), ("starting with a dash", "-prod"), ("starting with an underscore", "_prod"), ("with a space", "has space"),
                         ("leading space", " Prod"), ("trailing space", "Prod "), ("65 characters", "P" + new string('x', 64)), ("with a dot", "prod.eu"),
                         ("path traversal", "../../etc/passwd"), ("SQL injection", "Prod'; DROP TABLE--"), ("subexpression text", "$(whoami)"),
                         ("shell injection", "prod;rm -rf ~"), ("JSON", "{\"name\":\"x\"}"), ("header injection", "Prod\r\nX: 1"), ("non-ASCII letter", "Pröd"),
                         ("zero-width space", "Prod\u200B"), ("right-to-left override", "\u202EProd"), ("emoji", "Prod📱"), ("whitespace", "   "),
                     })
                Add($"Register-OtpProvider: -Name {name}", "Register-OtpProvider -Name $v -Type OtpBlue", value, "Registration.InvalidName", ErrorCategory.InvalidArgument);
            foreach (var (typeName, type) in new[] { ("GetOtp", "OtpBlue"), ("OtpBlue", "Otpiq"), ("engagelab", "GetOtp") })
                Add($"Register-OtpProvider: -Name {typeName} for type {type}", $"Register-OtpProvider -Name {typeName} -Type {type}", null,
                    "Registration.NameIsTypeName", ErrorCategory.InvalidArgument);
            foreach (var (name, value) in new[] { ("unknown", "Carrier"), ("with a space", "Otp Blue"), ("injection", "OtpBlue;rm"), ("whitespace", " "), ("zero-width space", "OtpBlue\u200B") })
                Add($"Register-OtpProvider: -Type {name}", "Register-OtpProvider -Name Prod -Type $v", value, "Registration.UnknownType", ErrorCategory.InvalidArgument);
            foreach (var (name, value) in new[]
                     {
                         ("not a URI", "not a uri"), ("relative", "/api"), ("host only", "otp.example.com"), ("ftp", "ftp://otp.example.com"),
                         ("file", "file:///etc/passwd"), ("javascript", "javascript:alert(1)"), ("scheme only", "https://"),
                     })
                Add($"Register-OtpProvider: -BaseUri {name}", "Register-OtpProvider -Name Prod -Type OtpBlue -BaseUri $v", value, "Provider.InvalidBaseUri", ErrorCategory.InvalidArgument);
            foreach (var (name, value) in new[] { ("plain http", "http://otp.example.com"), ("http to a private address", "http://10.0.0.1"), ("http to a lookalike of localhost", "http://localhost.evil.example") })
                Add($"Register-OtpProvider: -BaseUri {name}", "Register-OtpProvider -Name Prod -Type OtpBlue -BaseUri $v", value, "Provider.InsecureBaseUri", ErrorCategory.SecurityError);
            Add("Register-OtpProvider: -Vault without -SecretName", "Register-OtpProvider -Name Prod -Type OtpBlue -Vault CorpVault", null, "Registration.VaultIncomplete", ErrorCategory.InvalidArgument);
            Add("Register-OtpProvider: -SecretName without -Vault", "Register-OtpProvider -Name Prod -Type OtpBlue -SecretName Key", null, "Registration.VaultIncomplete", ErrorCategory.InvalidArgument);
            Add("Register-OtpProvider: -ApiKey without a vault", "Register-OtpProvider -Name Prod -Type OtpBlue -ApiKey $key", null, "Registration.SecretWithoutVault", ErrorCategory.InvalidArgument);
            Add("Register-OtpProvider: both -ApiKey and -Credential", "Register-OtpProvider -Name Prod -Type OtpBlue -Vault V -SecretName S -ApiKey $key -Credential $cred", null,
                "Registration.SecretTwice", ErrorCategory.InvalidArgument);
            Registered("Register-OtpProvider: a name already registered", "Register-OtpProvider -Name PROD -Type OtpBlue", null, "Registration.Exists", ErrorCategory.InvalidOperation);
            Registered("Register-OtpProvider: registrations file damaged", "Register-OtpProvider -Name Other -Type OtpBlue", null, "Registration.FileDamaged", ErrorCategory.InvalidData, "[1,2");
            Add("Register-OtpProvider: -Name empty", "Register-OtpProvider -Name '' -Type OtpBlue", null, BindingEmpty, ErrorCategory.InvalidData);
            Add("Register-OtpProvider: -Name null", "Register-OtpProvider -Name $null -Type OtpBlue", null, BindingNull, ErrorCategory.InvalidData);
            Add("Register-OtpProvider: -Type empty", "Register-OtpProvider -Name Prod -Type ''", "Prod", "Registration.TypeRequired", ErrorCategory.InvalidArgument);
            Add("Register-OtpProvider: -ApiKey plain text", "Register-OtpProvider -Name Prod -Type OtpBlue -ApiKey 'plain'", null, BindingTransformation, ErrorCategory.InvalidArgument);

            // ---- Get-, Set-, Unregister-OtpProvider ----
            foreach (var (name, value) in new[] { ("unknown", "Nope"), ("SQL injection", "' OR 1=1 --"), ("path traversal", "../../etc/passwd"), ("subexpression text", "$(whoami)") })
            {
                Registered($"Get-OtpProvider: -Name {name}", "Get-OtpProvider -Name $v", value, "Registration.NotFound", ErrorCategory.ObjectNotFound);
                Registered($"Set-OtpProvider: -Name {name}", "Set-OtpProvider -Name $v -Default", value, "Registration.NotFound", ErrorCategory.ObjectNotFound);
                Registered($"Unregister-OtpProvider: -Name {name}", "Unregister-OtpProvider -Name $v", value, "Registration.NotFound", ErrorCategory.ObjectNotFound);
            }
            Registered("Get-OtpProvider: registrations file damaged", "Get-OtpProvider", null, "Registration.FileDamaged", ErrorCategory.InvalidData, "{\"providers\":[{\"name\":\"\"}]}");
            Registered("Unregister-OtpProvider: registrations file damaged", "Unregister-OtpProvider -Name Prod", null, "Registration.FileDamaged", ErrorCategory.InvalidData, "not json at all");
            foreach (var (name, value) in new[] { ("not a URI", "not a uri"), ("ftp", "ftp://otp.example.com") })
                Registered($"Set-OtpProvider: -BaseUri {name}", "Set-OtpProvider -Name Prod -BaseUri $v", value, "Provider.InvalidBaseUri", ErrorCategory.InvalidArgument);
            Registered("Set-OtpProvider: -BaseUri plain http", "Set-OtpProvider -Name Prod -BaseUri http://otp.example.com", null, "Provider.InsecureBaseUri", ErrorCategory.SecurityError);
            Registered("Set-OtpProvider: -Vault without -SecretName", "Set-OtpProvider -Name Prod -Vault CorpVault", null, "Registration.VaultIncomplete", ErrorCategory.InvalidArgument);
            Registered("Set-OtpProvider: several unknown names piped", "'Nope1', 'Nope2', 'Nope3' | Set-OtpProvider -Default", null, "Registration.NotFound", ErrorCategory.ObjectNotFound);
            foreach (var cmdlet in new[] { "Set-OtpProvider", "Unregister-OtpProvider" })
            {
                Add($"{cmdlet}: -Name empty", cmdlet + " -Name ''", null, BindingEmpty, ErrorCategory.InvalidData);
                Add($"{cmdlet}: -Name null", cmdlet + " -Name $null", null, BindingNull, ErrorCategory.InvalidData);
            }
            return cases;
        }

        [Fact]
        public void The_corpus_has_at_least_200_uniquely_named_cases_covering_every_cmdlet()
        {
            Assert.True(All.Count >= 200, $"only {All.Count} cases");
            Assert.Equal(All.Count, All.Select(c => c.Name).Distinct().Count());
            foreach (var cmdlet in new[] { "Send-OtpCode", "Get-OtpHistory", "Get-OtpRegion", "Get-OtpSender", "Register-OtpProvider", "Get-OtpProvider", "Set-OtpProvider", "Unregister-OtpProvider" })
                Assert.Contains(All, c => c.Command.Contains(cmdlet));
            foreach (var provider in new[] { "OtpBlue", "Otpiq", "EngageLab", "GetOtp" })
                Assert.Contains(All, c => c.Command.Contains("-Provider " + provider));
        }

        [Fact]
        public void Get_OtpHistory_to_the_earliest_date_ends_cleanly_instead_of_throwing_an_unhandled_exception()
        {
            // -From defaults to 30 days before -To, which does not exist before 0001-01-31.
            var run = _m.Run("try { Get-OtpHistory -Provider OtpBlue -ApiKey $key -To ([datetime]::MinValue) } catch { $_ }", ModuleFixture.OtpBlueKey());
            Assert.Null(run.Terminating);
            Assert.Empty(run.Errors);
            Assert.Empty(run.Objects<ErrorRecord>());
        }

        [Theory]
        [MemberData(nameof(Names))]
        public void Bad_input_yields_a_clear_error_record_with_a_stable_error_id_and_no_http_call(string name)
        {
            var c = All.Single(x => x.Name == name);
            using var config = new ConfigScope();
            if (c.RegistrationsFile != null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(config.File)!);
                File.WriteAllText(config.File, c.RegistrationsFile);
            }
            foreach (var variable in new[] { "OTPTOOLS_OTPBLUE_APIKEY", "OTPTOOLS_GETOTP_APIKEY", "OTPTOOLS_OTPIQ_APIKEY", "OTPTOOLS_ENGAGELAB_APIKEY", "OTPTOOLS_PROD_APIKEY" })
                config.Set(variable, null);
            var before = _m.Sandbox.TotalRequests;

            var run = _m.Run("try {\n" + c.Command + "\n} catch { $_ }", new Dictionary<string, object?>
            {
                ["v"] = c.Value,
                ["key"] = ModuleFixture.Secure(SandboxKeys.OtpBlue),
                ["iqkey"] = ModuleFixture.Secure(SandboxKeys.Otpiq),
                ["gokey"] = ModuleFixture.Secure(SandboxKeys.GetOtp),
                ["cred"] = new PSCredential(SandboxKeys.EngageLabDevKey, ModuleFixture.Secure(SandboxKeys.EngageLabDevSecret)),
            });

            Assert.Equal(before, _m.Sandbox.TotalRequests);
            Assert.Null(run.Terminating);
            var errors = run.Errors.Concat(run.Objects<ErrorRecord>()).ToList();
            var expectedErrors = Math.Max(1, c.Rows);
            if (c.Command.StartsWith("'Nope1'", StringComparison.Ordinal)) expectedErrors = 3;
            Assert.True(errors.Count == expectedErrors,
                $"expected {expectedErrors} error(s) {c.ErrorId}, got {errors.Count}: " + string.Join(" | ", errors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
            var pattern = WildcardPattern.Get(c.ErrorId, WildcardOptions.None);
            foreach (var error in errors)
            {
                var id = error.FullyQualifiedErrorId.Split(',')[0];
                Assert.True(pattern.IsMatch(id), $"expected ErrorId {c.ErrorId}, got {error.FullyQualifiedErrorId}: {error}");
                Assert.StartsWith("OtpTools.", error.FullyQualifiedErrorId.Substring(id.Length + 1));
                Assert.Equal(c.Category, error.CategoryInfo.Category);
                var text = error.ToString();
                Assert.False(string.IsNullOrWhiteSpace(text));
                Assert.DoesNotContain("   at ", text);
                Assert.DoesNotContain("   at ", error.ErrorDetails?.Message ?? "");
                // No unhandled exception: the cmdlet's own error, or PowerShell's parameter binding.
                Assert.True(error.Exception.GetType().FullName == "OtpTools.OtpToolsException" || error.Exception is ParameterBindingException,
                    $"{error.Exception.GetType().FullName}: {error.Exception.Message}");
                Assert.DoesNotContain(SandboxKeys.OtpBlue, text);
            }

            var results = run.Objects<OtpSendResult>().OrderBy(r => r.Position).ToList();
            Assert.Equal(c.Rows, results.Count);
            Assert.Equal(Enumerable.Range(1, c.Rows), results.Select(r => r.Position));
            Assert.All(results, r =>
            {
                Assert.False(r.Success);
                Assert.Equal("failed", r.Status);
                Assert.True(pattern.IsMatch(r.ErrorId ?? ""), r.ErrorId);
                Assert.Equal(0, r.Attempts);
                Assert.Null(r.MessageId);
                Assert.False(string.IsNullOrWhiteSpace(r.ErrorMessage));
            });
            if (c.Value is string[] rows && c.Rows == rows.Length)
                Assert.Equal(rows, results.Select(r => r.Recipient));
        }
    }
}
