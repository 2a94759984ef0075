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

        public IReadOnlyList<SendOption> SendOptions { get; } = new[]
        {
            SendOption.Sender("GetOTP (sms, viber): the sender's name or ID, as Get-OtpSender -Provider GetOtp lists them."),
            SendOption.Language("GetOTP (voice, tts): the language the code is read out in; EN when not given.", GetOtpLimits.Languages),
            new SendOption("Channel", "GetOTP: sms, viber, voice or telegram (required).", values: GetOtpLimits.Channels),
            new SendOption("TemplateId", "GetOTP (sms, viber): the UUID of a template whose text holds {code}.", fromPipelineByPropertyName: true),
            new SendOption("CodeLength", "GetOTP: instead of -Code, GetOTP generates a code of this many digits (4-8; 4-6 for voice).",
                fromPipelineByPropertyName: true),
            new SendOption("VoiceType", "GetOTP (voice): tts reads the code out; flash rings from a number that ends in the code (required for voice).",
                values: GetOtpLimits.VoiceTypes),
            new SendOption("RingingDuration", "GetOTP (voice, flash): seconds the call rings, 5-10 (GetOTP's default 8)."),
            new SendOption("TimeToLive", "GetOTP (telegram): seconds the code stays valid, 60-86400 (GetOTP's default 60)."),
            new SendOption("NumberFormatting", "GetOTP (viber, telegram): true (GetOTP's default) drops a leading 0 after the country code; false keeps it.",
                values: GetOtpLimits.Booleans),
            new SendOption("Payload", "GetOTP: text (at most 500 characters) echoed to the account's webhooks; a hashtable or object is sent as JSON.",
                typeof(object), fromPipelineByPropertyName: true),
        };

        public IReadOnlyDictionary<string, IReadOnlyList<string>> ParameterValues { get; } =
            new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
            {
                ["Status"] = GetOtpLimits.Statuses,
            };
    }
}
