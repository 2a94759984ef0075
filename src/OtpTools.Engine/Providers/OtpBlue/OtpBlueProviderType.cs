using System;
using System.Collections.Generic;

namespace OtpTools.Engine.Providers.OtpBlue
{
    public sealed class OtpBlueProviderType : IOtpProviderType
    {
        public const string TypeName = "OtpBlue";
        public string Name => TypeName;
        public Uri DefaultBaseUri { get; } = new Uri("https://api.otpblue.com");
        public CredentialKind CredentialKind => CredentialKind.ApiKey;
        public Type ClientType => typeof(OtpBlueClient);
        public Webhooks.IDeliveryWebhook? DeliveryWebhook { get; } = new OtpBlueWebhook();
        public object CreateClient(OtpConnection connection) => new OtpBlueClient(connection);

        public IReadOnlyDictionary<string, IReadOnlyList<string>> ParameterValues { get; } =
            new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
            {
                ["Language"] = OtpBlueLimits.Languages,
                ["Code"] = OtpBlueLimits.OpenRegionCodes,
            };
    }
}
