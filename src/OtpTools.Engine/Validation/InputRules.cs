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
                throw Invalid(errorId, parameter, value, Missing(parameter, provider, value));
            return value!;
        }

        /// <summary>"was not given" for an omitted value (no parameter, no CSV column), "was empty" for an empty one.</summary>
        public static string Missing(string parameter, string provider, string? value) =>
            $"-{parameter} is required by {provider} and " + (value == null
                ? $"was not given (as a parameter, or as a {parameter} column of the input rows)."
                : "was empty.");

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

        /// <summary>
        /// Free text that goes to the provider (a code, a sender, a template, a URL, a header value): control, bidi
        /// and zero-width characters and lone surrogates are refused, since they can inject headers, corrupt a message
        /// or disguise it. A secret's value is never echoed.
        /// </summary>
        public static void PlainText(string? value, string parameter, bool secret = false)
        {
            if (value == null) return;
            var safe = Http.TerminalText.Safe(value);
            if (ReferenceEquals(safe, value)) return;
            var at = 0;
            while (at < value.Length && value[at] == safe[at]) at++;
            var character = $"U+{(int)value[at]:X4}";
            throw Invalid("Validation.InvalidCharacters", parameter, secret ? Http.OutwardText.Mask : value,
                $"-{parameter} {(secret ? "" : $"'{safe}' ")}contains {character} at position {at + 1}: control, bidirectional and " +
                "zero-width characters and lone surrogates cannot be sent. Remove it (a value copied from a document or a web page often carries one).");
        }

        /// <summary>Template variables: names and values as plain text; values must be a string, a number or a boolean.</summary>
        public static void TemplateValues(System.Collections.IDictionary? values, string parameter)
        {
            if (values == null) return;
            foreach (System.Collections.DictionaryEntry entry in values)
            {
                PlainText(entry.Key as string ?? entry.Key?.ToString(), parameter + " name");
                switch (entry.Value)
                {
                    case null:
                    case bool _:
                    case byte _: case sbyte _: case short _: case ushort _: case int _: case uint _: case long _: case ulong _:
                    case float _: case double _: case decimal _:
                        break;
                    case string text:
                        PlainText(text, $"{parameter} '{entry.Key}'");
                        break;
                    default:
                        throw Invalid("Validation.InvalidTemplateParameter", parameter, entry.Key,
                            $"-{parameter} '{entry.Key}' is a {entry.Value.GetType().Name}; a template variable takes a string, a number or a boolean " +
                            "(nested tables, arrays, script blocks and byte arrays would be sent as their type name).");
                }
            }
        }

        /// <summary>A callback URL: absolute, and https unless it points at this machine.</summary>
        public static Uri WebUrl(string value, string parameter, string errorId, string provider, bool httpsOnly)
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != "https" && uri.Scheme != "http"))
                throw Invalid(errorId, parameter, value, $"-{parameter} '{value}' is not an absolute http(s) URL.");
            // Loopback may use http: a receiver on this machine (Receive-OtpDeliveryReport in a test) is not on the wire.
            if (httpsOnly && uri.Scheme != "https" && !uri.IsLoopback)
                throw Invalid(errorId, parameter, value, $"-{parameter} '{value}' must use https for {provider}.");
            return uri;
        }
    }
}
