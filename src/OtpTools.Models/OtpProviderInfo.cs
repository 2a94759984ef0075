namespace OtpTools
{
    /// <summary>A registered provider as Get-OtpProvider shows it: where its secret lives, never the secret.</summary>
    public sealed class OtpProviderInfo
    {
        public string? Name { get; set; }
        public string? Type { get; set; }
        /// <summary>The registration's own base URI; empty when the type's default (or OTPTOOLS_&lt;TYPE&gt;_BASEURI) applies.</summary>
        public string? BaseUri { get; set; }
        /// <summary>A route's providers in order ("OtpBlue, Otpiq"); empty for a single provider (Type is then "Route").</summary>
        public string? Route { get; set; }
        public string? Vault { get; set; }
        public string? SecretName { get; set; }
        /// <summary>The vault secret Receive-OtpDeliveryReport checks webhooks against.</summary>
        public string? WebhookSecretName { get; set; }
        public bool IsDefault { get; set; }
    }
}
