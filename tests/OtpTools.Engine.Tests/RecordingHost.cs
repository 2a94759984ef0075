using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using OtpTools.Engine.Sending;

namespace OtpTools.Engine.Tests
{
    /// <summary>What -ErrorAction Stop does to the cmdlet's WriteError.</summary>
    internal sealed class RunEnded : Exception
    {
    }

    /// <summary>Records what Send-OtpCode would write, in order.</summary>
    internal sealed class RecordingHost : ISendSessionHost
    {
        public List<string> Events { get; } = new List<string>();
        public List<OtpSendResult> Receipts { get; } = new List<OtpSendResult>();
        public List<OtpException> Errors { get; } = new List<OtpException>();
        public List<SendProgress> Progress { get; } = new List<SendProgress>();
        public List<(string Operation, string Target)> Asked { get; } = new List<(string, string)>();
        public Func<string, string, string?> Answer { get; set; } = (_, _) => null;
        public bool ErrorsEndTheRun { get; set; }

        public void Wait(Task task, Action tick)
        {
            while (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(20)) tick();
        }

        public string? Consent(string operation, string target)
        {
            Asked.Add((operation, target));
            return Answer(operation, target);
        }

        public void FlushTrace()
        {
        }

        public void WriteReceipt(OtpSendResult receipt)
        {
            Receipts.Add(receipt);
            Events.Add("receipt:" + receipt.Position);
        }

        public void WriteError(OtpException error, string? recipient)
        {
            Errors.Add(error);
            Events.Add("error:" + Receipts.Last(r => r.Recipient == recipient).Position);
            if (ErrorsEndTheRun) throw new RunEnded();
        }

        public void WriteProgress(SendProgress progress) => Progress.Add(progress);
    }
}
