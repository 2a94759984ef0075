using System;
using System.Management.Automation;
using OtpTools.Engine;
using OtpTools.Engine.Providers;

namespace OtpTools
{
    /// <summary>Streams the provider's request history, page after page; -First stops paging early.</summary>
    [Cmdlet(VerbsCommon.Get, "OtpHistory", SupportsPaging = true)]
    [OutputType(typeof(OtpHistoryEntry))]
    public sealed class GetOtpHistoryCommand : OtpCmdlet
    {
        /// <summary>A provider type (OtpBlue, GetOtp, Otpiq, EngageLab) or a registered provider name.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(ProviderNameCompleter))]
        public string? Provider { get; set; }

        protected override string[]? ProviderArgument => Provider == null ? null : new[] { Provider };

        /// <summary>First day to include (date part only). Default: 30 days before -To.</summary>
        [Parameter(Position = 0)]
        public DateTime? From { get; set; }

        /// <summary>Last day to include (date part only). Default: today (UTC).</summary>
        [Parameter(Position = 1)]
        public DateTime? To { get; set; }

        /// <summary>Rows fetched per HTTP call.</summary>
        [Parameter]
        [ValidateRange(1, 1000)]
        public int PageSize { get; set; } = 1000;

        protected override void ProcessRecord()
        {
            Connect<IOtpHistoryReader>(out var reader);
            var to = (To ?? DateTime.UtcNow).Date;
            var query = new OtpHistoryQuery { From = (From ?? (to > DateTime.MinValue.AddDays(30) ? to.AddDays(-30) : DateTime.MinValue)).Date, To = to, PageSize = PageSize };
            ApplyPaging(query);
            IOtpPager<OtpHistoryEntry> pager;
            try
            {
                pager = reader.History(query);
            }
            catch (OtpException invalid)
            {
                ThrowOtpError(invalid, invalid.TargetValue);
                return;
            }
            StreamPages(pager);
        }
    }
}
