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

        public IReadOnlyList<SendOption> SendOptions { get; } = new[]
        {
            SendOption.Sender("OTP Blue: bold text before the code."),
            SendOption.Language("OTP Blue: the template language.", OtpBlueLimits.Languages),
            new SendOption("StatusCallback", "OTP Blue: URL that receives the delivery status webhook."),
            new SendOption("StatusCallbackHeader", "OTP Blue: Authorization header value OTP Blue sends with the webhook.", secret: true),
        };

        public IReadOnlyDictionary<string, IReadOnlyList<string>> ParameterValues { get; } =
            new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
            {
                ["Code"] = OtpBlueLimits.OpenRegionCodes,
            };
    }
}
