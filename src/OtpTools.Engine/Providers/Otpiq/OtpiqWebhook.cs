using System;
using System.Collections.Generic;
using OtpTools.Engine.Webhooks;

namespace OtpTools.Engine.Providers.Otpiq
{
    /// <summary>
    /// OTPIQ's delivery report, sent to a send's deliveryReport.webhookUrl with its webhookSecret in the
    /// X-OTPIQ-Webhook-Secret header: { smsId, deliveryReportType, isFinal, channel, status, senderId?, reason? }.
    /// </summary>
    public sealed class OtpiqWebhook : IDeliveryWebhook
    {
        public const string SecretHeader = "X-OTPIQ-Webhook-Secret";

        public WebhookSecretKind SecretKind => WebhookSecretKind.Token;

        /// <summary>No URL check is documented: every request must carry the secret.</summary>
        public int UrlCheckMaxBytes => 0;

        public bool IsUrlCheck(string body) => false;

        public WebhookVerdict Check(WebhookRequest request, WebhookSecret secret, ReplayGuard replays) =>
            secret.CheckHeader(request, SecretHeader);

        public IReadOnlyList<OtpDeliveryReport> Read(string body)
        {
            using var document = WebhookJson.Parse(body);
            var root = document.RootElement;
            var id = WebhookJson.Text(root, "smsId");
            var status = WebhookJson.Text(root, "status");
            if (id == null || status == null) throw new FormatException("an OTPIQ delivery report needs smsId and status");
            var isFinal = WebhookJson.Flag(root, "isFinal");
            return new[]
            {
                new OtpDeliveryReport
                {
                    MessageId = id,
                    Status = status,
                    IsFinal = isFinal ?? (status == "delivered" || status == "failed" ? true : (bool?)null),
                    Channel = WebhookJson.Text(root, "channel"),
                    SenderId = WebhookJson.Text(root, "senderId"),
                    ErrorMessage = WebhookJson.Text(root, "reason"),
                    Currency = OtpiqLimits.Currency,
                    RawJson = body,
                },
            };
        }
    }
}
