using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using OtpTools.Engine;
using OtpTools.Engine.Providers;
using OtpTools.Engine.Validation;

namespace OtpTools.TestProvider
{
    /// <summary>Plugs Acme into the catalog (and out again): what the one line in ProviderCatalog does for a real provider.</summary>
    public static class Plug
    {
        private static readonly AcmeProviderType Type = new AcmeProviderType();
        public static void In() => ProviderCatalog.Add(Type);
        public static void Out() => ProviderCatalog.Remove(Type);
    }

    /// <summary>A provider with two options of its own: -Priority (documented values) and -AcmeToken (a secret).</summary>
    public sealed class AcmeProviderType : IOtpProviderType
    {
        public string Name => "Acme";
        public Uri DefaultBaseUri { get; } = new Uri("https://api.acme.invalid");
        public CredentialKind CredentialKind => CredentialKind.ApiKey;
        public Type ClientType => typeof(AcmeClient);
        public Engine.Webhooks.IDeliveryWebhook? DeliveryWebhook => null;
        public object CreateClient(OtpConnection connection) => new AcmeClient(connection);

        public IReadOnlyList<SendOption> SendOptions { get; } = new[]
        {
            SendOption.Sender("Acme: the sender name."),
            new SendOption("Priority", "Acme: how urgent the code is.", values: new[] { "low", "normal", "high" }, fromPipelineByPropertyName: true),
            new SendOption("AcmeToken", "Acme: a per-send token.", secret: true),
        };

        public IReadOnlyDictionary<string, IReadOnlyList<string>> ParameterValues { get; } = new Dictionary<string, IReadOnlyList<string>>();
    }

    /// <summary>Answers without a network call: the receipt's Message says what the provider was given.</summary>
    public sealed class AcmeClient : IOtpCodeSender
    {
        private readonly OtpConnection _connection;
        public AcmeClient(OtpConnection connection) => _connection = connection;

        private sealed class Prepared : PreparedSend
        {
            public Prepared(OtpSendRequest request, string destination) : base(request, destination) { }
        }

        public PreparedSend Prepare(OtpSendRequest request)
        {
            var phone = PhoneNumber.Parse(request.To, "To", "Acme", request.SkipNumberCheck);
            InputRules.Required(request.Code, "Code", "Validation.CodeRequired", "Acme");
            var priority = request.Option("Priority");
            if (priority != null) InputRules.OneOf(priority, new[] { "low", "normal", "high" }, "Priority", "Validation.PriorityNotSupported", "Acme");
            return new Prepared(request, phone.E164);
        }

        public Task<OtpSendResult> SendAsync(PreparedSend prepared, CancellationToken cancellationToken) =>
            Task.FromResult(new OtpSendResult
            {
                Success = true,
                Status = "sent",
                MessageId = "acme-" + Guid.NewGuid().ToString("N"),
                Message = $"priority={prepared.Request.Option("Priority") ?? "normal"}; token={(prepared.Request.Option("AcmeToken") == null ? "none" : "given")}",
            });
    }
}
