using System.Collections.Generic;
using System.Linq;

namespace OtpTools.Engine.Providers.GetOtp
{
    /// <summary>The error codes of the GetOTP Senders API document, with their ErrorIds.</summary>
    public static class GetOtpErrors
    {
        public const string InvalidStatusCode = "1439";

        public static IReadOnlyDictionary<string, (string ErrorId, OtpErrorCategory Category, string Meaning)> Table { get; } =
            new Dictionary<string, (string, OtpErrorCategory, string)>
            {
                [InvalidStatusCode] = ("GetOtp.InvalidStatus", OtpErrorCategory.InvalidArgument, "Invalid status"),
            };

        /// <summary>
        /// One exception for an error answer. The first entry decides the ErrorId; the message carries every entry.
        /// A 401/403 is an authentication failure whatever its code, since the document lists none for it.
        /// </summary>
        internal static OtpException ToException(IReadOnlyList<GetOtpError> errors, int httpStatus)
        {
            var first = errors[0];
            var code = CodeText(first);
            string errorId;
            OtpErrorCategory category;
            string? action = null;
            if (code != null && Table.TryGetValue(code, out var entry))
            {
                (errorId, category, _) = entry;
                if (code == InvalidStatusCode) action = "Use -Status with one of: " + string.Join(", ", GetOtpLimits.Statuses) + ".";
            }
            else if (httpStatus == 401 || httpStatus == 403)
            {
                errorId = "GetOtp.Unauthorized";
                category = OtpErrorCategory.AuthenticationError;
                action = "Check the key passed with -ApiKey or stored for this provider (sent as X-OTP-Key).";
            }
            else
            {
                errorId = "GetOtp.Error";
                category = httpStatus switch
                {
                    400 => OtpErrorCategory.InvalidArgument,
                    404 => OtpErrorCategory.ObjectNotFound,
                    429 => OtpErrorCategory.LimitsExceeded,
                    _ when httpStatus >= 500 => OtpErrorCategory.ResourceUnavailable,
                    _ => OtpErrorCategory.NotSpecified,
                };
            }

            var described = errors.Select(e => $"{CodeText(e) ?? "no code"} ({e.Message ?? "no message"})");
            return new OtpException(errorId, category, $"GetOTP error HTTP {httpStatus}: " + string.Join("; ", described) + ".")
            {
                Provider = GetOtpProviderType.TypeName,
                HttpStatus = httpStatus,
                ProviderCode = code,
                ProviderMessage = first.Message,
                RecommendedAction = action,
                CredentialRejected = category == OtpErrorCategory.AuthenticationError,
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
