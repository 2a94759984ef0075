using System.Management.Automation;
using OtpTools.Engine;
using OtpTools.Engine.Providers;

namespace OtpTools
{
    /// <summary>
    /// Checks the code a recipient typed against the one the provider sent (EngageLab: POST /v1/verifications by
    /// message; GetOTP: GET /v1/verifications by code and phone). Pipe a send receipt in: its MessageId, Recipient and
    /// Provider bind by property name.
    /// </summary>
    [ProviderCapability(typeof(IOtpCodeVerifier))]
    [Cmdlet(VerbsLifecycle.Confirm, "OtpCode")]
    [OutputType(typeof(OtpVerificationResult))]
    public sealed class ConfirmOtpCodeCommand : OtpCmdlet
    {
        /// <summary>The provider that sent the message; binds from a receipt's Provider column too.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ProviderNameCompleter))]
        public string? Provider { get; set; }

        protected override string[]? ProviderArgument => Provider == null ? null : new[] { Provider };

        /// <summary>The message id of the send receipt (EngageLab needs it; for GetOTP it narrows the match to that send).</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("message_id")]
        [AllowEmptyString, AllowNull]
        public string? MessageId { get; set; }

        /// <summary>The phone number the code was sent to (GetOTP needs it); binds from a receipt's Recipient.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("To", "Phone", "PhoneNumber")]
        [AllowEmptyString, AllowNull]
        public string? Recipient { get; set; }

        /// <summary>The code the recipient typed.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [Alias("VerifyCode", "Otp")]
        [AllowEmptyString]
        public string Code { get; set; } = "";

        protected override void ProcessRecord()
        {
            // A receipt of a provider that cannot check codes is skipped; the rest go on.
            if (!TryConnectForRow<IOtpCodeVerifier>(MessageId, out var verifier)) return;
            var check = new OtpCodeCheck { MessageId = MessageId, Code = Code, Recipient = Recipient };
            try
            {
                WriteProviderObject(Call(token => verifier.VerifyAsync(check, token)));
            }
            catch (OtpException error)
            {
                // One message's failure (already verified, unknown id) is that message's error, not the pipeline's end.
                WriteOtpError(error, MessageId);
            }
        }
    }
}
