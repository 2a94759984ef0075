using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace OtpTools.Engine.Http
{
    /// <summary>
    /// The one gate for text that leaves the module (receipt, report, history and sender fields, error messages and
    /// exception properties, trace lines): every form of every secret in play is masked — keys, key pairs, options a
    /// provider declares secret, webhook secrets — and text from outside is made terminal-safe. One per cmdlet run;
    /// secrets are added as they come into play.
    /// </summary>
    public sealed class OutwardText
    {
        /// <summary>What a secret is shown as.</summary>
        public const string Mask = "***";

        private readonly object _gate = new object();
        private readonly HashSet<string> _forms = new HashSet<string>(StringComparer.Ordinal);
        private string[] _ordered = Array.Empty<string>();

        /// <summary>A credential of this run: its key and secret in every form they take.</summary>
        public void Add(Credentials.OtpCredential credential) => Add(credential.Forms());

        /// <summary>A secret value (a webhook secret, an option a provider declares secret) in every form it takes.</summary>
        public void AddSecret(string? value) => Add(FormsOf(value));

        /// <summary>As <see cref="AddSecret(string?)"/>, for a secret still held as a SecureString.</summary>
        public void AddSecret(System.Security.SecureString? value)
        {
            if (value != null) AddSecret(Credentials.OtpCredential.Reveal(value));
        }

        private void Add(IEnumerable<string> forms)
        {
            lock (_gate)
            {
                var before = _forms.Count;
                foreach (var form in forms) _forms.Add(form);
                if (_forms.Count == before) return;
                var ordered = new string[_forms.Count];
                _forms.CopyTo(ordered);
                // Longest first, so a form that contains another is masked whole.
                Array.Sort(ordered, (a, b) => b.Length.CompareTo(a.Length));
                _ordered = ordered;
            }
        }

        /// <summary>
        /// Every form a secret takes on the wire or in an echo of it: as is, JSON-escaped (strict and relaxed), URL-escaped
        /// and Base64. Values shorter than four characters are not masked (they would mask ordinary text).
        /// </summary>
        public static IEnumerable<string> FormsOf(params string?[] values)
        {
            foreach (var value in values)
            {
                if (value == null || value.Length < 4) continue;
                yield return value;
                // Text that is not valid UTF-16 (a lone surrogate) has no JSON or URL form: nothing to mask there. It is
                // refused as input anyway; here it must not stop the masking of its other forms.
                if (Encoded(() => JsonEncodedText.Encode(value).ToString()) is string json) yield return json;
                if (Encoded(() => JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString()) is string relaxed) yield return relaxed;
                if (Encoded(() => Uri.EscapeDataString(value)) is string url) yield return url;
                yield return Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
            }
        }

        private static string? Encoded(Func<string> encode)
        {
            try
            {
                return encode();
            }
            catch (Exception e) when (e is ArgumentException || e is UriFormatException || e is InvalidOperationException)
            {
                return null;
            }
        }

        /// <summary>Every form of every secret in play masked. Run it before cutting text short, so no half of a secret survives.</summary>
        public string Redact(string text) => MaskForms(text, _ordered);

        /// <summary>Each of <paramref name="orderedForms"/> (longest first) masked in <paramref name="text"/>.</summary>
        internal static string MaskForms(string text, string[] orderedForms)
        {
            if (string.IsNullOrEmpty(text)) return text;
            foreach (var form in orderedForms)
                if (text.IndexOf(form, StringComparison.Ordinal) >= 0) text = text.Replace(form, Mask);
            return text;
        }

        /// <summary>A text to show: secrets masked, control characters and escape sequences escaped.</summary>
        public string Show(string text) => TerminalText.Safe(Redact(text));

        /// <summary>
        /// An output object's every string property shown (see <see cref="TerminalText.Clean{T}(T, bool)"/> for the
        /// caller's own Recipient).
        /// </summary>
        public T Clean<T>(T item, bool recipientIsCallers = false) where T : class => TerminalText.Clean(item, recipientIsCallers, Redact);
    }
}
