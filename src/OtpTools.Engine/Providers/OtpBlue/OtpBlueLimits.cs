using System.Collections.Generic;

namespace OtpTools.Engine.Providers.OtpBlue
{
    /// <summary>Input limits from the OTP Blue API v1.1 document.</summary>
    public static class OtpBlueLimits
    {
        public const int CodeMaxLength = 10;
        public const int SenderMaxLength = 16;

        /// <summary>The documented template languages (Thai is listed under 'en'; Indonesian is 'in', Korean 'kr').</summary>
        public static IReadOnlyList<string> Languages { get; } = new[]
        {
            "bg", "zh", "da", "nl", "en", "fi", "fr", "de", "is", "in", "it", "ja", "kr", "ms", "no", "pl", "pt", "ro",
            "ru", "es", "sv", "tr", "uk", "vi",
        };

        /// <summary>ISO codes people type that OTP Blue spells its own way.</summary>
        public static IReadOnlyDictionary<string, string> LanguageHints { get; } = new Dictionary<string, string>
        {
            ["ko"] = "OTP Blue writes Korean as 'kr'.",
            ["id"] = "OTP Blue writes Indonesian as 'in'.",
            ["th"] = "OTP Blue sends Thai with the 'en' template.",
            ["nb"] = "OTP Blue writes Norwegian as 'no'.",
        };

        /// <summary>Destinations the document says OTP Blue never sends to: China and Argentina.</summary>
        public static IReadOnlyCollection<string> RestrictedRegions { get; } = new[] { "CN", "AR" };
    }
}
