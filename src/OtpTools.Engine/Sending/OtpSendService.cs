using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OtpTools.Engine.Http;
using OtpTools.Engine.Providers;
using OtpTools.Engine.Validation;

namespace OtpTools.Engine.Sending
{
    /// <summary>What a bulk run needs of whatever sends a row: one provider, or a route of them.</summary>
    public interface IRowSender
    {
        /// <summary>Validates a row; throws <see cref="OtpException"/> naming the parameter, value and limit.</summary>
        PreparedSend Prepare(OtpSendRequest request);
        Task<SendOutcome> SendAsync(PreparedSend prepared, CancellationToken cancellationToken);
        /// <summary>A failed receipt for a row, with the error behind it.</summary>
        SendOutcome Failed(OtpSendRequest request, OtpException error, string? destination = null);
        /// <summary>Puts the row's position, recipient and provider on a result.</summary>
        void Stamp(OtpSendResult result, OtpSendRequest request, string? destination);
        /// <summary>What the providers' rate limits allow, for progress; null until one has been met.</summary>
        string? RateNote { get; }
    }

    /// <summary>Common steps around a provider's send: unsupported options, result stamping, failure receipts.</summary>
    public sealed class OtpSendService : IRowSender
    {
        private readonly OtpConnection _connection;
        private readonly IOtpCodeSender _sender;
        private readonly RateGate _gate;

        /// <param name="maxConcurrency">The run's -ThrottleLimit: the most requests the rate gate lets through at once.</param>
        public OtpSendService(OtpConnection connection, IOtpCodeSender sender, int maxConcurrency = 64)
        {
            _connection = connection;
            _sender = sender;
            _gate = new RateGate(connection.Provider.Name, maxConcurrency, connection.Options.RateLimitTimeout, connection.Trace);
        }

        /// <summary>This provider's rate limit as the run has learnt it.</summary>
        public RateGate Gate => _gate;

        public string? RateNote => _gate.Describe();

        /// <summary>Validates a row; throws <see cref="OtpException"/> naming the parameter, value and limit.</summary>
        public PreparedSend Prepare(OtpSendRequest request)
        {
            var type = _connection.Provider.Type;
            foreach (var given in request.GivenOptions())
            {
                var declared = SendOptionCatalog.Declared(type, given.Key);
                if (declared == null)
                    throw new OtpException("Validation.UnsupportedParameter", OtpErrorCategory.InvalidArgument,
                        $"-{given.Key} does not apply to {type.Name} provider '{_connection.Provider.Name}'" +
                        $" ({type.Name} takes: {Describe(type.SendOptions)}).")
                    { ParameterName = given.Key, TargetValue = SendOptionCatalog.IsSecret(given.Key) ? Http.OutwardText.Mask : given.Value is string ? given.Value : given.Key };
                // Free text goes to the provider: no control, bidi or zero-width characters (the recipient has its own checks).
                if (given.Value is string text) InputRules.PlainText(text, given.Key, declared.IsSecret);
                else if (given.Value is System.Security.SecureString) InputRules.PlainText(request.Option(given.Key), given.Key, secret: true);
                else if (declared.IsTable) InputRules.TemplateValues(given.Value as System.Collections.IDictionary, given.Key);
            }
            InputRules.PlainText(request.Code, nameof(request.Code));
            InputRules.PlainText(request.Sender, nameof(request.Sender));
            InputRules.PlainText(request.Language, nameof(request.Language));
            return _sender.Prepare(request);
        }

        /// <summary>The provider type's name, as a route writes it ("OtpBlue").</summary>
        public string ProviderType => _connection.Provider.Type.Name;

        /// <summary>
        /// Prepares a row for this provider as one hop of a route: parameters this provider does not declare are left
        /// out first (a route gives each provider its own), then the row is checked once; <paramref name="dropped"/>
        /// names what was left out.
        /// </summary>
        public PreparedSend PrepareForRoute(OtpSendRequest request, ICollection<string> dropped)
        {
            var type = _connection.Provider.Type;
            var given = request.GivenOptions().Select(o => o.Key).ToList();
            if (!string.IsNullOrEmpty(request.Sender)) given.Add(nameof(request.Sender));
            if (!string.IsNullOrEmpty(request.Language)) given.Add(nameof(request.Language));
            foreach (var name in given.Where(name => SendOptionCatalog.Declared(type, name) == null))
            {
                dropped.Add(name);
                request = request.Without(name);
            }
            return Prepare(request);
        }

        public async Task<SendOutcome> SendAsync(PreparedSend prepared, CancellationToken cancellationToken)
        {
            var attempts = new AttemptCounter();
            try
            {
                var result = await _connection.Retry.ExecuteAsync(token => _gate.SendAsync(() => _sender.SendAsync(prepared, token), attempts, token),
                    attempts, cancellationToken).ConfigureAwait(false);
                result.Attempts = attempts.Count;
                Stamp(result, prepared.Request, prepared.Destination);
                return new SendOutcome(result, null);
            }
            catch (OtpException error)
            {
                error.Attempts = attempts.Count;
                return Failed(prepared.Request, error, prepared.Destination);
            }
        }

        /// <summary>A failed receipt for a row, with the error behind it.</summary>
        public SendOutcome Failed(OtpSendRequest request, OtpException error, string? destination = null)
        {
            error.Provider ??= _connection.Provider.Type.Name;
            _connection.Explained(error);
            // "unknown": the request may have reached the provider, so the code may have arrived. Whatever the error
            // table suggests, such a row is never to be "tried again" before checking.
            if (error.MayHaveBeenDelivered)
                error.RecommendedAction = $"The request may have reached {_connection.Provider.Name}, so the code may have been delivered; " +
                    "it was not resent. Check with the recipient or the provider's records before sending this row again.";
            var result = new OtpSendResult
            {
                Success = false,
                Status = error.MayHaveBeenDelivered ? SendStatus.Unknown : SendStatus.Failed,
                ErrorCode = error.ProviderCode,
                ErrorId = error.ErrorId,
                ErrorMessage = _connection.Credential.Redact(error.Message),
                Attempts = error.Attempts,
            };
            Stamp(result, request, destination);
            return new SendOutcome(result, error);
        }

        public void Stamp(OtpSendResult result, OtpSendRequest request, string? destination)
        {
            result.Hops = result.Attempts > 0 ? 1 : 0;
            result.Position = request.Position;
            result.Recipient = request.To;
            result.Destination = Validation.PhoneNumber.AsE164(result.Destination ?? destination);
            result.Provider = _connection.Provider.Name;
            result.ProviderType = _connection.Provider.Type.Name;
            result.SentAt ??= result.Attempts > 0 || result.Success ? DateTimeOffset.UtcNow : (DateTimeOffset?)null;
        }

        private static string Describe(IReadOnlyList<SendOption> options) =>
            options.Count == 0 ? "none of the provider-specific parameters" : "-" + string.Join(", -", options.Select(o => o.Name));
    }
}
