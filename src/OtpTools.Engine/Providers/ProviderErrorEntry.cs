namespace OtpTools.Engine.Providers
{
    /// <summary>One documented provider error: its stable ErrorId, category, meaning and documented HTTP status.</summary>
    public sealed class ProviderErrorEntry
    {
        public ProviderErrorEntry(string errorId, OtpErrorCategory category, int httpStatus, string meaning, string? action = null)
        {
            ErrorId = errorId;
            Category = category;
            HttpStatus = httpStatus;
            Meaning = meaning;
            Action = action;
        }

        public string ErrorId { get; }
        public OtpErrorCategory Category { get; }
        /// <summary>The HTTP status the provider's document gives for this error.</summary>
        public int HttpStatus { get; }
        public string Meaning { get; }
        public string? Action { get; }
    }
}
