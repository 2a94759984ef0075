using System;
using System.IO;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using PhoneNumbers;

namespace OtpTools.Sandbox
{
    /// <summary>Helpers every emulated provider uses to read requests as strictly as the docs allow.</summary>
    internal static class SandboxJson
    {
        /// <summary>The request body as a JSON object, or null when it is not one.</summary>
        public static async Task<JsonElement?> ReadObjectAsync(HttpRequest request)
        {
            using var reader = new StreamReader(request.Body);
            var text = await reader.ReadToEndAsync().ConfigureAwait(false);
            try
            {
                using var document = JsonDocument.Parse(text);
                return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        /// <summary>Whether the request says its body is JSON (Content-Type application/json, any charset), as the documents require.</summary>
        public static bool SaysJson(HttpRequest request) =>
            request.ContentType != null &&
            request.ContentType.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase);

        /// <summary>The first property not in <paramref name="allowed"/>: a misspelt field fails in the sandbox rather than passing silently.</summary>
        public static string? UnknownField(JsonElement body, params string[] allowed)
        {
            foreach (var property in body.EnumerateObject())
                if (Array.IndexOf(allowed, property.Name) < 0) return property.Name;
            return null;
        }

        /// <summary>A property's kind: missing, or its JSON value kind.</summary>
        public static JsonValueKind Kind(JsonElement body, string name) =>
            body.TryGetProperty(name, out var value) ? value.ValueKind : JsonValueKind.Undefined;

        public static string? String(JsonElement body, string name) =>
            body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        public static PhoneNumber? ParsePhone(string international)
        {
            try
            {
                var util = PhoneNumberUtil.GetInstance();
                var number = util.Parse(international.StartsWith("+", StringComparison.Ordinal) ? international : "+" + international, null);
                return util.IsValidNumber(number) ? number : null;
            }
            catch (NumberParseException)
            {
                return null;
            }
        }
    }
}
