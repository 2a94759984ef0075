using System;
using System.Runtime.InteropServices;
using System.Security;

namespace OtpTools.Engine.Credentials
{
    /// <summary>
    /// A provider secret, kept as SecureString until a request header is written. ToString never reveals it.
    /// </summary>
    public sealed class OtpCredential
    {
        private readonly SecureString _key;
        private readonly SecureString? _secret;

        private OtpCredential(SecureString key, SecureString? secret, string source)
        {
            _key = key;
            _secret = secret;
            Source = source;
        }

        /// <summary>Where the secret came from (for -Debug): never the value.</summary>
        public string Source { get; }
        public bool IsKeyPair => _secret != null;

        public static OtpCredential FromApiKey(SecureString apiKey, string source) => new OtpCredential(Sealed(apiKey), null, source);

        /// <summary>EngageLab's dev_key:dev_secret pair.</summary>
        public static OtpCredential FromKeyPair(SecureString key, SecureString secret, string source) =>
            new OtpCredential(Sealed(key), Sealed(secret), source);

        public static OtpCredential FromPlainText(string apiKey, string source) => FromApiKey(ToSecure(apiKey), source);

        public static SecureString ToSecure(string value)
        {
            var secure = new SecureString();
            foreach (var c in value) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }

        /// <summary>The key in clear, only for writing a request header.</summary>
        internal string RevealKey() => Reveal(_key);

        internal string RevealSecret() => _secret == null ? string.Empty : Reveal(_secret);

        private string[]? _forms;

        /// <summary>
        /// Every form the secret takes on the wire or in an echo of it: as is, JSON-escaped (both the strict and the
        /// relaxed encoder), URL-escaped, Base64 alone and as HTTP Basic's key:secret pair. Longest first, so a form
        /// that contains another is masked whole.
        /// </summary>
        internal string[] Forms() => _forms ??= ComputeForms();

        private string[] ComputeForms()
        {
            var key = RevealKey();
            var secret = RevealSecret();
            var forms = new System.Collections.Generic.HashSet<string>(Http.OutwardText.FormsOf(key, secret), StringComparer.Ordinal);
            if (secret.Length > 0)
                forms.Add(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(key + ":" + secret)));
            var ordered = new string[forms.Count];
            forms.CopyTo(ordered);
            Array.Sort(ordered, (a, b) => b.Length.CompareTo(a.Length));
            return ordered;
        }

        /// <summary>
        /// The one redaction step every outward string passes (answers, messages, trace lines, receipts, journal):
        /// masks each form of the secret. Run it before cutting text short, so no half of a key survives.
        /// </summary>
        private byte[][]? _utf8Forms;

        /// <summary>
        /// Whether an answer's raw UTF-8 bytes hold any form of the secret: when not (nearly always), the answer can be
        /// parsed from its bytes as they are, with no string made of it.
        /// </summary>
        public bool AppearsIn(byte[] utf8, int length)
        {
            _utf8Forms ??= Array.ConvertAll(Forms(), f => System.Text.Encoding.UTF8.GetBytes(f));
            var text = new ReadOnlySpan<byte>(utf8, 0, length);
            foreach (var form in _utf8Forms)
                if (form.Length > 0 && text.IndexOf(form) >= 0) return true;
            return false;
        }

        public string Redact(string text) => Http.OutwardText.MaskForms(text, Forms());

        /// <summary>
        /// A secret becomes an HTTP header: a line break or other control character in it would inject headers. The
        /// error names where the credential came from, never its value.
        /// </summary>
        public void EnsureHeaderSafe()
        {
            foreach (var (value, part) in new[] { (RevealKey(), "key"), (RevealSecret(), "secret") })
            {
                for (var i = 0; i < value.Length; i++)
                {
                    if (char.IsControl(value[i]) || value[i] == '\u2028' || value[i] == '\u2029')
                        throw new OtpException("Credential.InvalidCharacters", OtpErrorCategory.InvalidData,
                            $"The credential's {part} from {Source} contains a line break or another control character (at position {i + 1}), " +
                            "which an HTTP header cannot hold; nothing was sent. Copy the key again without the line break.")
                        { ParameterName = Source };
                }
            }
        }

        public override string ToString() => $"OtpCredential(from {Source})";

        private static SecureString Sealed(SecureString value)
        {
            var copy = value.Copy();
            copy.MakeReadOnly();
            return copy;
        }

        internal static string Reveal(SecureString value)
        {
            var ptr = IntPtr.Zero;
            try
            {
                ptr = Marshal.SecureStringToGlobalAllocUnicode(value);
                // By its length: read up to the first NUL, a secret holding one would be cut short and pass the checks
                // for control characters (and a key would go out truncated).
                return Marshal.PtrToStringUni(ptr, value.Length);
            }
            finally
            {
                if (ptr != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(ptr);
            }
        }
    }
}
