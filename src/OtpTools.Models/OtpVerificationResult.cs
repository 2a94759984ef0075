using System;

namespace OtpTools
{
    /// <summary>The answer of Confirm-OtpCode: whether the code the recipient typed is the one the provider generated.</summary>
    public sealed class OtpVerificationResult
    {
        public string? MessageId { get; set; }
        public bool Verified { get; set; }
        /// <summary>Why a code was not verified, in the provider's words (for example: already verified).</summary>
        public string? Reason { get; set; }
        public string? Provider { get; set; }
        public DateTimeOffset? VerifiedAt { get; set; }
        /// <summary>VerifiedAt as ISO 8601 UTC text, for CSV files that sort and re-import anywhere.</summary>
        public string? VerifiedAtUtc => IsoDate.Utc(VerifiedAt);
    }
}
