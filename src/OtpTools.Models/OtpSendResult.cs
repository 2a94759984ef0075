using System;

namespace OtpTools
{
    /// <summary>The receipt of one Send-OtpCode input: exactly one per input row, failed or not.</summary>
    public sealed class OtpSendResult
    {
        /// <summary>1-based position of the input row in this pipeline run; joins a receipt back to its input.</summary>
        public int Position { get; set; }
        /// <summary>The recipient exactly as it was given.</summary>
        public string? Recipient { get; set; }
        /// <summary>The recipient as sent to the provider (+E.164, digits, or an e-mail address).</summary>
        public string? Destination { get; set; }
        public bool Success { get; set; }
        public string? Status { get; set; }
        public string? Provider { get; set; }
        public string? ProviderType { get; set; }
        public string? MessageId { get; set; }
        /// <summary>
        /// The channel the provider says it used, or is using (OTP Blue: imessage; EngageLab: the current phase's
        /// channel); empty when its answer does not say (OTPIQ: its track and delivery reports do).
        /// </summary>
        public string? Channel { get; set; }
        /// <summary>The channel asked for (OTPIQ's -Channel, auto by default); empty where the provider or its template decides.</summary>
        public string? RequestedChannel { get; set; }
        public string? ErrorCode { get; set; }
        public string? ErrorId { get; set; }
        public string? ErrorMessage { get; set; }
        public string? Message { get; set; }
        public DateTimeOffset? SentAt { get; set; }
        /// <summary>SentAt as ISO 8601 UTC text, for CSV files that sort and re-import anywhere.</summary>
        public string? SentAtUtc => IsoDate.Utc(SentAt);
        /// <summary>When the provider says it created the message (GetOTP's create_date); empty where its answer has no date.</summary>
        public DateTimeOffset? CreatedAt { get; set; }
        public string? CreatedAtUtc => IsoDate.Utc(CreatedAt);
        /// <summary>When the provider says the code stops being valid (GetOTP's expire_date).</summary>
        public DateTimeOffset? ExpiresAt { get; set; }
        public string? ExpiresAtUtc => IsoDate.Utc(ExpiresAt);
        public decimal? Cost { get; set; }
        public decimal? RemainingCredit { get; set; }
        public string? Currency { get; set; }
        public bool? CanCover { get; set; }
        public string? PaymentType { get; set; }
        /// <summary>HTTP attempts made for this row (0 when rejected before any call).</summary>
        public int Attempts { get; set; }
        /// <summary>
        /// The providers a routed row went through, each with its error code or status: "OtpBlue:150 > Otpiq:sent".
        /// Empty for a send through one provider.
        /// </summary>
        public string? Route { get; set; }
        /// <summary>How many providers the row was tried with (1 without a route, 0 when rejected before any).</summary>
        public int Hops { get; set; }
        /// <summary>True when this receipt comes from the journal of an earlier run (-Resume): the row was not sent again.</summary>
        public bool Resumed { get; set; }
    }
}
