using System.Management.Automation;
using OtpTools.Engine;
using OtpTools.Engine.Providers;

namespace OtpTools
{
    /// <summary>
    /// Looks up what happened to sent messages (OTPIQ: GET /api/sms/track/{smsId}). Pipe send receipts in: MessageId and
    /// Provider bind by property name; an id the provider does not know is that id's error, and the rest go on.
    /// </summary>
    [ProviderCapability(typeof(IOtpDeliveryStatusReader))]
    [Cmdlet(VerbsCommon.Get, "OtpDeliveryStatus")]
    [OutputType(typeof(OtpDeliveryReport))]
    public sealed class GetOtpDeliveryStatusCommand : OtpCmdlet
    {
        private string? _connectedTo;
        private IOtpDeliveryStatusReader? _reader;

        /// <summary>The provider that sent the message; binds from a receipt's Provider column too.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ProviderNameCompleter))]
        public string? Provider { get; set; }

        protected override string[]? ProviderArgument => Provider == null ? null : new[] { Provider };

        /// <summary>The message ids (OTPIQ smsId) of send receipts.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("smsId", "message_id")]
        public string[] MessageId { get; set; } = new string[0];

        protected override void ProcessRecord()
        {
            // Receipts of one run name one provider: connect once, again only when a row names another.
            if (_reader == null || !string.Equals(_connectedTo, Provider, System.StringComparison.OrdinalIgnoreCase))
            {
                // A receipt of another provider (a failover run's OTP Blue rows) is skipped; the rest go on.
                if (!TryConnectForRow<IOtpDeliveryStatusReader>(string.Join(", ", MessageId), out var reader)) return;
                _reader = reader;
                _connectedTo = Provider;
            }
            foreach (var id in MessageId)
            {
                try
                {
                    WriteProviderObject(Call(token => _reader!.GetDeliveryStatusAsync(id, token)));
                }
                catch (OtpException error)
                {
                    WriteOtpError(error, id);
                }
            }
        }
    }
}
