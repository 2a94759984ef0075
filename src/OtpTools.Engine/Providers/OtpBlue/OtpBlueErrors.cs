using System.Collections.Generic;

namespace OtpTools.Engine.Providers.OtpBlue
{
    /// <summary>Every error code of the OTP Blue API v1.1 document, with its ErrorId and category (all answered with HTTP 400).</summary>
    public static class OtpBlueErrors
    {
        public static IReadOnlyDictionary<int, ProviderErrorEntry> Table { get; } = new Dictionary<int, ProviderErrorEntry>
        {
            [100] = new ProviderErrorEntry("OtpBlue.InternalError", OtpErrorCategory.InvalidOperation, 400, "Internal error/Bad request"),
            [110] = new ProviderErrorEntry("OtpBlue.AppleServiceUnavailable", OtpErrorCategory.ResourceUnavailable, 400, "Unable to send message to Apple services", "Try again later."),
            [150] = new ProviderErrorEntry("OtpBlue.NoIMessage", OtpErrorCategory.ResourceUnavailable, 400, "No iMessage: the recipient cannot receive iMessage", "Send this recipient the code over another channel (e.g. SMS): -Provider OtpBlue, Otpiq does it in one call.", failOver: true),
            [280] = new ProviderErrorEntry("OtpBlue.RecipientOptedOut", OtpErrorCategory.PermissionDenied, 400, "This recipient has opted out of your messages"),
            [720] = new ProviderErrorEntry("OtpBlue.NoCapacity", OtpErrorCategory.ResourceBusy, 400, "No capacity: OTP Blue cannot deliver at the moment", "Try again later.", failOver: true),
            [1110] = new ProviderErrorEntry("OtpBlue.MissingCredentials", OtpErrorCategory.AuthenticationError, 400, "Missed credentials"),
            [1155] = new ProviderErrorEntry("OtpBlue.UnsupportedRegion", OtpErrorCategory.InvalidArgument, 400, "Unsupported phone number region for OTP codes", "See Get-OtpRegion for the regions OTP Blue sends to.", failOver: true),
            [1160] = new ProviderErrorEntry("OtpBlue.InvalidTemplateLanguage", OtpErrorCategory.InvalidArgument, 400, "Invalid template language code for OTP code"),
            [1205] = new ProviderErrorEntry("OtpBlue.MissingParameters", OtpErrorCategory.InvalidArgument, 400, "Missed required parameters in JSON"),
            [1210] = new ProviderErrorEntry("OtpBlue.InvalidCode", OtpErrorCategory.InvalidArgument, 400, "Invalid OTP value"),
            [1215] = new ProviderErrorEntry("OtpBlue.InvalidCodeLength", OtpErrorCategory.InvalidArgument, 400, "Invalid OTP code length"),
            [1220] = new ProviderErrorEntry("OtpBlue.InvalidSender", OtpErrorCategory.InvalidArgument, 400, "Invalid \"sender\" value"),
            [1225] = new ProviderErrorEntry("OtpBlue.SenderTooLong", OtpErrorCategory.InvalidArgument, 400, "Sender value too long"),
            [1230] = new ProviderErrorEntry("OtpBlue.InvalidLanguage", OtpErrorCategory.InvalidArgument, 400, "Invalid \"language\" value"),
            [1250] = new ProviderErrorEntry("OtpBlue.InvalidApiKey", OtpErrorCategory.AuthenticationError, 400, "Invalid API Key", "Check the key passed with -ApiKey or stored for this provider."),
            [1600] = new ProviderErrorEntry("OtpBlue.InvalidRecipient", OtpErrorCategory.InvalidArgument, 400, "Invalid recipient"),
            [1800] = new ProviderErrorEntry("OtpBlue.InvalidPhoneNumber", OtpErrorCategory.InvalidArgument, 400, "Invalid phone number"),
            [1900] = new ProviderErrorEntry("OtpBlue.NotMobile", OtpErrorCategory.InvalidArgument, 400, "Phone number not mobile", failOver: true),
        };

        /// <summary>Retrying can help only for these (no code reached the recipient).</summary>
        public const int NoCapacity = 720;

        public static OtpException ToException(int code, string? providerMessage, int httpStatus) =>
            ProviderErrors.FromCode(Table, OtpBlueProviderType.TypeName, "OTP Blue", "OTP Blue v1.1 document", code, providerMessage, httpStatus);
    }
}
