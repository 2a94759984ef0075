using System.Collections.Generic;

namespace OtpTools.Engine.Providers.GetOtp
{
    /// <summary>Input limits from the GetOTP Senders API document.</summary>
    public static class GetOtpLimits
    {
        /// <summary>The documented filter[status] values, in the document's casing.</summary>
        public static IReadOnlyList<string> Statuses { get; } = new[] { "Pending", "Available", "Rejected", "Canceled" };

        public const int MinPageSize = 1;
        public const int MaxPageSize = 1000;
    }
}
