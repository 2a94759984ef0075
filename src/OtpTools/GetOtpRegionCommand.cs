using System.Linq;
using System.Management.Automation;
using OtpTools.Engine;
using OtpTools.Engine.Providers;

namespace OtpTools
{
    /// <summary>Lists the destination regions the provider currently sends to, optionally filtered by ISO code.</summary>
    [Cmdlet(VerbsCommon.Get, "OtpRegion")]
    [OutputType(typeof(OtpRegion))]
    public sealed class GetOtpRegionCommand : OtpCmdlet
    {
        /// <summary>ISO 3166-1 alpha-2 codes to keep (wildcards allowed, case-insensitive); all regions when omitted.</summary>
        [Parameter(Position = 0)]
        [ArgumentCompleter(typeof(ProviderValueCompleter))]
        [SupportsWildcards]
        public string[]? Code { get; set; }

        protected override void ProcessRecord()
        {
            Connect<IOtpRegionReader>(out var reader);
            var patterns = (Code ?? new string[0]).Where(c => c != null)
                .Select(c => WildcardPattern.Get(c.Trim(), WildcardOptions.IgnoreCase)).ToList();
            try
            {
                foreach (var region in Call(reader.GetRegionsAsync))
                {
                    if (patterns.Count == 0 || patterns.Any(p => p.IsMatch(region.Code ?? string.Empty))) WriteObject(region);
                }
            }
            catch (OtpException error)
            {
                ThrowOtpError(error, Provider);
            }
        }
    }
}
