using System;

namespace OtpTools
{
    /// <summary>One row of OTP Blue's request history.</summary>
    public sealed class OtpHistoryEntry
    {
        public string? Id { get; set; }
        public DateTimeOffset CreateDate { get; set; }
        /// <summary>CreateDate as ISO 8601 UTC text, for CSV files that sort and re-import anywhere.</summary>
        public string? CreateDateUtc => IsoDate.Utc(CreateDate);
        public string? Region { get; set; }
        public string? Contact { get; set; }
        public string? Sender { get; set; }
        public string? Status { get; set; }
        public string? Text { get; set; }
        public string? Language { get; set; }
        public int? ErrorCode { get; set; }
        public string? Provider { get; set; }
    }
}
