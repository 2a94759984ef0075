using System.Linq;
using System.Management.Automation;
using OtpTools.Engine;
using OtpTools.Engine.Providers;

namespace OtpTools
{
    /// <summary>Lists the destination regions the provider currently sends to, optionally filtered by ISO code.</summary>
    [ProviderCapability(typeof(IOtpRegionReader))]
    [Cmdlet(VerbsCommon.Get, "OtpRegion")]
    [OutputType(typeof(OtpRegion))]
    public sealed class GetOtpRegionCommand : OtpCmdlet
    {
        /// <summary>A provider type (OtpBlue, GetOtp, Otpiq, EngageLab) or a registered provider name; binds a registration piped from Get-OtpProvider (its Name).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Name")]
        [ArgumentCompleter(typeof(ProviderNameCompleter))]
        public string? Provider { get; set; }

        protected override string[]? ProviderArgument => Provider == null ? null : new[] { Provider };

        /// <summary>ISO 3166-1 alpha-2 codes to keep (wildcards allowed, case-insensitive); all regions when omitted.</summary>
        [Parameter(Position = 0)]
        [ArgumentCompleter(typeof(ProviderValueCompleter))]
        [SupportsWildcards]
        public string[]? Code { get; set; }

        private WildcardPattern Pattern(string code)
        {
            var pattern = WildcardPattern.Get(code.Trim(), WildcardOptions.IgnoreCase);
            try
            {
                pattern.IsMatch(string.Empty);
            }
            catch (WildcardPatternException e)
            {
                ThrowOtpError(new OtpException("Validation.InvalidWildcard", OtpErrorCategory.InvalidArgument,
                    $"-Code '{Engine.Http.TerminalText.Safe(code)}' is not a valid wildcard pattern ({e.Message}). Escape a literal [ or ] with a backtick.")
                { ParameterName = "Code", TargetValue = code }, code);
            }
            return pattern;
        }

        protected override void ProcessRecord()
        {
            // A pattern that cannot be read is an input error, found before any HTTP call.
            var codes = (Code ?? new string[0]).Where(c => c != null).ToList();
            var patterns = codes.Select(Pattern).ToList();
            Connect<IOtpRegionReader>(out var reader);
            try
            {
                var regions = Call(reader.GetRegionsAsync);
                foreach (var region in regions)
                {
                    if (patterns.Count == 0 || patterns.Any(p => p.IsMatch(region.Code ?? string.Empty))) WriteProviderObject(region);
                }
                // A literal code that matches nothing is an error of its own (as Get-Item does); a wildcard stays silent.
                foreach (var code in codes.Where(c => !WildcardPattern.ContainsWildcardCharacters(c)))
                {
                    if (!regions.Any(r => string.Equals(r.Code, code.Trim(), System.StringComparison.OrdinalIgnoreCase)))
                        WriteOtpError(new OtpException("Region.NotFound", OtpErrorCategory.ObjectNotFound,
                            $"{ProviderName} does not send to region '{Engine.Http.TerminalText.Safe(code)}' (or it is not an ISO 3166-1 alpha-2 code). Get-OtpRegion lists the open ones.")
                        { ParameterName = "Code", TargetValue = code }, code);
                }
            }
            catch (OtpException error)
            {
                ThrowOtpError(error, Provider);
            }
        }
    }
}
