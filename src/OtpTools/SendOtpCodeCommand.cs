using System.Management.Automation;
using OtpTools.Engine;
using OtpTools.Engine.Providers;
using OtpTools.Engine.Sending;

namespace OtpTools
{
    /// <summary>
    /// Sends a one-time passcode to each input. Every input yields exactly one OtpSendResult; a failed one is also
    /// written as a non-terminating error.
    /// </summary>
    [Cmdlet(VerbsCommunications.Send, "OtpCode", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(OtpSendResult))]
    public sealed class SendOtpCodeCommand : OtpCmdlet
    {
        private OtpSendService? _service;
        private int _position;

        /// <summary>Recipient: a phone number in international format, or (EngageLab) an e-mail address.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Contact", "PhoneNumber", "Phone", "Mobile", "Recipient", "Email")]
        [AllowEmptyString, AllowNull]
        public string? To { get; set; }

        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("Otp", "VerificationCode")]
        [AllowEmptyString, AllowNull]
        public string? Code { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("SenderId")]
        [AllowEmptyString, AllowNull]
        public string? Sender { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ProviderValueCompleter))]
        [AllowEmptyString, AllowNull]
        public string? Language { get; set; }

        /// <summary>OTP Blue: URL that receives the delivery status webhook.</summary>
        [Parameter]
        public string? StatusCallback { get; set; }

        /// <summary>OTP Blue: Authorization header value OTP Blue sends with the webhook.</summary>
        [Parameter]
        public string? StatusCallbackHeader { get; set; }

        /// <summary>OTPIQ: the channel ("provider") to use; auto when not given.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(ProviderValueCompleter))]
        public string? Channel { get; set; }

        /// <summary>OTPIQ: WhatsApp Business Account ID of a custom WhatsApp sender.</summary>
        [Parameter]
        public string? WhatsappAccountId { get; set; }

        /// <summary>OTPIQ: WhatsApp Phone Number ID of a custom WhatsApp sender.</summary>
        [Parameter]
        public string? WhatsappPhoneId { get; set; }

        /// <summary>OTPIQ: WhatsApp template name of a custom WhatsApp sender.</summary>
        [Parameter]
        public string? TemplateName { get; set; }

        /// <summary>OTPIQ: https URL that receives delivery reports.</summary>
        [Parameter]
        public string? WebhookUrl { get; set; }

        /// <summary>OTPIQ: which delivery reports the webhook receives (all or final).</summary>
        [Parameter]
        [ArgumentCompleter(typeof(ProviderValueCompleter))]
        public string? DeliveryReportType { get; set; }

        /// <summary>OTPIQ: secret OTPIQ signs delivery reports with.</summary>
        [Parameter]
        public string? WebhookSecret { get; set; }

        /// <summary>EngageLab: the template to send.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? TemplateId { get; set; }

        /// <summary>EngageLab: values of the template's custom variables (template.params).</summary>
        [Parameter]
        public System.Collections.IDictionary? TemplateParameter { get; set; }

        protected override void BeginProcessing()
        {
            var connection = Connect<IOtpCodeSender>(out var sender);
            _service = new OtpSendService(connection, sender);
        }

        protected override void ProcessRecord()
        {
            var request = new OtpSendRequest
            {
                Position = ++_position,
                To = To,
                Code = Code,
                Sender = Sender,
                Language = Language,
                StatusCallback = StatusCallback,
                StatusCallbackHeader = StatusCallbackHeader,
                Channel = Channel,
                WhatsappAccountId = WhatsappAccountId,
                WhatsappPhoneId = WhatsappPhoneId,
                TemplateName = TemplateName,
                WebhookUrl = WebhookUrl,
                DeliveryReportType = DeliveryReportType,
                WebhookSecret = WebhookSecret,
                TemplateId = TemplateId,
                TemplateParameter = Unwrapped(TemplateParameter),
            };

            PreparedSend prepared;
            try
            {
                prepared = _service!.Prepare(request);
            }
            catch (OtpException invalid)
            {
                Emit(_service!.Failed(request, invalid));
                return;
            }

            if (!ShouldProcess($"{prepared.Destination} (row {request.Position})", $"Send one-time passcode via {Provider}"))
                return;
            Emit(Await(_service.SendAsync(prepared, Cancellation)));
        }

        /// <summary>Hashtable values as their base objects, so the engine never sees a PSObject.</summary>
        private static System.Collections.IDictionary? Unwrapped(System.Collections.IDictionary? values)
        {
            if (values == null) return null;
            var plain = new System.Collections.Specialized.OrderedDictionary();
            foreach (System.Collections.DictionaryEntry e in values)
                plain[e.Key is PSObject k ? k.BaseObject : e.Key] = e.Value is PSObject v ? v.BaseObject : e.Value;
            return plain;
        }

        /// <summary>The receipt first, so it is complete even when -ErrorAction Stop turns the error terminating.</summary>
        private void Emit(SendOutcome outcome)
        {
            WriteObject(outcome.Result);
            if (outcome.Error != null) WriteOtpError(outcome.Error, outcome.Result.Recipient);
        }
    }
}
