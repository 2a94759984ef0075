using System.Collections.Generic;

namespace OtpTools.Engine.Providers.Otpiq
{
    /// <summary>Input limits from the OTPIQ "Send SMS" document.</summary>
    public static class OtpiqLimits
    {
        public const string SmsType = "verification";
        public const int CodeMinLength = 1;
        public const int CodeMaxLength = 20;
        public const int SenderMaxLength = 11;
        public const string DefaultChannel = "auto";

        /// <summary>The documented values of "provider" (exposed as -Channel).</summary>
        public static IReadOnlyList<string> Channels { get; } = new[]
        {
            "auto", "whatsapp-sms", "telegram-sms", "whatsapp-telegram-sms", "sms", "whatsapp", "telegram",
        };

        public static IReadOnlyList<string> DeliveryReportTypes { get; } = new[] { "all", "final" };

        /// <summary>The statuses of a sender ID (GET /api/sender-ids).</summary>
        public static IReadOnlyList<string> SenderStatuses { get; } = new[] { "accepted", "pending", "rejected" };

        /// <summary>OTPIQ bills in Iraqi dinars.</summary>
        public const string Currency = "IQD";
    }
}
