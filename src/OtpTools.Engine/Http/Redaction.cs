using System;
using System.Text.RegularExpressions;

namespace OtpTools.Engine.Http
{
    /// <summary>The one place where text about HTTP calls is made safe to show.</summary>
    public static class Redaction
    {
        private const string Mask = "***";

        // Query parameters and JSON fields that carry a secret or a passcode.
        private static readonly Regex SecretQuery =
            new Regex(@"(?<=[?&](apikey|api_key|key|token|code|secret)=)[^&#]*", RegexOptions.IgnoreCase | RegexOptions.Compiled);

        private static readonly Regex SecretJson = new Regex(
            @"(?<=""(code|verificationCode|text|webhookSecret|status_callback_header|apikey|api_key|secret)""\s*:\s*"")[^""]*",
            RegexOptions.IgnoreCase | RegexOptions.Compiled);

        public static string Url(Uri uri) => SecretQuery.Replace(uri.ToString(), Mask);

        public static string Body(string? body) => body == null ? string.Empty : SecretJson.Replace(body, Mask);
    }
}
