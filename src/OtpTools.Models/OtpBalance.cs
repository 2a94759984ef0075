using System;

namespace OtpTools
{
    /// <summary>A provider account's remaining credit (Get-OtpBalance).</summary>
    public sealed class OtpBalance
    {
        public string? Provider { get; set; }
        public string? ProjectName { get; set; }
        public decimal? Credit { get; set; }
        public string? Currency { get; set; }
        public DateTimeOffset ReadAt { get; set; }
        /// <summary>ReadAt as ISO 8601 UTC text, for CSV files that sort and re-import anywhere.</summary>
        public string? ReadAtUtc => IsoDate.Utc(ReadAt);
    }
}
