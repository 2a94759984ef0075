using System;

namespace OtpTools
{
    /// <summary>
    /// What a provider says happened to a sent code after it accepted it: one delivery webhook event
    /// (Receive-OtpDeliveryReport) or one status lookup (Get-OtpDeliveryStatus). Flat for CSV; joins to a send
    /// receipt by MessageId.
    /// </summary>
    public sealed class OtpDeliveryReport
    {
        public string? Provider { get; set; }
        public string? ProviderType { get; set; }
        public string? MessageId { get; set; }
        /// <summary>The recipient as the provider reports it.</summary>
        public string? Recipient { get; set; }
        /// <summary>The provider's status word (delivered, failed, sent, pending, expired, sent_failed...).</summary>
        public string? Status { get; set; }
        /// <summary>True when no later report will change the status; null when the provider does not say.</summary>
        public bool? IsFinal { get; set; }
        public string? Channel { get; set; }
        public string? SenderId { get; set; }
        public string? ErrorCode { get; set; }
        public string? ErrorMessage { get; set; }
        public decimal? Cost { get; set; }
        public string? Currency { get; set; }
        /// <summary>When this module received the report (or read the status).</summary>
        public DateTimeOffset ReceivedAt { get; set; }
        /// <summary>ReceivedAt as ISO 8601 UTC text, for CSV files that sort and re-import anywhere.</summary>
        public string? ReceivedAtUtc => IsoDate.Utc(ReceivedAt);
        /// <summary>The event's JSON as the provider sent it, for fields the module does not map.</summary>
        public string? RawJson { get; set; }
    }
}
