namespace OtpTools.Sandbox
{
    /// <summary>The credentials the sandbox accepts. Test keys only: they unlock nothing anywhere else.</summary>
    public static class SandboxKeys
    {
        public const string OtpBlue = "sbx-otpblue-7f3c9a1e5d2b48c6";
        public const string GetOtp = "sbx-getotp-2d8e4b6a0c9f1735";

        /// <summary>OTPIQ Bearer key.</summary>
        public const string Otpiq = "sk_test_sbx_otpiq_4b8e2d91c7a35f60";

        /// <summary>EngageLab dev_key / dev_secret that may send.</summary>
        public const string EngageLabDevKey = "sbx-engagelab-devkey-5e1a";
        public const string EngageLabDevSecret = "sbx-engagelab-secret-9c42d7b3";

        /// <summary>An EngageLab key that is disabled (answers 2002), with <see cref="EngageLabDevSecret"/>.</summary>
        public const string EngageLabDisabledDevKey = "sbx-engagelab-disabled-3f7b";

        /// <summary>An EngageLab key without permission for the OTP API (answers 2004), with <see cref="EngageLabDevSecret"/>.</summary>
        public const string EngageLabNoPermissionDevKey = "sbx-engagelab-noperm-8d20";
    }
}
