using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using OtpTools.Engine;
using OtpTools.Engine.Providers;
using OtpTools.Engine.Sending;

namespace OtpTools
{
    /// <summary>
    /// Sends a one-time passcode to each input, up to -ThrottleLimit at once. Every input yields exactly one
    /// OtpSendResult, written as soon as it completes; a failed one is also written as a non-terminating error.
    /// </summary>
    [Cmdlet(VerbsCommunications.Send, "OtpCode", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(OtpSendResult))]
    public sealed class SendOtpCodeCommand : OtpCmdlet
    {
        private readonly List<Task<SendOutcome>> _inFlight = new List<Task<SendOutcome>>();
        private readonly Stopwatch _clock = new Stopwatch();
        private OtpSendService? _service;
        private int _position;
        private int _succeeded;
        private int _failed;
        private int? _total;
        private TimeSpan? _lastProgress;

        /// <summary>Recipients: phone numbers in international format, or (EngageLab) e-mail addresses.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Contact", "PhoneNumber", "Phone", "Mobile", "Recipient", "Email")]
        [AllowEmptyString, AllowNull, AllowEmptyCollection]
        public string?[]? To { get; set; }

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

        /// <summary>How many sends may be in flight at once.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 4;

        protected override void BeginProcessing()
        {
            var connection = Connect<IOtpCodeSender>(out var sender);
            _service = new OtpSendService(connection, sender);
            // The total is known only when the recipients come as an argument rather than down the pipeline.
            if (!MyInvocation.ExpectingInput && To != null) _total = To.Length;
            // "Stop at the first failure" must mean nothing after it is sent, so Stop sends one row at a time.
            if (ErrorActionIsStop()) ThrottleLimit = 1;
            _clock.Start();
        }

        protected override void ProcessRecord()
        {
            foreach (var to in To == null || To.Length == 0 ? new string?[] { null } : To) Send(to);
        }

        protected override void EndProcessing()
        {
            while (_inFlight.Count > 0) WaitForOneToComplete();
            ReportProgress(final: true);
            base.EndProcessing();
        }

        private bool ErrorActionIsStop()
        {
            if (MyInvocation.BoundParameters.TryGetValue("ErrorAction", out var bound))
                return bound is ActionPreference preference && preference == ActionPreference.Stop;
            return GetVariableValue("ErrorActionPreference") is ActionPreference session && session == ActionPreference.Stop;
        }

        private void Send(string? to)
        {
            var request = new OtpSendRequest
            {
                Position = ++_position,
                To = to,
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

            if (!ShouldProcess($"{prepared.Destination} (row {request.Position})", $"Send one-time passcode via {ProviderName}"))
                return;
            while (_inFlight.Count >= ThrottleLimit) WaitForOneToComplete();
            _inFlight.Add(_service.SendAsync(prepared, Cancellation));
            EmitCompleted();
        }

        private void WaitForOneToComplete()
        {
            while (Task.WaitAny(_inFlight.ToArray(), 50) < 0)
            {
                FlushTrace();
                ReportProgress(final: false);
                if (Cancellation.IsCancellationRequested) throw new PipelineStoppedException();
            }
            EmitCompleted();
        }

        /// <summary>Writes every finished send, in the order they finished.</summary>
        private void EmitCompleted()
        {
            FlushTrace();
            foreach (var done in _inFlight.Where(t => t.IsCompleted).ToList())
            {
                _inFlight.Remove(done);
                if (done.IsCanceled || done.IsFaulted && done.Exception!.GetBaseException() is OperationCanceledException)
                    throw new PipelineStoppedException();
                Emit(done.GetAwaiter().GetResult());
            }
            ReportProgress(final: false);
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
            if (outcome.Result.Success) _succeeded++;
            else _failed++;
            WriteObject(outcome.Result);
            if (outcome.Error == null) return;
            try
            {
                WriteOtpError(outcome.Error, outcome.Result.Recipient);
            }
            catch (Exception)
            {
                // -ErrorAction Stop (or Inquire answered with halt): no further sends may go out.
                CancelPending();
                throw;
            }
        }

        private void ReportProgress(bool final)
        {
            var now = _clock.Elapsed;
            // At most four updates a second; none at all for a run too short to have shown any.
            if (!final && _lastProgress != null && now - _lastProgress < TimeSpan.FromMilliseconds(250)) return;
            if (final && _lastProgress == null) return;
            _lastProgress = now;
            var done = _succeeded + _failed;
            var rate = now.TotalSeconds > 0 ? done / now.TotalSeconds : 0;
            var record = new ProgressRecord(0x0712, $"Send-OtpCode via {ProviderName}",
                $"{_succeeded} sent, {_failed} failed, {_inFlight.Count} in flight, {rate:0.0}/s");
            if (_total is int total && total > 0)
            {
                record.PercentComplete = Math.Min(100, done * 100 / total);
                if (rate > 0) record.SecondsRemaining = (int)((total - done) / rate);
            }
            if (final) record.RecordType = ProgressRecordType.Completed;
            WriteProgress(record);
        }
    }
}
