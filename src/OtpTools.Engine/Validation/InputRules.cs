using System;
using System.Collections.Generic;
using System.Linq;

namespace OtpTools.Engine.Validation
{
    /// <summary>Input checks made before any HTTP call; each failure names the parameter, the value and the limit.</summary>
    public static class InputRules
    {
        public static OtpException Invalid(string errorId, string parameter, object? value, string message)
            => new OtpException(errorId, OtpErrorCategory.InvalidArgument, message)
            {
                ParameterName = parameter,
                TargetValue = value,
            };

        public static string Required(string? value, string parameter, string errorId, string provider)
        {
            if (string.IsNullOrWhiteSpace(value))
                throw Invalid(errorId, parameter, value, $"-{parameter} is required by {provider} and was empty.");
            return value!;
        }

        public static void MaxLength(string? value, int max, string parameter, string errorId, string provider)
        {
            if (value != null && value.Length > max)
                throw Invalid(errorId, parameter, value,
                    $"-{parameter} '{value}' is {value.Length} characters long; {provider} allows at most {max}.");
        }

        public static void LengthBetween(string value, int min, int max, string parameter, string errorId, string provider)
        {
            if (value.Length < min || value.Length > max)
                throw Invalid(errorId, parameter, value,
                    $"-{parameter} '{value}' is {value.Length} characters long; {provider} needs {min} to {max}.");
        }

        public static string OneOf(string value, IReadOnlyCollection<string> allowed, string parameter, string errorId,
            string provider, string? hint = null)
        {
            var match = allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase));
            if (match != null) return match;
            var message = $"-{parameter} '{value}' is not supported by {provider}. Allowed: {string.Join(", ", allowed)}.";
            if (hint != null) message += " " + hint;
            throw Invalid(errorId, parameter, value, message);
        }

        /// <summary>A callback URL: absolute, and https unless it points at this machine.</summary>
        public static Uri WebUrl(string value, string parameter, string errorId, string provider, bool httpsOnly)
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != "https" && uri.Scheme != "http"))
                throw Invalid(errorId, parameter, value, $"-{parameter} '{value}' is not an absolute http(s) URL.");
            if (httpsOnly && uri.Scheme != "https")
                throw Invalid(errorId, parameter, value, $"-{parameter} '{value}' must use https for {provider}.");
            return uri;
        }
    }
}
