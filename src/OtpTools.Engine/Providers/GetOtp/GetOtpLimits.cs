using System.Collections.Generic;

namespace OtpTools.Engine.Providers.GetOtp
{
    /// <summary>Input limits from GetOTP's Senders and verifications documents.</summary>
    public static class GetOtpLimits
    {
        /// <summary>The documented filter[status] values, in the document's casing.</summary>
        public static IReadOnlyList<string> Statuses { get; } = new[] { "Pending", "Available", "Rejected", "Canceled" };

        public const int MinPageSize = 1;
        public const int MaxPageSize = 1000;

        public const string Sms = "sms";
        public const string Viber = "viber";
        public const string Voice = "voice";
        public const string Telegram = "telegram";

        /// <summary>The verification channels, as the send documents write them (lowercase).</summary>
        public static IReadOnlyList<string> Channels { get; } = new[] { Sms, Viber, Voice, Telegram };

        /// <summary>Channels whose message is a template sent from a sender (sender and template required).</summary>
        public static IReadOnlyList<string> TemplateChannels { get; } = new[] { Sms, Viber };

        /// <summary>Channels that take number_formatting.</summary>
        public static IReadOnlyList<string> NumberFormattingChannels { get; } = new[] { Viber, Telegram };

        public const string Tts = "tts";
        public const string Flash = "flash";
        public static IReadOnlyList<string> VoiceTypes { get; } = new[] { Tts, Flash };

        /// <summary>The code, or the length of the code GetOTP generates: 4 to 8 digits, 4 to 6 for voice.</summary>
        public const int CodeMinLength = 4;
        public const int CodeMaxLength = 8;
        public const int VoiceCodeMaxLength = 6;

        /// <summary>A flash call rings 5 to 10 seconds.</summary>
        public const int RingingMinSeconds = 5;
        public const int RingingMaxSeconds = 10;

        /// <summary>A Telegram code lives 60 to 86,400 seconds.</summary>
        public const int TtlMinSeconds = 60;
        public const int TtlMaxSeconds = 86400;

        /// <summary>
        /// The Telegram page limits payload to 500 characters; the other pages state no limit, so the module applies the
        /// one documented limit to every channel (the safer reading).
        /// </summary>
        public const int PayloadMaxLength = 500;

        /// <summary>The languages a tts call reads the code in (EN when none is given).</summary>
        public static IReadOnlyList<string> Languages { get; } = new[]
        {
            "AR", "ZH", "EN", "GB", "FR", "DE", "HI", "JA", "RU", "ES", "MX", "BN", "ID", "MS", "FIL", "TH", "VI",
        };

        /// <summary>Values -NumberFormatting takes (a CSV column holds text).</summary>
        public static IReadOnlyList<string> Booleans { get; } = new[] { "true", "false" };
    }
}
