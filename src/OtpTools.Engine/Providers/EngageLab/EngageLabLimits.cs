using System.Collections.Generic;

namespace OtpTools.Engine.Providers.EngageLab
{
    /// <summary>What the EngageLab "OTP Send" document fixes about a request.</summary>
    public static class EngageLabLimits
    {
        /// <summary>template.language when none is given.</summary>
        public const string DefaultLanguage = "default";

        /// <summary>template.language values EngageLab's API reference lists.</summary>
        public static IReadOnlyList<string> Languages { get; } = new[] { "default", "zh_CN", "zh_HK", "en", "ja", "th", "es" };

        /// <summary>The pre-set template field -Sender overrides (the document's from_id example).</summary>
        public const string SenderParameter = "from_id";

        /// <summary>The documented send_channel values.</summary>
        public static IReadOnlyList<string> Channels { get; } = new[] { "whatsapp", "sms", "email", "voice" };
    }
}
