using System;

namespace OtpTools
{
    /// <summary>One custom Sender ID of a GetOTP account.</summary>
    public sealed class OtpSender
    {
        public string? Id { get; set; }
        public string? AccountId { get; set; }
        public string? Name { get; set; }
        public string? Code { get; set; }
        public string? Channel { get; set; }
        public string? Type { get; set; }
        public string? Status { get; set; }
        public string? Country { get; set; }
        public string[] Countries { get; set; } = Array.Empty<string>();
        /// <summary>Countries joined with ';', so Export-Csv writes them (an array becomes System.String[]).</summary>
        public string CountryList => string.Join(";", Countries ?? Array.Empty<string>());
        public decimal? MonthlyCost { get; set; }
        public decimal? SetupCost { get; set; }
        public DateTimeOffset? CreateDate { get; set; }
        public DateTimeOffset? UpdateDate { get; set; }
        public string? Provider { get; set; }
    }
}
