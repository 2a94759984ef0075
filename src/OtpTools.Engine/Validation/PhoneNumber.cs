using System;
using PhoneNumbers;
using LibPhoneNumber = PhoneNumbers.PhoneNumber;

namespace OtpTools.Engine.Validation
{
    /// <summary>A recipient number parsed once and formatted as each provider wants it.</summary>
    public sealed class PhoneNumber
    {
        private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

        private PhoneNumber(string e164, string regionCode, PhoneNumberType type)
        {
            E164 = e164;
            RegionCode = regionCode;
            Type = type;
        }

        /// <summary>+E.164, e.g. +13231112233 (OTP Blue, EngageLab).</summary>
        public string E164 { get; }
        /// <summary>E.164 digits without '+', e.g. 964750123456 (OTPIQ).</summary>
        public string Digits => E164.Substring(1);
        public string RegionCode { get; }
        public PhoneNumberType Type { get; }

        /// <summary>
        /// True unless libphonenumber knows the number is not a mobile line. FIXED_LINE_OR_MOBILE (all of the US and
        /// Canada) stays a mobile candidate.
        /// </summary>
        public bool MayBeMobile =>
            Type == PhoneNumberType.MOBILE || Type == PhoneNumberType.FIXED_LINE_OR_MOBILE || Type == PhoneNumberType.UNKNOWN;

        /// <summary>
        /// Parses an international number. '+' is optional (CSV files often lose it); spaces, dashes, dots and
        /// parentheses are ignored.
        /// </summary>
        /// <param name="skipRangeCheck">
        /// -SkipNumberCheck: a number in a range newer than libphonenumber's metadata is accepted when it is written as
        /// an international number of 8 to 15 digits with a known country code (E.164's own rules), as the user vouches.
        /// </param>
        public static PhoneNumber Parse(string? input, string parameter, string provider, bool skipRangeCheck = false)
        {
            var text = (input ?? string.Empty).Trim();
            if (text.Length == 0)
                throw InputRules.Invalid("Validation.RecipientRequired", parameter, input, InputRules.Missing(parameter, provider, input));
            // libphonenumber is lenient: it drops text around a number ("call +61...", an emoji, a zero-width or
            // bidi mark) and reads letters as a keypad (1-800-FLOWERS). A recipient is only digits and separators.
            if (!IsNumberText(text)) throw NotANumber(input, parameter);
            if (text.StartsWith("00", StringComparison.Ordinal)) text = "+" + text.Substring(2);
            if (!text.StartsWith("+", StringComparison.Ordinal)) text = "+" + text;

            LibPhoneNumber parsed;
            try
            {
                parsed = Util.Parse(text, null);
            }
            catch (NumberParseException)
            {
                throw NotANumber(input, parameter);
            }
            if (!Util.IsValidNumber(parsed))
            {
                if (!skipRangeCheck) throw NotValidForItsCountry(input, parameter, parsed);
                var e164 = Util.Format(parsed, PhoneNumberFormat.E164);
                var region = Util.GetRegionCodeForCountryCode(parsed.CountryCode);
                if (region == "ZZ" || e164.Length - 1 < 8 || e164.Length - 1 > 15) throw NotValidForItsCountry(input, parameter, parsed);
                return new PhoneNumber(e164, region, PhoneNumberType.UNKNOWN);
            }
            return new PhoneNumber(
                Util.Format(parsed, PhoneNumberFormat.E164),
                Util.GetRegionCodeForNumber(parsed) ?? "ZZ",
                Util.GetNumberType(parsed));
        }

        /// <summary>Decimal digits (any script), a leading plus, spaces, dashes, dots, slashes and parentheses.</summary>
        private static bool IsNumberText(string text)
        {
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (char.IsDigit(c) || c == ' ' || c == '\u00A0' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')') continue;
                if ((c == '+' || c == '\uFF0B') && i == 0) continue;
                if (char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.DashPunctuation) continue;
                return false;
            }
            return true;
        }

        /// <summary>
        /// A number as the module writes it, whatever form a provider used: E.164 with its '+' (OTPIQ answers and
        /// reports digits alone). Anything that is not digits (an e-mail address, text) is left as it is.
        /// </summary>
        public static string? AsE164(string? number)
        {
            if (string.IsNullOrEmpty(number)) return number;
            var digits = number![0] == '+' ? number.Substring(1) : number;
            if (digits.Length == 0) return number;
            foreach (var c in digits)
                if (c < '0' || c > '9') return number;
            return "+" + digits;
        }

        public static bool LooksLikeEmail(string? input) =>
            input != null && input.IndexOf('@') > 0 && input.IndexOf('@') == input.LastIndexOf('@');

        private static OtpException NotANumber(string? input, string parameter) =>
            InputRules.Invalid("Validation.InvalidPhoneNumber", parameter, input,
                $"-{parameter} '{input}' is not a valid international phone number; use E.164 such as +13231112233.");

        /// <summary>Written as an international number, but not one libphonenumber's metadata knows: say what is wrong.</summary>
        private static OtpException NotValidForItsCountry(string? input, string parameter, LibPhoneNumber parsed)
        {
            var region = Util.GetRegionCodeForCountryCode(parsed.CountryCode);
            var country = region == "ZZ" ? $"country code +{parsed.CountryCode}" : $"{region} (+{parsed.CountryCode})";
            var reason = Util.IsPossibleNumberWithReason(parsed) switch
            {
                PhoneNumberUtil.ValidationResult.TOO_SHORT => "it has too few digits",
                PhoneNumberUtil.ValidationResult.TOO_LONG => "it has too many digits",
                PhoneNumberUtil.ValidationResult.INVALID_COUNTRY_CODE => "no country uses that country code",
                PhoneNumberUtil.ValidationResult.INVALID_LENGTH => "no number there has that many digits",
                _ => "it is not in a number range assigned there",
            };
            return InputRules.Invalid("Validation.InvalidPhoneNumber", parameter, input,
                $"-{parameter} '{input}' is written in international (E.164) form, but it is not a valid number for {country}: {reason}, " +
                "according to the phone-number metadata (libphonenumber) the module checks against. " +
                "If you know the number is right (a range newer than the metadata), send it with -SkipNumberCheck.");
        }

        public override string ToString() => E164;
    }
}
