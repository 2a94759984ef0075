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

            if (!ShouldProcess($"{prepared.Destination} (row {request.Position})", $"Send one-time passcode via {ProviderName}"))
                return;
            Emit(Await(_service.SendAsync(prepared, Cancellation)));
        }

        /// <summary>The receipt first, so it is complete even when -ErrorAction Stop turns the error terminating.</summary>
        private void Emit(SendOutcome outcome)
        {
            WriteObject(outcome.Result);
            if (outcome.Error != null) WriteOtpError(outcome.Error, outcome.Result.Recipient);
        }
    }
}
