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

        /// <summary>Last line of defence before text is written anywhere: masks the secret's clear-text forms.</summary>
        public string Redact(string text)
        {
            foreach (var secret in new[] { RevealKey(), RevealSecret() })
            {
                if (secret.Length >= 4) text = text.Replace(secret, "***");
            }
            return text;
        }

        public override string ToString() => $"OtpCredential(from {Source})";

        private static SecureString Sealed(SecureString value)
        {
            var copy = value.Copy();
            copy.MakeReadOnly();
            return copy;
        }

        private static string Reveal(SecureString value)
        {
            var ptr = IntPtr.Zero;
            try
            {
                ptr = Marshal.SecureStringToGlobalAllocUnicode(value);
                return Marshal.PtrToStringUni(ptr) ?? string.Empty;
            }
            finally
            {
                if (ptr != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(ptr);
            }
        }
    }
}
