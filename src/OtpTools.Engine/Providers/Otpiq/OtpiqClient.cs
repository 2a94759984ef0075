using System.Collections.Generic;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using OtpTools.Engine.Http;
using OtpTools.Engine.Validation;

namespace OtpTools.Engine.Providers.Otpiq
{
    /// <summary>OTPIQ "Send SMS" (smsType verification): one POST per code, billed in IQD from the account credit.</summary>
    public sealed class OtpiqClient : IOtpCodeSender
    {
        internal const string SendPath = "/api/sms";
        private const string Provider = "OTPIQ";
        private readonly OtpConnection _connection;

        public OtpiqClient(OtpConnection connection) => _connection = connection;

        public IReadOnlyCollection<string> SendOptions { get; } = new[]
        {
            "Channel", "WhatsappAccountId", "WhatsappPhoneId", "TemplateName", "WebhookUrl", "DeliveryReportType", "WebhookSecret",
        };

        private sealed class Prepared : PreparedSend
        {
            public Prepared(OtpSendRequest request, OtpiqSendBody body) : base(request, body.PhoneNumber) => Body = body;
            public OtpiqSendBody Body { get; }
        }

        public PreparedSend Prepare(OtpSendRequest request)
        {
            var phone = PhoneNumber.Parse(request.To, "To", Provider);
            if (!phone.MayBeMobile)
                throw InputRules.Invalid("Validation.NotMobileNumber", "To", request.To,
                    $"-To '{request.To}' is a {phone.Type.ToString().ToLowerInvariant().Replace('_', ' ')} number; OTPIQ sends only to mobile numbers.");

            var code = InputRules.Required(request.Code, "Code", "Validation.CodeRequired", Provider);
            InputRules.LengthBetween(code, OtpiqLimits.CodeMinLength, OtpiqLimits.CodeMaxLength, "Code", "Validation.CodeTooLong", Provider);
            InputRules.MaxLength(request.Sender, OtpiqLimits.SenderMaxLength, "Sender", "Validation.SenderTooLong", Provider);
            // OTPIQ's verification message has no language field.
            if (!string.IsNullOrEmpty(request.Language))
                throw InputRules.Invalid("Validation.UnsupportedParameter", "Language", request.Language,
                    $"-Language '{request.Language}' does not apply to OTPIQ: its verification message has no language.");

            var channel = request.Channel == null ? OtpiqLimits.DefaultChannel
                : InputRules.OneOf(request.Channel, OtpiqLimits.Channels, "Channel", "Validation.ChannelNotSupported", Provider);

            OtpiqDeliveryReport? report = null;
            if (request.WebhookUrl != null)
            {
                InputRules.WebUrl(request.WebhookUrl, "WebhookUrl", "Validation.InvalidWebhookUrl", Provider, httpsOnly: true);
                report = new OtpiqDeliveryReport
                {
                    WebhookUrl = request.WebhookUrl,
                    DeliveryReportType = request.DeliveryReportType == null ? null
                        : InputRules.OneOf(request.DeliveryReportType, OtpiqLimits.DeliveryReportTypes, "DeliveryReportType",
                            "Validation.DeliveryReportTypeNotSupported", Provider),
                    WebhookSecret = string.IsNullOrEmpty(request.WebhookSecret) ? null : request.WebhookSecret,
                };
            }
            else if (request.DeliveryReportType != null || request.WebhookSecret != null)
            {
                var (name, value) = request.DeliveryReportType != null ? ("DeliveryReportType", request.DeliveryReportType) : ("WebhookSecret", "***");
                throw InputRules.Invalid("Validation.DeliveryReportWithoutWebhookUrl", name, value,
                    $"-{name} configures OTPIQ's delivery report webhook; give -WebhookUrl as well.");
            }

            return new Prepared(request, new OtpiqSendBody
            {
                PhoneNumber = phone.Digits,
                VerificationCode = code,
                SenderId = string.IsNullOrEmpty(request.Sender) ? null : request.Sender,
                WhatsappAccountId = request.WhatsappAccountId,
                WhatsappPhoneId = request.WhatsappPhoneId,
                TemplateName = request.TemplateName,
                Provider = channel,
                DeliveryReport = report,
            });
        }

        public async Task<OtpSendResult> SendAsync(PreparedSend prepared, CancellationToken cancellationToken)
        {
            var body = ((Prepared)prepared).Body;
            var json = JsonSerializer.Serialize(body, OtpiqJsonContext.Default.OtpiqSendBody);
            var request = HttpCall.Json(HttpMethod.Post, _connection.Endpoint(SendPath), json);
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + _connection.Credential.RevealKey());
            var answer = await HttpCall.SendAsync(_connection, request, cancellationToken).ConfigureAwait(false);

            var parsed = answer.Json(OtpiqJsonContext.Default.OtpiqAnswer);

            if (answer.IsSuccess && parsed?.SmsId != null)
            {
                return new OtpSendResult
                {
                    Success = true,
                    Status = "sent",
                    MessageId = parsed.SmsId,
                    Message = parsed.Message,
                    Destination = body.PhoneNumber,
                    Channel = body.Provider,
                    Cost = parsed.Cost,
                    RemainingCredit = parsed.RemainingCredit,
                    Currency = OtpiqLimits.Currency,
                    CanCover = parsed.CanCover,
                    PaymentType = parsed.PaymentType,
                };
            }
            throw OtpiqErrors.FromAnswer(answer.Status, answer.IsSuccess ? null : parsed)
                  ?? HttpCall.Unexpected(_connection.Provider.Name, answer);
        }
    }
}
