using System;
using System.Collections.Generic;

namespace OtpTools.Engine.Providers.GetOtp
{
    public sealed class GetOtpProviderType : IOtpProviderType
    {
        public const string TypeName = "GetOtp";
        public string Name => TypeName;
        public Uri DefaultBaseUri { get; } = new Uri("https://api.otp.dev");
        public CredentialKind CredentialKind => CredentialKind.ApiKey;
        public Type ClientType => typeof(GetOtpClient);
        // GetOTP's document describes no delivery webhook.
        public Webhooks.IDeliveryWebhook? DeliveryWebhook => null;
        public object CreateClient(OtpConnection connection) => new GetOtpClient(connection);

        // GetOTP's API lists sender IDs; it sends nothing.
        public IReadOnlyList<SendOption> SendOptions { get; } = new SendOption[0];

        public IReadOnlyDictionary<string, IReadOnlyList<string>> ParameterValues { get; } =
            new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
            {
                ["Status"] = GetOtpLimits.Statuses,
            };
    }
}
