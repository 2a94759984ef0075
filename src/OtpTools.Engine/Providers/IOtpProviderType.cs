using System;
using System.Collections.Generic;

namespace OtpTools.Engine.Providers
{
    /// <summary>How a provider authenticates: one API key, or a key pair (EngageLab's dev_key:dev_secret).</summary>
    public enum CredentialKind
    {
        ApiKey,
        KeyPair,
    }

    /// <summary>
    /// The contract of one provider folder. A provider becomes known to the cmdlets by one line in
    /// <see cref="ProviderCatalog"/>; its client implements the capability interfaces it serves
    /// (<see cref="IOtpCodeSender"/>, <see cref="IOtpHistoryReader"/>, <see cref="IOtpRegionReader"/>, ...).
    /// </summary>
    public interface IOtpProviderType
    {
        /// <summary>Type name, also usable as a provider name with no registration (e.g. OtpBlue).</summary>
        string Name { get; }
        /// <summary>Production host; paths from the docs are appended to it unchanged.</summary>
        Uri DefaultBaseUri { get; }
        CredentialKind CredentialKind { get; }
        /// <summary>The client class, whose interfaces say what the provider can do.</summary>
        Type ClientType { get; }
        object CreateClient(OtpConnection connection);
        /// <summary>
        /// The Send-OtpCode parameters this provider takes beyond -To and -Code: Send-OtpCode offers each as a
        /// parameter, and validation, redaction and tab completion read them. Empty for a provider that cannot send.
        /// </summary>
        IReadOnlyList<SendOption> SendOptions { get; }
        /// <summary>Values tab completion offers for the read cmdlets' parameters (-Status, -Code); send options carry their own.</summary>
        IReadOnlyDictionary<string, IReadOnlyList<string>> ParameterValues { get; }
        /// <summary>How the provider's delivery webhooks authenticate and read; null when it sends none.</summary>
        Webhooks.IDeliveryWebhook? DeliveryWebhook { get; }
    }
}
