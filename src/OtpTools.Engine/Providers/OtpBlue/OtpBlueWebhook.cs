using System;
using System.Collections.Generic;
using OtpTools.Engine.Webhooks;

namespace OtpTools.Engine.Providers.OtpBlue
{
    /// <summary>
    /// OTP Blue's delivery webhook, sent to a send's status_callback with the Authorization value given as
    /// status_callback_header. Its body is not documented: the fields the send and history answers use are read, and
    /// the raw JSON is kept.
    /// </summary>
    public sealed class OtpBlueWebhook : IDeliveryWebhook
    {
        public WebhookSecretKind SecretKind => WebhookSecretKind.Token;

        /// <summary>No URL check is documented: every request must carry the secret.</summary>
        public int UrlCheckMaxBytes => 0;

        public bool IsUrlCheck(string body) => false;

        public WebhookVerdict Check(WebhookRequest request, WebhookSecret secret, ReplayGuard replays) =>
            secret.CheckHeader(request, "Authorization");

        public IReadOnlyList<OtpDeliveryReport> Read(string body)
        {
            using var document = WebhookJson.Parse(body);
            var root = document.RootElement;
            var id = WebhookJson.Text(root, "message_id") ?? WebhookJson.Text(root, "id") ?? WebhookJson.Text(root, "webhook_id");
            var status = WebhookJson.Text(root, "status");
            if (id == null && status == null) throw new FormatException("the body has neither a message id nor a status");
            return new[]
            {
                new OtpDeliveryReport
                {
                    MessageId = id,
                    Recipient = Validation.PhoneNumber.AsE164(WebhookJson.Text(root, "contact") ?? WebhookJson.Text(root, "recipient")),
                    Status = status,
                    // The document names two statuses, delivered and failed; both are the end of a message.
                    IsFinal = status == "delivered" || status == "failed" ? true : (bool?)null,
                    Channel = "imessage",
                    SenderId = WebhookJson.Text(root, "sender"),
                    ErrorCode = WebhookJson.Text(root, "error_code") ?? WebhookJson.Text(root, "code"),
                    ErrorMessage = status == "failed" ? WebhookJson.Text(root, "message") : null,
                    RawJson = body,
                },
            };
        }
    }
}
