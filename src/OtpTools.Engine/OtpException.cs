using System;

namespace OtpTools.Engine
{
    /// <summary>Mirrors the PowerShell ErrorCategory names the module uses, so the engine stays PowerShell-free.</summary>
    public enum OtpErrorCategory
    {
        NotSpecified,
        InvalidArgument,
        InvalidData,
        InvalidOperation,
        InvalidResult,
        AuthenticationError,
        PermissionDenied,
        ResourceUnavailable,
        ResourceBusy,
        LimitsExceeded,
        QuotaExceeded,
        ConnectionError,
        OperationTimeout,
        ProtocolError,
        ObjectNotFound,
        NotImplemented,
        NotEnabled,
        NotInstalled,
        ReadError,
        WriteError,
        SecurityError,
        ResourceExists,
        OperationStopped,
    }

    /// <summary>
    /// The one error type of the engine: a stable ErrorId plus what the provider said. Messages never carry secrets.
    /// </summary>
    public sealed class OtpException : Exception
    {
        public OtpException(string errorId, OtpErrorCategory category, string message, Exception? inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Category = category;
        }

        /// <summary>Stable identifier such as <c>OtpBlue.NoIMessage</c> or <c>Validation.CodeTooLong</c>.</summary>
        public string ErrorId { get; }
        public OtpErrorCategory Category { get; }
        public string? Provider { get; set; }
        public int? HttpStatus { get; set; }
        /// <summary>The provider's own error code, as text (codes are numbers for some providers, strings for others).</summary>
        public string? ProviderCode { get => _providerCode; set => _providerCode = Safe(value); }
        /// <summary>What the provider said, made safe for a terminal as it is set: it is text from outside.</summary>
        public string? ProviderMessage { get => _providerMessage; set => _providerMessage = Safe(value); }
        private string? _providerCode;
        private string? _providerMessage;
        private static string? Safe(string? text) => text == null ? null : Http.TerminalText.Safe(text);
        /// <summary>The parameter whose value was rejected, for input errors.</summary>
        public string? ParameterName { get; set; }
        /// <summary>The offending value, for input errors.</summary>
        public object? TargetValue { get; set; }
        /// <summary>A suggested next step for the user.</summary>
        public string? RecommendedAction { get; set; }
        /// <summary>When the provider says a retry is allowed.</summary>
        public TimeSpan? RetryAfter { get; set; }
        /// <summary>True when the request may have reached the provider (a resend could deliver a second code).</summary>
        public bool MayHaveBeenDelivered { get; set; }
        /// <summary>True when resending cannot deliver a second code and may succeed (429, 503, not sent, no capacity, any GET).</summary>
        public bool SafeToRetry { get; set; }
        /// <summary>True when the provider refused the credential itself: no other row can succeed with it.</summary>
        public bool CredentialRejected { get; set; }
        /// <summary>True when no later row of the run can succeed either (the provider's rate limit never lifted).</summary>
        public bool EndsRun { get; set; }
        /// <summary>
        /// True when this provider cannot deliver to this recipient and nothing was delivered (OTP Blue 150, 1155, 1900,
        /// 720, or a region it never serves): a route moves the row to its next provider.
        /// </summary>
        public bool FailOver { get; set; }
        public int Attempts { get; set; }
    }
}
