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
        /// <summary>The recipient as given (a receipt's Recipient, or -Recipient): joins the check back to its send.</summary>
        public string? Recipient { get; set; }
        public string? Provider { get; set; }
        /// <summary>When the module asked the provider (or, for a code that cannot match, decided without asking).</summary>
        public DateTimeOffset? CheckedAt { get; set; }
        /// <summary>CheckedAt as ISO 8601 UTC text.</summary>
        public string? CheckedAtUtc => IsoDate.Utc(CheckedAt);
        public DateTimeOffset? VerifiedAt { get; set; }
        /// <summary>VerifiedAt as ISO 8601 UTC text, for CSV files that sort and re-import anywhere.</summary>
        public string? VerifiedAtUtc => IsoDate.Utc(VerifiedAt);
    }
}
