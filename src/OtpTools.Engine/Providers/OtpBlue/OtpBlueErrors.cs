using System.Collections.Generic;

namespace OtpTools.Engine.Providers.OtpBlue
{
    /// <summary>Every error code of the OTP Blue API v1.1 document, with its ErrorId and category.</summary>
    public static class OtpBlueErrors
    {
        public sealed class Entry
        {
            public Entry(string errorId, OtpErrorCategory category, string meaning, string? action = null)
            {
                ErrorId = errorId;
                Category = category;
                Meaning = meaning;
                Action = action;
            }

            public string ErrorId { get; }
            public OtpErrorCategory Category { get; }
            public string Meaning { get; }
            public string? Action { get; }
        }

        public static IReadOnlyDictionary<int, Entry> Table { get; } = new Dictionary<int, Entry>
        {
            [100] = new Entry("OtpBlue.InternalError", OtpErrorCategory.InvalidOperation, "Internal error/Bad request"),
            [110] = new Entry("OtpBlue.AppleServiceUnavailable", OtpErrorCategory.ResourceUnavailable, "Unable to send message to Apple services", "Try again later."),
            [150] = new Entry("OtpBlue.NoIMessage", OtpErrorCategory.ResourceUnavailable, "No iMessage: the recipient cannot receive iMessage", "Send this recipient the code over another channel (e.g. SMS)."),
            [280] = new Entry("OtpBlue.RecipientOptedOut", OtpErrorCategory.PermissionDenied, "This recipient has opted out of your messages"),
            [720] = new Entry("OtpBlue.NoCapacity", OtpErrorCategory.ResourceBusy, "No capacity: OTP Blue cannot deliver at the moment", "Try again later."),
            [1110] = new Entry("OtpBlue.MissingCredentials", OtpErrorCategory.AuthenticationError, "Missed credentials", "Pass -ApiKey or set OTPTOOLS_<PROVIDER>_APIKEY."),
            [1155] = new Entry("OtpBlue.UnsupportedRegion", OtpErrorCategory.InvalidArgument, "Unsupported phone number region for OTP codes", "See Get-OtpRegion for the regions OTP Blue sends to."),
            [1160] = new Entry("OtpBlue.InvalidTemplateLanguage", OtpErrorCategory.InvalidArgument, "Invalid template language code for OTP code"),
            [1205] = new Entry("OtpBlue.MissingParameters", OtpErrorCategory.InvalidArgument, "Missed required parameters in JSON"),
            [1210] = new Entry("OtpBlue.InvalidCode", OtpErrorCategory.InvalidArgument, "Invalid OTP value"),
            [1215] = new Entry("OtpBlue.InvalidCodeLength", OtpErrorCategory.InvalidArgument, "Invalid OTP code length"),
            [1220] = new Entry("OtpBlue.InvalidSender", OtpErrorCategory.InvalidArgument, "Invalid \"sender\" value"),
            [1225] = new Entry("OtpBlue.SenderTooLong", OtpErrorCategory.InvalidArgument, "Sender value too long"),
            [1230] = new Entry("OtpBlue.InvalidLanguage", OtpErrorCategory.InvalidArgument, "Invalid \"language\" value"),
            [1250] = new Entry("OtpBlue.InvalidApiKey", OtpErrorCategory.AuthenticationError, "Invalid API Key", "Check the key passed with -ApiKey or stored for this provider."),
            [1600] = new Entry("OtpBlue.InvalidRecipient", OtpErrorCategory.InvalidArgument, "Invalid recipient"),
            [1800] = new Entry("OtpBlue.InvalidPhoneNumber", OtpErrorCategory.InvalidArgument, "Invalid phone number"),
            [1900] = new Entry("OtpBlue.NotMobile", OtpErrorCategory.InvalidArgument, "Phone number not mobile"),
        };

        /// <summary>Retrying can help only for these (no code reached the recipient).</summary>
        public const int NoCapacity = 720;

        public static OtpException ToException(int code, string? providerMessage, int httpStatus)
        {
            Table.TryGetValue(code, out var entry);
            var errorId = entry?.ErrorId ?? "OtpBlue.UnknownError";
            var meaning = entry?.Meaning ?? "an error code the OTP Blue v1.1 document does not list";
            var message = $"OTP Blue error {code} ({meaning})" +
                          (string.IsNullOrEmpty(providerMessage) ? "." : $": {providerMessage}");
            return new OtpException(errorId, entry?.Category ?? OtpErrorCategory.NotSpecified, message)
            {
                Provider = OtpBlueProviderType.TypeName,
                HttpStatus = httpStatus,
                ProviderCode = code.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ProviderMessage = providerMessage,
                RecommendedAction = entry?.Action,
            };
        }
    }
}
