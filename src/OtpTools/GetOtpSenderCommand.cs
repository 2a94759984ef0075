using System.Management.Automation;
using OtpTools.Engine;
using OtpTools.Engine.Providers;

namespace OtpTools
{
    /// <summary>Streams the provider account's sender IDs, page after page; -First stops paging early.</summary>
    [ProviderCapability(typeof(IOtpSenderReader))]
    [Cmdlet(VerbsCommon.Get, "OtpSender", SupportsPaging = true)]
    [OutputType(typeof(OtpSender))]
    public sealed class GetOtpSenderCommand : OtpCmdlet
    {
        /// <summary>A provider type (OtpBlue, GetOtp, Otpiq, EngageLab) or a registered provider name; binds a registration piped from Get-OtpProvider (its Name).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Name")]
        [ArgumentCompleter(typeof(ProviderNameCompleter))]
        public string? Provider { get; set; }

        protected override string[]? ProviderArgument => Provider == null ? null : new[] { Provider };

        /// <summary>Only senders with this status (GetOTP: Pending, Available, Rejected, Canceled).</summary>
        [Parameter(Position = 0)]
        [ArgumentCompleter(typeof(ProviderValueCompleter))]
        public string? Status { get; set; }

        /// <summary>Rows fetched per HTTP call.</summary>
        [Parameter]
        [ValidateRange(1, 1000)]
        public int PageSize { get; set; } = 1000;

        protected override void ProcessRecord()
        {
            Connect<IOtpSenderReader>(out var reader);
            var query = new OtpSenderQuery { Status = Status };
            ApplyPaging(query);
            // The engine sizes pages itself: with no offset at the provider, skipped rows must be read too.
            query.PageSize = PageSize;
            IOtpPager<OtpSender> pager;
            try
            {
                pager = reader.Senders(query);
            }
            catch (OtpException invalid)
            {
                ThrowOtpError(invalid, invalid.TargetValue);
                return;
            }
            // GetOTP and OTPIQ senders hold different columns (an OTPIQ sender's prices): a view for each provider.
            StreamPages(pager, viewByProvider: true);
        }
    }
}
