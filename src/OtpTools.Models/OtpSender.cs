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
        public DateTimeOffset? UpdateDate { get; set; }
        public string? Provider { get; set; }
    }
}
