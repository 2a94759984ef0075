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

        /// <summary>
        /// ISO codes people write that OTP Blue's list spells its own way (or, for Thai, serves with English): sent as
        /// OTP Blue's code, with a warning, rather than failing a row OTP Blue would send.
        /// </summary>
        public static IReadOnlyDictionary<string, string> LanguageAliases { get; } = new Dictionary<string, string>
        {
            ["ko"] = "kr",
            ["id"] = "in",
            ["th"] = "en",
            ["nb"] = "no",
        };

        /// <summary>
        /// ISO 3166-1 alpha-2 codes of the document's "destinations open by default" (what available-regions lists for
        /// a new account); offered by tab completion of Get-OtpRegion -Code. The provider's answer stays the authority.
        /// </summary>
        public static IReadOnlyList<string> OpenRegionCodes { get; } = new[]
        {
            // Africa
            "DZ", "AO", "CI", "EG", "ET", "GH", "GN", "KE", "MA", "NG", "SN", "ZA", "SY",
            // Asia
            "AZ", "AF", "BD", "KH", "GE", "JP", "ID", "IR", "IQ", "IL", "KZ", "KW", "KG", "LB", "MY", "MV", "MN", "MM", "NP", "PK",
            "PH", "QA", "RU", "SA", "SG", "KR", "LK", "AE", "UZ", "VN",
            // Europe
            "AD", "AM", "AT", "BY", "BE", "BA", "BG", "DK", "FO", "FR", "DE", "FI", "IS", "IE", "IT", "LI", "LU", "MT", "MD", "MC",
            "NL", "NO", "PL", "PT", "RO", "SM", "SI", "RS", "ES", "SE", "CH", "UA", "GB", "IM", "JE", "GI",
            // Americas and Oceania
            "KY", "TC", "BO", "CA", "CO", "DO", "EC", "MX", "PR", "US", "AU", "NZ",
        };

        /// <summary>Destinations the document says OTP Blue never sends to: China and Argentina.</summary>
        public static IReadOnlyCollection<string> RestrictedRegions { get; } = new[] { "CN", "AR" };
    }
}
