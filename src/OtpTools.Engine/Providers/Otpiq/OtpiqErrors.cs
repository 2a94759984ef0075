using System;
using System.Collections.Generic;
using System.Globalization;

namespace OtpTools.Engine.Providers.Otpiq
{
    /// <summary>
    /// Every failure answer OTPIQ is known to give. OTPIQ has no numeric error codes, so an answer is told apart by its
    /// HTTP status and shape; the provider code reported is the HTTP status.
    /// </summary>
    public static class OtpiqErrors
    {
        public const string Validation = "Validation";
        public const string InsufficientCredit = "InsufficientCredit";
        public const string Unauthorized = "Unauthorized";
        public const string RateLimited = "RateLimited";
        public const string ServerError = "ServerError";
        public const string NotFound = "NotFound";

        public static IReadOnlyDictionary<string, ProviderErrorEntry> Table { get; } = new Dictionary<string, ProviderErrorEntry>
        {
            [Validation] = new ProviderErrorEntry("Otpiq.ValidationError", OtpErrorCategory.InvalidArgument, 400,
                "the request failed OTPIQ's validation"),
            [InsufficientCredit] = new ProviderErrorEntry("Otpiq.InsufficientCredit", OtpErrorCategory.QuotaExceeded, 400,
                "insufficient credit", "Top up the OTPIQ account, then send again."),
            [Unauthorized] = new ProviderErrorEntry("Otpiq.Unauthorized", OtpErrorCategory.AuthenticationError, 401,
                "the API key is missing or invalid"),
            [RateLimited] = new ProviderErrorEntry("Otpiq.RateLimited", OtpErrorCategory.LimitsExceeded, 429,
                "too many requests for this phone number"),
            [NotFound] = new ProviderErrorEntry("Otpiq.NotFound", OtpErrorCategory.ObjectNotFound, 404,
                "not found", "Check the id: it is the smsId (MessageId) of a send receipt of this OTPIQ account."),
            [ServerError] = new ProviderErrorEntry("Otpiq.ServerError", OtpErrorCategory.ResourceUnavailable, 500,
                "OTPIQ internal server error"),
        };

        internal static OtpException ToException(string kind, int httpStatus, string detail, string? providerMessage)
        {
            var entry = Table[kind];
            return new OtpException(entry.ErrorId, entry.Category, $"OTPIQ HTTP {httpStatus} ({entry.Meaning}): {detail}")
            {
                Provider = OtpiqProviderType.TypeName,
                HttpStatus = httpStatus,
                ProviderCode = httpStatus.ToString(CultureInfo.InvariantCulture),
                ProviderMessage = providerMessage,
                RecommendedAction = entry.Action,
                CredentialRejected = entry.RejectsCredential,
                // OTPIQ answers these before creating an SMS task; only a 500 leaves that unknown.
                MayHaveBeenDelivered = kind == ServerError,
            };
        }

        /// <summary>The error for a documented failure answer, or null when the answer is not one.</summary>
        internal static OtpException? FromAnswer(int status, OtpiqAnswer? a)
        {
            if (a == null) return null;
            var inv = CultureInfo.InvariantCulture;
            if (status == 400 && a.Error != null && (a.YourCredit != null || a.RequiredCredit != null))
                return ToException(InsufficientCredit, status,
                    $"{a.Error}. Your credit is {a.YourCredit?.ToString(inv) ?? "?"} {OtpiqLimits.Currency}; this message needs " +
                    $"{a.RequiredCredit?.ToString(inv) ?? "?"} {OtpiqLimits.Currency}.", a.Error);
            if (status == 400 && a.Error != null)
                return ToException(Validation, status, a.Error, a.Error);
            if (status == 401 && a.Message != null)
                return ToException(Unauthorized, status, a.Message, a.Message);
            if (status == 429 && a.Message != null && a.WaitMinutes != null)
            {
                var wait = TimeSpan.FromMinutes(Math.Max(0, a.WaitMinutes.Value));
                var error = ToException(RateLimited, status,
                    $"{a.Message}. OTPIQ allows {a.MaxRequests?.ToString(inv) ?? "?"} requests per phone number every " +
                    $"{a.TimeWindowMinutes?.ToString(inv) ?? "?"} minutes; try again in {a.WaitMinutes.Value.ToString(inv)} minute(s), " +
                    $"after {DateTimeOffset.UtcNow.Add(wait):yyyy-MM-dd HH:mm} UTC.", a.Message);
                error.RetryAfter = wait;
                // Not processed, so resending is safe; the retry policy waits only when the wait is short enough.
                error.SafeToRetry = true;
                error.RecommendedAction = $"Wait {a.WaitMinutes.Value.ToString(inv)} minute(s) before sending to this number again.";
                return error;
            }
            if (status == 500 && a.Message != null)
                return ToException(ServerError, status, a.Message, a.Message);
            return null;
        }
    }
}
