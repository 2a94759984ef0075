using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using OtpTools.Engine;
using OtpTools.Engine.Http;
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
            new SendOption("Priority", "Acme: how urgent the code is.", values: AcmeErrors.Priorities, fromPipelineByPropertyName: true),
            new SendOption("AcmeToken", "Acme: a per-send token.", secret: true),
        };

        public IReadOnlyDictionary<string, IReadOnlyList<string>> ParameterValues { get; } = new Dictionary<string, IReadOnlyList<string>>();
    }

    /// <summary>
    /// Acme's API, as its (made-up) document says: POST /v1/codes {to, code, priority?, token?} with a Bearer key,
    /// answered {"id": "..."}; an error is {"error": {"code", "message"}}. Its sandbox is Sandbox/AcmeSandbox.cs.
    /// </summary>
    public sealed class AcmeClient : IOtpCodeSender
    {
        internal const string CodesPath = "/v1/codes";
        private readonly OtpConnection _connection;
        public AcmeClient(OtpConnection connection) => _connection = connection;

        private sealed class Prepared : PreparedSend
        {
            public Prepared(OtpSendRequest request, string destination, string code) : base(request, destination) => Code = code;
            public string Code { get; }
        }

        public PreparedSend Prepare(OtpSendRequest request)
        {
            var phone = PhoneNumber.Parse(request.To, "To", "Acme", request.SkipNumberCheck);
            var code = InputRules.Required(request.Code, "Code", "Validation.CodeRequired", "Acme");
            InputRules.MaxLength(code, AcmeErrors.CodeMaxLength, "Code", "Validation.CodeTooLong", "Acme");
            InputRules.PlainText(code, "Code");
            var priority = request.Option("Priority");
            if (priority != null) InputRules.OneOf(priority, AcmeErrors.Priorities, "Priority", "Validation.PriorityNotSupported", "Acme");
            return new Prepared(request, phone.E164, code);
        }

        public async Task<OtpSendResult> SendAsync(PreparedSend prepared, CancellationToken cancellationToken)
        {
            var send = (Prepared)prepared;
            var request = HttpCall.Json(HttpMethod.Post, _connection.Endpoint(CodesPath), Body(send));
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + _connection.Credential.RevealKey());
            using var answer = await HttpCall.SendAsync(_connection, request, cancellationToken).ConfigureAwait(false);
            var (id, errorCode, message) = Read(answer);
            if (answer.IsSuccess && id != null)
                return new OtpSendResult { Success = true, Status = "sent", MessageId = id, Destination = send.Destination };
            if (!answer.IsSuccess && errorCode != null) throw AcmeErrors.ToException(errorCode, message, answer.Status);
            throw HttpCall.Unexpected(_connection.Provider.Name, answer);
        }

        private static string Body(Prepared send)
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("to", send.Destination);
                json.WriteString("code", send.Code);
                if (send.Request.Option("Priority") is string priority) json.WriteString("priority", priority.ToLowerInvariant());
                if (send.Request.Option("AcmeToken") is string token) json.WriteString("token", token);
                json.WriteEndObject();
            }
            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        /// <summary>The id of a success, or the code and message of an error; nulls for anything else.</summary>
        private static (string? Id, string? ErrorCode, string? Message) Read(HttpAnswer answer)
        {
            try
            {
                using var document = JsonDocument.Parse(answer.Body);
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object) return (null, null, null);
                if (root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String) return (id.GetString(), null, null);
                if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object &&
                    error.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String)
                    return (null, code.GetString(), error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null);
            }
            catch (JsonException)
            {
            }
            return (null, null, null);
        }
    }

    /// <summary>Acme's documented errors: all answered before anything is sent.</summary>
    public static class AcmeErrors
    {
        public const int CodeMaxLength = 10;
        public static readonly string[] Priorities = { "low", "normal", "high" };

        public static IReadOnlyDictionary<string, ProviderErrorEntry> Table { get; } = new Dictionary<string, ProviderErrorEntry>
        {
            ["AUTH"] = new ProviderErrorEntry("Acme.Unauthorized", OtpErrorCategory.AuthenticationError, 401, "the key is missing or wrong"),
            ["BLOCKED"] = new ProviderErrorEntry("Acme.RecipientBlocked", OtpErrorCategory.ResourceUnavailable, 400,
                "Acme cannot reach this recipient; nothing was sent", failOver: true),
            ["INVALID"] = new ProviderErrorEntry("Acme.InvalidRequest", OtpErrorCategory.InvalidArgument, 400, "the request breaks Acme's rules"),
        };

        public static OtpException ToException(string code, string? providerMessage, int httpStatus)
        {
            var error = ProviderErrors.FromCode(Table, "Acme", "Acme", "Acme document", code, providerMessage, httpStatus);
            // Only a code the document does not list leaves open whether anything was sent.
            error.MayHaveBeenDelivered = !Table.ContainsKey(code);
            return error;
        }
    }
}
