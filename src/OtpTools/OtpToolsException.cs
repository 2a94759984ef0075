using System;

namespace OtpTools
{
    /// <summary>
    /// The exception on every OtpTools ErrorRecord: the engine's message and ErrorId, without the engine's inner
    /// exceptions, so that no transport detail or stack of the private load context reaches the user.
    /// </summary>
    public sealed class OtpToolsException : Exception
    {
        internal OtpToolsException(string message, Engine.OtpException error, Engine.Http.OutwardText outward) : base(message)
        {
            string? Outward(string? text) => text == null ? null : outward.Show(text);
            ErrorId = error.ErrorId;
            Provider = error.Provider;
            HttpStatus = error.HttpStatus;
            ProviderCode = Outward(error.ProviderCode);
            ProviderMessage = Outward(error.ProviderMessage);
            ParameterName = error.ParameterName;
            RetryAfter = error.RetryAfter;
        }

        public string ErrorId { get; }
        public string? Provider { get; }
        public int? HttpStatus { get; }
        public string? ProviderCode { get; }
        public string? ProviderMessage { get; }
        public string? ParameterName { get; }
        public TimeSpan? RetryAfter { get; }
    }
}
