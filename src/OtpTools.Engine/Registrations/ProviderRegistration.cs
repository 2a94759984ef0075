using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OtpTools.Engine.Registrations
{
    /// <summary>
    /// A named provider: its type, optional base URI and where its secrets live (vault + secret names).
    /// Never the secret itself.
    /// </summary>
    public sealed class ProviderRegistration
    {
        [JsonPropertyName("name")] public string Name { get; set; } = "";
        [JsonPropertyName("type")] public string Type { get; set; } = "";
        [JsonPropertyName("baseUri")] public string? BaseUri { get; set; }
        [JsonPropertyName("vault")] public string? Vault { get; set; }
        [JsonPropertyName("secretName")] public string? SecretName { get; set; }
        /// <summary>The secret (in the same vault) that authenticates the provider's delivery webhooks.</summary>
        [JsonPropertyName("webhookSecretName")] public string? WebhookSecretName { get; set; }
        /// <summary>A route's hops (provider types or registration names), in order; null for a single provider.</summary>
        [JsonPropertyName("route")] public List<string>? Route { get; set; }
        [JsonPropertyName("isDefault")] public bool IsDefault { get; set; }
        /// <summary>Fields a newer OtpTools wrote that this version does not know: kept, and written back unchanged.</summary>
        [JsonExtensionData] public Dictionary<string, JsonElement>? UnknownFields { get; set; }

        // Derived, so not written to providers.json (whose keys are all camelCase fields).
        [JsonIgnore] public bool HasVaultSecret => !string.IsNullOrEmpty(Vault) && !string.IsNullOrEmpty(SecretName);

        [JsonIgnore] public bool IsRoute => Route != null && Route.Count > 0;

        /// <summary>The type name a route registration carries in providers.json and Get-OtpProvider.</summary>
        public const string RouteType = "Route";

        public ProviderRegistration Copy() => (ProviderRegistration)MemberwiseClone();
    }
}
