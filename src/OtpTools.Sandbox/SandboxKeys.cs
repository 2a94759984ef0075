namespace OtpTools.Sandbox
{
    /// <summary>The credentials the sandbox accepts. Test keys only: they unlock nothing anywhere else.</summary>
    public static class SandboxKeys
    {
        public const string OtpBlue = "sbx-otpblue-7f3c9a1e5d2b48c6";
        public const string GetOtp = "sbx-getotp-2d8e4b6a0c9f1735";
    }
}
