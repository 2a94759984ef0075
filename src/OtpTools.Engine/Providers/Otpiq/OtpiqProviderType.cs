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

        public IReadOnlyList<SendOption> SendOptions { get; } = new[]
        {
            SendOption.Sender("OTPIQ: an approved sender ID."),
            new SendOption("Channel", "OTPIQ: the channel (\"provider\") to use; auto when not given.", values: OtpiqLimits.Channels),
            new SendOption("WhatsappAccountId", "OTPIQ: WhatsApp Business Account ID of a custom WhatsApp sender."),
            new SendOption("WhatsappPhoneId", "OTPIQ: WhatsApp Phone Number ID of a custom WhatsApp sender."),
            new SendOption("TemplateName", "OTPIQ: WhatsApp template name of a custom WhatsApp sender."),
            new SendOption("WebhookUrl", "OTPIQ: https URL that receives delivery reports."),
            new SendOption("DeliveryReportType", "OTPIQ: which delivery reports the webhook receives (all or final).", values: OtpiqLimits.DeliveryReportTypes),
            new SendOption("WebhookSecret", "OTPIQ: secret OTPIQ sends back with each delivery report.", secret: true),
        };

        public IReadOnlyDictionary<string, IReadOnlyList<string>> ParameterValues { get; } =
            new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
            {
                ["Status"] = OtpiqLimits.SenderStatuses,
            };
    }
}
