using System;
using System.Collections.Generic;
using System.Management.Automation;
using OtpTools.Engine;
using OtpTools.Engine.Providers;

namespace OtpTools
{
    /// <summary>Streams the provider's request history, page after page; -First stops paging early.</summary>
    [ProviderCapability(typeof(IOtpHistoryReader))]
    [Cmdlet(VerbsCommon.Get, "OtpHistory", SupportsPaging = true)]
    [OutputType(typeof(OtpHistoryEntry))]
    public sealed class GetOtpHistoryCommand : OtpCmdlet
    {
        /// <summary>A provider type (OtpBlue, GetOtp, Otpiq, EngageLab) or a registered provider name; binds a registration piped from Get-OtpProvider (its Name).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Name")]
        [ArgumentCompleter(typeof(ProviderNameCompleter))]
        public string? Provider { get; set; }

        protected override string[]? ProviderArgument => Provider == null ? null : new[] { Provider };

        private readonly HashSet<string> _recipients = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>First day to include (date part only). Default: 30 days before -EndDate. -From still works.</summary>
        [Parameter(Position = 0)]
        [Alias("From")]
        public DateTime? StartDate { get; set; }

        /// <summary>Last day to include (date part only). Default: today (UTC). -To still works.</summary>
        [Parameter(Position = 1)]
        [Alias("To")]
        public DateTime? EndDate { get; set; }

        /// <summary>Only requests to these recipients; binds from a CSV's Phone/Contact/Mobile column like Send-OtpCode -To.</summary>
        [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Contact", "PhoneNumber", "Phone", "Mobile")]
        public string[]? Recipient { get; set; }

        /// <summary>Rows fetched per HTTP call.</summary>
        [Parameter]
        [ValidateRange(1, 1000)]
        public int PageSize { get; set; } = 1000;

        /// <summary>Recipients are gathered from the whole pipeline, so the window is read once for all of them.</summary>
        protected override void ProcessRecord()
        {
            foreach (var recipient in Recipient ?? new string[0])
            {
                try
                {
                    // The history writes contacts in E.164: compare in that form, whatever spacing the input has.
                    _recipients.Add(Engine.Validation.PhoneNumber.Parse(recipient, "Recipient", "OTP Blue").E164);
                }
                catch (OtpException invalid)
                {
                    ThrowOtpError(invalid, recipient);
                }
            }
        }

        protected override void EndProcessing()
        {
            Connect<IOtpHistoryReader>(out var reader);
            var to = (EndDate ?? DateTime.UtcNow).Date;
            var query = new OtpHistoryQuery { From = (StartDate ?? (to > DateTime.MinValue.AddDays(30) ? to.AddDays(-30) : DateTime.MinValue)).Date, To = to, PageSize = PageSize };
            var filtered = _recipients.Count > 0;
            // A recipient filter is applied here, so -Skip and -First count the rows it keeps, not the provider's.
            if (!filtered) ApplyPaging(query);
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
            StreamPages(pager, filtered ? entry => entry.Contact != null && _recipients.Contains(entry.Contact) : (Func<OtpHistoryEntry, bool>?)null);
            base.EndProcessing();
        }
    }
}
