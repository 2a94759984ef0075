using System.Collections.Generic;

namespace OtpTools.Engine.Providers.EngageLab
{
    /// <summary>Every error code of the EngageLab "OTP Send" document, with its HTTP status, ErrorId and category.</summary>
    public static class EngageLabErrors
    {
        public const int FrequencyLimit = 3004;

        public static IReadOnlyDictionary<int, ProviderErrorEntry> Table { get; } = new Dictionary<int, ProviderErrorEntry>
        {
            [1000] = new ProviderErrorEntry("EngageLab.InternalError", OtpErrorCategory.ResourceUnavailable, 500, "internal error"),
            [2001] = new ProviderErrorEntry("EngageLab.AuthenticationFailed", OtpErrorCategory.AuthenticationError, 401,
                "authentication failed, incorrect or missing token"),
            [2002] = new ProviderErrorEntry("EngageLab.KeyExpiredOrDisabled", OtpErrorCategory.AuthenticationError, 401,
                "authentication failed, token expired or disabled", "Enable the key in the EngageLab console or create a new one."),
            [2004] = new ProviderErrorEntry("EngageLab.PermissionDenied", OtpErrorCategory.PermissionDenied, 403,
                "no permission to call this API", "Grant this key access to the OTP API in the EngageLab console.", rejectsCredential: true),
            [3001] = new ProviderErrorEntry("EngageLab.InvalidJson", OtpErrorCategory.InvalidData, 400,
                "invalid request parameter format (not the JSON the API expects)"),
            [3002] = new ProviderErrorEntry("EngageLab.InvalidParameter", OtpErrorCategory.InvalidArgument, 400,
                "incorrect request parameters"),
            [3003] = new ProviderErrorEntry("EngageLab.ValidationFailed", OtpErrorCategory.InvalidArgument, 400,
                "business validation failed"),
            [FrequencyLimit] = new ProviderErrorEntry("EngageLab.FrequencyLimit", OtpErrorCategory.LimitsExceeded, 400,
                "frequency limit: a code from this template was already sent to this recipient and is still valid; " +
                "EngageLab does not resend it within the OTP validity period",
                "Wait until the code already sent has expired (the template's validity period) before sending again."),
            [4001] = new ProviderErrorEntry("EngageLab.ResourceNotFound", OtpErrorCategory.ObjectNotFound, 400,
                "related resource does not exist (e.g. an unknown template id)", "Check -TemplateId against the templates in the EngageLab console."),
            [5001] = new ProviderErrorEntry("EngageLab.DispatchFailed", OtpErrorCategory.InvalidOperation, 400,
                "verification message dispatch failed"),
        };

        public static OtpException ToException(int code, string? providerMessage, int httpStatus)
        {
            var error = ProviderErrors.FromCode(Table, EngageLabProviderType.TypeName, "EngageLab", "OTP Send document", code, providerMessage, httpStatus);
            // Only an internal error leaves open whether a message went out.
            error.MayHaveBeenDelivered = code == 1000;
            return error;
        }
    }
}
