using System;
using System.Collections.Generic;

namespace OtpTools.Engine.Providers.Otpiq
{
    public sealed class OtpiqProviderType : IOtpProviderType
    {
        public const string TypeName = "Otpiq";
        public string Name => TypeName;
        public Uri DefaultBaseUri { get; } = new Uri("https://api.otpiq.com");
        public CredentialKind CredentialKind => CredentialKind.ApiKey;
        public Type ClientType => typeof(OtpiqClient);
        public Webhooks.IDeliveryWebhook? DeliveryWebhook { get; } = new OtpiqWebhook();
        public object CreateClient(OtpConnection connection) => new OtpiqClient(connection);

        public IReadOnlyDictionary<string, IReadOnlyList<string>> ParameterValues { get; } =
            new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
            {
                ["Channel"] = OtpiqLimits.Channels,
                ["DeliveryReportType"] = OtpiqLimits.DeliveryReportTypes,
                ["Status"] = OtpiqLimits.SenderStatuses,
            };
    }
}
