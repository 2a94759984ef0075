using System;
using System.Linq;
using OtpTools.Engine.Http;
using OtpTools.Engine.Providers;

namespace OtpTools.Engine.Sending
{
    /// <summary>The one result of one input row, and the error behind it when it failed.</summary>
    public sealed class SendOutcome
    {
        public SendOutcome(OtpSendResult result, OtpException? error)
        {
            Result = result;
            Error = error;
        }

        public OtpSendResult Result { get; }
        public OtpException? Error { get; }
        /// <summary>A failure that is not reported as an error of its own (e.g. rows not sent after the credential was rejected).</summary>
        public bool Quiet { get; set; }
    }
}
