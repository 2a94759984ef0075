using System;
using System.Collections.Generic;
using System.Globalization;

namespace OtpTools.Engine.Providers
{
    /// <summary>One documented provider error: its stable ErrorId, category, meaning and documented HTTP status.</summary>
    public sealed class ProviderErrorEntry
    {
        public ProviderErrorEntry(string errorId, OtpErrorCategory category, int httpStatus, string meaning, string? action = null,
            bool rejectsCredential = false, bool failOver = false)
        {
            FailOver = failOver;
            ErrorId = errorId;
            RejectsCredential = rejectsCredential || category == OtpErrorCategory.AuthenticationError;
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
        /// <summary>The provider refused the credential (missing, wrong, disabled, without permission): no row can succeed.</summary>
        public bool RejectsCredential { get; }
        /// <summary>The answer proves this provider cannot deliver to this recipient and that nothing was delivered.</summary>
        public bool FailOver { get; }
    }

    /// <summary>Turns a provider's error code (a number, or a text such as "BLOCKED") into the engine's exception, through its error table.</summary>
    public static class ProviderErrors
    {
        /// <param name="providerType">The type name: ErrorId prefix and the exception's Provider.</param>
        /// <param name="provider">The provider's name as people write it, for messages.</param>
        /// <param name="document">How the provider's document is called, for codes it does not list.</param>
        public static OtpException FromCode<TCode>(IReadOnlyDictionary<TCode, ProviderErrorEntry> table, string providerType, string provider,
            string document, TCode code, string? providerMessage, int httpStatus) where TCode : notnull
        {
            table.TryGetValue(code, out var entry);
            var message = $"{provider} error {code} ({entry?.Meaning ?? $"an error code the {document} does not list"})" +
                          (string.IsNullOrEmpty(providerMessage) ? "." : $": {providerMessage}");
            return new OtpException(entry?.ErrorId ?? providerType + ".UnknownError", entry?.Category ?? OtpErrorCategory.NotSpecified, message)
            {
                Provider = providerType,
                HttpStatus = httpStatus,
                ProviderCode = Convert.ToString(code, CultureInfo.InvariantCulture),
                ProviderMessage = providerMessage,
                RecommendedAction = entry?.Action,
                CredentialRejected = entry?.RejectsCredential == true,
                FailOver = entry?.FailOver == true,
            };
        }
    }
}
