namespace OtpTools.Sandbox
{
    /// <summary>The credentials the sandbox accepts. Test keys only: they unlock nothing anywhere else.</summary>
    public static class SandboxKeys
    {
        public const string OtpBlue = "sbx-otpblue-7f3c9a1e5d2b48c6";
    }
}
