using System.Management.Automation;
using OtpTools.Engine;
using OtpTools.Engine.Providers;

namespace OtpTools
{
    /// <summary>Lists the destination regions the provider currently sends to.</summary>
    [Cmdlet(VerbsCommon.Get, "OtpRegion")]
    [OutputType(typeof(OtpRegion))]
    public sealed class GetOtpRegionCommand : OtpCmdlet
    {
        protected override void ProcessRecord()
        {
            Connect<IOtpRegionReader>(out var reader);
            try
            {
                foreach (var region in Call(reader.GetRegionsAsync)) WriteObject(region);
            }
            catch (OtpException error)
            {
                ThrowOtpError(error, Provider);
            }
        }
    }
}
