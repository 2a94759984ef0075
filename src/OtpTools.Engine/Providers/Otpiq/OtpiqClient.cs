using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using OtpTools.Engine.Http;
using OtpTools.Engine.Validation;

namespace OtpTools.Engine.Providers.Otpiq
{
    /// <summary>
    /// OTPIQ "Send SMS" (smsType verification): one POST per code, billed in IQD from the account credit; and the
    /// reads around it: a message's status, the account's credit, its sender IDs.
    /// </summary>
    public sealed class OtpiqClient : IOtpCodeSender, IOtpDeliveryStatusReader, IOtpBalanceReader, IOtpSenderReader
    {
        internal const string SendPath = "/api/sms";
        internal const string TrackPath = "/api/sms/track/";
        internal const string InfoPath = "/api/info";
        internal const string SenderIdsPath = "/api/sender-ids";
        private const string Provider = "OTPIQ";
        private readonly OtpConnection _connection;

        public OtpiqClient(OtpConnection connection) => _connection = connection;

        private sealed class Prepared : PreparedSend
        {
            public Prepared(OtpSendRequest request, OtpiqSendBody body) : base(request, body.PhoneNumber) => Body = body;
            public OtpiqSendBody Body { get; }
        }

        public PreparedSend Prepare(OtpSendRequest request)
        {
            var phone = PhoneNumber.Parse(request.To, "To", Provider, request.SkipNumberCheck);
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

            var requestedChannel = request.Option("Channel");
            var channel = requestedChannel == null ? OtpiqLimits.DefaultChannel
                : InputRules.OneOf(requestedChannel, OtpiqLimits.Channels, "Channel", "Validation.ChannelNotSupported", Provider);

            var webhookUrl = request.Option("WebhookUrl");
            var reportType = request.Option("DeliveryReportType");
            var webhookSecret = request.Option("WebhookSecret");
            OtpiqDeliveryReport? report = null;
            if (webhookUrl != null)
            {
                InputRules.WebUrl(webhookUrl, "WebhookUrl", "Validation.InvalidWebhookUrl", Provider, httpsOnly: true);
                report = new OtpiqDeliveryReport
                {
                    WebhookUrl = webhookUrl,
                    DeliveryReportType = reportType == null ? null
                        : InputRules.OneOf(reportType, OtpiqLimits.DeliveryReportTypes, "DeliveryReportType", "Validation.DeliveryReportTypeNotSupported", Provider),
                    WebhookSecret = string.IsNullOrEmpty(webhookSecret) ? null : webhookSecret,
                };
            }
            else if (reportType != null || webhookSecret != null)
            {
                var (name, value) = reportType != null ? ("DeliveryReportType", reportType) : ("WebhookSecret", Http.OutwardText.Mask);
                throw InputRules.Invalid("Validation.DeliveryReportWithoutWebhookUrl", name, value,
                    $"-{name} configures OTPIQ's delivery report webhook; give -WebhookUrl as well.");
            }

            return new Prepared(request, new OtpiqSendBody
            {
                PhoneNumber = phone.Digits,
                VerificationCode = code,
                SenderId = string.IsNullOrEmpty(request.Sender) ? null : request.Sender,
                WhatsappAccountId = request.Option("WhatsappAccountId"),
                WhatsappPhoneId = request.Option("WhatsappPhoneId"),
                TemplateName = request.Option("TemplateName"),
                Provider = channel,
                DeliveryReport = report,
            });
        }

