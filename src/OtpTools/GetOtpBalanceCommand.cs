using System.Management.Automation;
using OtpTools.Engine;
using OtpTools.Engine.Providers;

namespace OtpTools
{
    /// <summary>Reads the provider account's remaining credit (OTPIQ: GET /api/info).</summary>
    [ProviderCapability(typeof(IOtpBalanceReader))]
    [Cmdlet(VerbsCommon.Get, "OtpBalance")]
    [OutputType(typeof(OtpBalance))]
    public sealed class GetOtpBalanceCommand : OtpCmdlet
    {
        /// <summary>A provider type or registered provider name; binds a registration piped from Get-OtpProvider (its Name).</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Name")]
        [ArgumentCompleter(typeof(ProviderNameCompleter))]
        public string? Provider { get; set; }

        protected override string[]? ProviderArgument => Provider == null ? null : new[] { Provider };

        protected override void ProcessRecord()
        {
            Connect<IOtpBalanceReader>(out var reader);
            try
            {
                WriteProviderObject(Call(reader.GetBalanceAsync));
            }
            catch (OtpException error)
            {
                ThrowOtpError(error, Provider);
            }
        }
    }
}
