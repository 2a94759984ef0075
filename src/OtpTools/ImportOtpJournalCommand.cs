using System.Linq;
using System.Management.Automation;
using OtpTools.Engine;
using OtpTools.Engine.Sending;

namespace OtpTools
{
    /// <summary>
    /// Reads a Send-OtpCode journal back as one receipt per row (its last state; a row still in flight when the run
    /// ended is "unknown"), so the journal of an interrupted run becomes its complete receipt.
    /// </summary>
    [Cmdlet(VerbsData.Import, "OtpJournal")]
    [OutputType(typeof(OtpSendResult))]
    public sealed class ImportOtpJournalCommand : PSCmdlet
    {
        /// <summary>The journal file(s) written by Send-OtpCode -JournalPath.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "JournalPath")]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = new string[0];

        protected override void ProcessRecord()
        {
            foreach (var path in Path)
            {
                var fullPath = GetUnresolvedProviderPathFromPSPath(path);
                try
                {
                    var rows = SendJournal.Read(fullPath, WriteWarning);
                    foreach (var row in rows.Values.OrderBy(r => r.Position)) WriteObject(OtpTools.Engine.Http.TerminalText.Clean(row.ToReceipt()));
                }
                catch (OtpException error)
                {
                    WriteError(OtpErrors.ToRecord(error, path));
                }
            }
        }
    }
}
