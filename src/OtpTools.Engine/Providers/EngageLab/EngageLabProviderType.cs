using System;
using System.Collections.Generic;

namespace OtpTools.Engine.Providers.EngageLab
{
    public sealed class EngageLabProviderType : IOtpProviderType
    {
        public const string TypeName = "EngageLab";
        public string Name => TypeName;
        public Uri DefaultBaseUri { get; } = new Uri("https://otp.api.engagelab.cc");
        public CredentialKind CredentialKind => CredentialKind.KeyPair;
        public Type ClientType => typeof(EngageLabClient);
        public Webhooks.IDeliveryWebhook? DeliveryWebhook { get; } = new EngageLabWebhook();
        public object CreateClient(OtpConnection connection) => new EngageLabClient(connection);

        public IReadOnlyDictionary<string, IReadOnlyList<string>> ParameterValues { get; } =
            new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
            {
                ["Language"] = new[] { EngageLabLimits.DefaultLanguage },
            };
    }
}
