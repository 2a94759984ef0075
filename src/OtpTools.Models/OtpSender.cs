using System;

namespace OtpTools
{
    /// <summary>One sender ID of a provider account (GetOTP custom sender IDs, OTPIQ sender IDs).</summary>
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
        /// <summary>The sender's countries joined with ';': a flat value, so Export-Csv writes it readably.</summary>
        public string CountryList { get; set; } = "";

        /// <summary>
        /// The countries as a list, for scripts (<c>$s.GetCountries() -contains 'de'</c>). A method rather than a
        /// property because Export-Csv writes every property, and an array would become "System.String[]".
        /// </summary>
        public string[] GetCountries() =>
            string.IsNullOrEmpty(CountryList) ? Array.Empty<string>() : CountryList.Split(';');
        public decimal? MonthlyCost { get; set; }
        public decimal? SetupCost { get; set; }
        public DateTimeOffset? CreateDate { get; set; }
        /// <summary>CreateDate as ISO 8601 UTC text, for CSV files that sort and re-import anywhere.</summary>
        public string? CreateDateUtc => IsoDate.Utc(CreateDate);
        public DateTimeOffset? UpdateDate { get; set; }
        /// <summary>UpdateDate as ISO 8601 UTC text, for CSV files that sort and re-import anywhere.</summary>
        public string? UpdateDateUtc => IsoDate.Utc(UpdateDate);
        // OTPIQ: price of one SMS from this sender, per Iraqi network (IQD); flat columns for CSV.
        public decimal? PriceKorekTelecom { get; set; }
        public decimal? PriceAsiaCell { get; set; }
        public decimal? PriceZainIraq { get; set; }
        public decimal? PriceOthers { get; set; }
        public string? Provider { get; set; }
    }
}
