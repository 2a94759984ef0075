namespace OtpTools.Engine.Sending
{
    /// <summary>The statuses receipts and the journal share, beside the provider's own success statuses (delivered, sent).</summary>
    public static class SendStatus
    {
        /// <summary>Nothing left, or the provider refused the request: sending the row again is safe.</summary>
        public const string Failed = "failed";
        /// <summary>The request may have been read: the code may have arrived, so it is never resent automatically.</summary>
        public const string Unknown = "unknown";
        /// <summary>-WhatIf: the row passed every check and would have been sent; nothing was.</summary>
        public const string WhatIf = "whatif";
        /// <summary>-Confirm answered no for this row; nothing was sent.</summary>
        public const string Declined = "declined";
    }
}