        public async Task<OtpSendResult> SendAsync(PreparedSend prepared, CancellationToken cancellationToken)
        {
            var body = ((Prepared)prepared).Body;
            var json = JsonSerializer.Serialize(body, OtpiqJsonContext.Default.OtpiqSendBody);
            var request = HttpCall.Json(HttpMethod.Post, _connection.Endpoint(SendPath), json);
            using var answer = await CallAsync(request, cancellationToken).ConfigureAwait(false);

            var parsed = answer.Json(OtpiqJsonContext.Default.OtpiqAnswer);

            if (answer.IsSuccess && parsed?.SmsId != null)
            {
                return new OtpSendResult
                {
                    Success = true,
                    Status = "sent",
                    MessageId = parsed.SmsId,
                    Message = parsed.Message,
                    Destination = Validation.PhoneNumber.AsE164(body.PhoneNumber),
                    // OTPIQ's answer does not say which channel it used: what was asked for is all that is known.
                    RequestedChannel = body.Provider,
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
    

        public async Task<OtpDeliveryReport> GetDeliveryStatusAsync(string messageId, CancellationToken cancellationToken)
        {
            var id = InputRules.Required(messageId, "MessageId", "Validation.MessageIdRequired", Provider);
            InputRules.PlainText(id, "MessageId");
            using var answer = await GetAsync(TrackPath + Uri.EscapeDataString(id), cancellationToken).ConfigureAwait(false);
            var track = answer.Json(OtpiqJsonContext.Default.OtpiqTrackAnswer);
            if (track?.Status == null) throw HttpCall.Unexpected(_connection.Provider.Name, answer);
            return new OtpDeliveryReport
            {
                Provider = _connection.Provider.Name,
                ProviderType = OtpiqProviderType.TypeName,
                MessageId = track.SmsId ?? id,
                Recipient = Validation.PhoneNumber.AsE164(track.PhoneNumber),
                Status = track.Status,
                IsFinal = track.IsFinal ?? (track.Status == "pending" || track.Status == "sent" ? false : true),
                Channel = track.Channel,
                SenderId = track.SenderId,
                ErrorMessage = track.Reason,
                Cost = track.Cost,
                Currency = OtpiqLimits.Currency,
                ReceivedAt = DateTimeOffset.UtcNow,
                RawJson = answer.Body,
            };
        }

        public async Task<OtpBalance> GetBalanceAsync(CancellationToken cancellationToken)
        {
            using var answer = await GetAsync(InfoPath, cancellationToken).ConfigureAwait(false);
            var info = answer.Json(OtpiqJsonContext.Default.OtpiqInfoAnswer);
            if (info?.Credit == null) throw HttpCall.Unexpected(_connection.Provider.Name, answer);
            return new OtpBalance
            {
                Provider = _connection.Provider.Name,
                ProjectName = info.ProjectName,
                Credit = info.Credit,
                Currency = OtpiqLimits.Currency,
                ReadAt = DateTimeOffset.UtcNow,
            };
        }

        /// <summary>GET /api/sender-ids answers every sender at once; the status filter is applied here.</summary>
        public IOtpPager<OtpSender> Senders(OtpSenderQuery query)
        {
            var status = query.Status == null ? null
                : InputRules.OneOf(query.Status, OtpiqLimits.SenderStatuses, "Status", "Validation.InvalidStatus", Provider);
            return new OnePagePager<OtpSender>(async token =>
            {
                using var answer = await GetAsync(SenderIdsPath, token).ConfigureAwait(false);
                var listing = answer.Json(OtpiqJsonContext.Default.OtpiqSenderIdsAnswer);
                if (listing?.Data == null) throw HttpCall.Unexpected(_connection.Provider.Name, answer);
                return listing.Data
                    .Where(s => status == null || string.Equals(s.Status, status, StringComparison.OrdinalIgnoreCase))
                    .Select(s => new OtpSender
                    {
                        Id = s.Id,
                        Code = s.SenderId,
                        Name = s.SenderId,
                        Status = s.Status,
                        Channel = "sms",
                        PriceKorekTelecom = s.PricePerSms?.KorekTelecom,
                        PriceAsiaCell = s.PricePerSms?.AsiaCell,
                        PriceZainIraq = s.PricePerSms?.ZainIraq,
                        PriceOthers = s.PricePerSms?.Others,
                        Provider = _connection.Provider.Name,
                    }).ToList();
            }, query);
        }

        private async Task<HttpAnswer> GetAsync(string path, CancellationToken cancellationToken)
        {
            var answer = await CallAsync(new HttpRequestMessage(HttpMethod.Get, _connection.Endpoint(path)), cancellationToken).ConfigureAwait(false);
            if (answer.IsSuccess) return answer;
            // Whatever its body: a track of an id the account does not have is that id's error, not a broken answer.
            if (answer.Status == 404)
                throw OtpiqErrors.ToException(OtpiqErrors.NotFound, 404, $"OTPIQ has nothing at {path}.", null);
            throw OtpiqErrors.FromAnswer(answer.Status, answer.Json(OtpiqJsonContext.Default.OtpiqAnswer))
                  ?? HttpCall.Unexpected(_connection.Provider.Name, answer);
        }

        private Task<HttpAnswer> CallAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + _connection.Credential.RevealKey());
            return HttpCall.SendAsync(_connection, request, cancellationToken);
        }
    }
}
