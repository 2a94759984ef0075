using System;
using System.Text.RegularExpressions;

namespace OtpTools.Engine.Http
{
    /// <summary>The one place where text about HTTP calls is made safe to show.</summary>
    public static class Redaction
    {
        private const string Mask = OutwardText.Mask;

        // Query parameters and JSON fields that carry a secret or a passcode.
        private static readonly Regex SecretQuery =
            new Regex(@"(?<=[?&](apikey|api_key|key|token|code|secret)=)[^&#]*", RegexOptions.IgnoreCase | RegexOptions.Compiled);

        private static readonly Regex SecretJson = new Regex(
            @"(?<=""(code|verificationCode|text|webhookSecret|status_callback_header|apikey|api_key|secret)""\s*:\s*"")[^""]*",
            RegexOptions.IgnoreCase | RegexOptions.Compiled);

        public static string Url(Uri uri) => SecretQuery.Replace(uri.ToString(), Mask);

        // System.Text.Json escapes + & < > ' ` for HTML safety; shown as themselves so "+61412345678" reads as written.
        private static readonly Regex HtmlSafeEscape = new Regex(@"\\u00(2[Bb67]|3[CcEe]|60)", RegexOptions.Compiled);

        public static string Body(string? body) => body == null ? string.Empty
            : HtmlSafeEscape.Replace(SecretJson.Replace(body, Mask), m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString());
    }
}
