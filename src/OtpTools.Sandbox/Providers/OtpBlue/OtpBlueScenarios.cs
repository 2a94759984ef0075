using System.Collections.Generic;

namespace OtpTools.Sandbox.Providers.OtpBlue
{
    /// <summary>
    /// Recipients that always answer with one documented failure code. All are valid US numbers, so a client's own
    /// checks let them through and the code comes from the (emulated) provider.
    /// </summary>
    public static class OtpBlueScenarios
    {
        public const string InternalError = "+13232000100";
        public const string AppleUnavailable = "+13232000110";
        public const string NoIMessage = "+13232000150";
        public const string OptedOut = "+13232000280";
        public const string NoCapacity = "+13232000720";
        public const string UnsupportedRegion = "+13232001155";
        public const string InvalidRecipient = "+13232001600";
        public const string InvalidPhoneNumber = "+13232001800";
        public const string NotMobile = "+13232001900";

        /// <summary>A recipient that always succeeds.</summary>
        public const string Deliverable = "+13232000001";

        internal static readonly IReadOnlyDictionary<string, int> Codes = new Dictionary<string, int>
        {
            [InternalError] = 100,
            [AppleUnavailable] = 110,
            [NoIMessage] = 150,
            [OptedOut] = 280,
            [NoCapacity] = 720,
            [UnsupportedRegion] = 1155,
            [InvalidRecipient] = 1600,
            [InvalidPhoneNumber] = 1800,
            [NotMobile] = 1900,
        };
    }
}
