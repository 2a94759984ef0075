using System.Collections.Generic;
using System.Linq;

namespace OtpTools.Engine.Providers.GetOtp
{
    /// <summary>
    /// The error codes GetOTP's documents name, with their ErrorIds. Every known one is answered before anything is
    /// sent; a code the documents do not name says nothing about that, so a send that gets one may have gone out.
    /// </summary>
    public static class GetOtpErrors
    {
        public const string InvalidStatusCode = "1439";
        public const string TemplateNotFoundCode = "1251";
        public const string TemplateWithoutCodeCode = "1624";
        public const string CodeAndLengthCode = "1629";
        /// <summary>The table's key for "User Not Authorized": its code is not published, only its HTTP 401.</summary>
        public const string Unauthorized = "401";

        public static IReadOnlyDictionary<string, ProviderErrorEntry> Table { get; } = new Dictionary<string, ProviderErrorEntry>
        {
            [InvalidStatusCode] = new ProviderErrorEntry("GetOtp.InvalidStatus", OtpErrorCategory.InvalidArgument, 400, "Invalid status",
                "Use -Status with one of: " + string.Join(", ", GetOtpLimits.Statuses) + "."),
            [TemplateNotFoundCode] = new ProviderErrorEntry("GetOtp.TemplateNotFound", OtpErrorCategory.ObjectNotFound, 404, "Template not found",
                "Check -TemplateId against the account's templates (GET /v1/templates)."),
            [TemplateWithoutCodeCode] = new ProviderErrorEntry("GetOtp.TemplateWithoutCode", OtpErrorCategory.InvalidData, 400,
                "the template's text has no {code} placeholder", "Use a template whose text holds {code}."),
            [CodeAndLengthCode] = new ProviderErrorEntry("GetOtp.CodeAndLength", OtpErrorCategory.InvalidArgument, 400,
                "both code and code_length were given", "Give -Code or -CodeLength, not both."),
            [Unauthorized] = new ProviderErrorEntry("GetOtp.Unauthorized", OtpErrorCategory.AuthenticationError, 401, "User Not Authorized",
                "Check the key passed with -ApiKey or stored for this provider (sent as X-OTP-Key)."),
        };

        /// <summary>
        /// One exception for an error answer. The first entry decides the ErrorId; the message carries every entry.
        /// A 401/403 is an authentication failure whatever its code.
        /// </summary>
        internal static OtpException ToException(IReadOnlyList<GetOtpError> errors, int httpStatus, bool isSend)
        {
            var first = errors[0];
            var code = CodeText(first);
            ProviderErrorEntry? entry = null;
            if (code != null) Table.TryGetValue(code, out entry);
            if (entry == null && (httpStatus == 401 || httpStatus == 403)) entry = Table[Unauthorized];
            var category = entry?.Category ?? httpStatus switch
            {
                400 => OtpErrorCategory.InvalidArgument,
                404 => OtpErrorCategory.ObjectNotFound,
                429 => OtpErrorCategory.LimitsExceeded,
                _ when httpStatus >= 500 => OtpErrorCategory.ResourceUnavailable,
                _ => OtpErrorCategory.NotSpecified,
            };

            var described = errors.Select(e => $"{CodeText(e) ?? "no code"} ({e.Message ?? "no message"})");
            return new OtpException(entry?.ErrorId ?? "GetOtp.Error", category, $"GetOTP error HTTP {httpStatus}: " + string.Join("; ", described) + ".")
            {
                Provider = GetOtpProviderType.TypeName,
                HttpStatus = httpStatus,
                ProviderCode = code,
                ProviderMessage = first.Message,
                RecommendedAction = entry?.Action,
                CredentialRejected = entry?.RejectsCredential == true,
                // Only what the documents name proves the send was refused before anything went out.
                MayHaveBeenDelivered = isSend && entry == null,
            };
        }

        private static string? CodeText(GetOtpError error) => error.Code.ValueKind switch
        {
            System.Text.Json.JsonValueKind.String => error.Code.GetString(),
            System.Text.Json.JsonValueKind.Number => error.Code.GetRawText(),
            _ => null,
        };
    }
}
