using System;
using System.Collections;
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

        public IReadOnlyList<SendOption> SendOptions { get; } = new[]
        {
            SendOption.Sender("EngageLab: fills the template's {{sender}} variable."),
            SendOption.Language("EngageLab: the template language.", EngageLabLimits.Languages),
            new SendOption("TemplateId", "EngageLab: the template to send.", fromPipelineByPropertyName: true),
            new SendOption("TemplateParameter", "EngageLab: values of the template's custom variables (template.params).", typeof(IDictionary)),
        };

        public IReadOnlyDictionary<string, IReadOnlyList<string>> ParameterValues { get; } =
            new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
    }
}
