using System.Management.Automation;

namespace EmptyModule
{
    [Cmdlet(VerbsCommon.Get, "Nothing")]
    public sealed class GetNothingCommand : PSCmdlet
    {
        protected override void ProcessRecord() => WriteObject(null);
    }
}
