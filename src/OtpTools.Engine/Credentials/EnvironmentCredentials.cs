using System;
using OtpTools.Engine.Providers;

namespace OtpTools.Engine.Credentials
{
    /// <summary>Credentials from environment variables, for unattended runbooks.</summary>
    public static class EnvironmentCredentials
    {
        public static string ApiKeyVariable(string providerName) => $"OTPTOOLS_{Normalize(providerName)}_APIKEY";
        public static string DevKeyVariable(string providerName) => $"OTPTOOLS_{Normalize(providerName)}_DEVKEY";
        public static string DevSecretVariable(string providerName) => $"OTPTOOLS_{Normalize(providerName)}_DEVSECRET";

        public static OtpCredential? Find(ResolvedProvider provider, Func<string, string?>? environment = null)
        {
            environment ??= Environment.GetEnvironmentVariable;
            if (provider.Type.CredentialKind == CredentialKind.KeyPair)
            {
                var key = environment(DevKeyVariable(provider.Name));
                var secret = environment(DevSecretVariable(provider.Name));
                return string.IsNullOrEmpty(key) || string.IsNullOrEmpty(secret)
                    ? null
                    : OtpCredential.FromKeyPair(OtpCredential.ToSecure(key!), OtpCredential.ToSecure(secret!),
                        $"environment variables {DevKeyVariable(provider.Name)}/{DevSecretVariable(provider.Name)}");
            }
            var apiKey = environment(ApiKeyVariable(provider.Name));
            return string.IsNullOrEmpty(apiKey) ? null
                : OtpCredential.FromPlainText(apiKey!, $"environment variable {ApiKeyVariable(provider.Name)}");
        }

        /// <summary>What to tell a user who has no credential for a provider.</summary>
        public static string HowToProvide(ResolvedProvider provider) =>
            provider.Type.CredentialKind == CredentialKind.KeyPair
                ? $"pass -Credential (user name = dev_key, password = dev_secret), or set {DevKeyVariable(provider.Name)} and {DevSecretVariable(provider.Name)}"
                : $"pass -ApiKey (e.g. -ApiKey (Read-Host -AsSecureString)), or set {ApiKeyVariable(provider.Name)}";

        private static string Normalize(string name)
        {
            var chars = name.ToUpperInvariant().ToCharArray();
            for (var i = 0; i < chars.Length; i++)
                if (!char.IsLetterOrDigit(chars[i])) chars[i] = '_';
            return new string(chars);
        }
    }
}
