using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using OtpTools.Engine.Http;
using OtpTools.Engine.Validation;

namespace OtpTools.Engine.Providers.EngageLab
{
    /// <summary>
    /// EngageLab "OTP Send": the template decides the channel and text. -Code fills the template's {{code}} variable and
    /// -Sender its pre-set from_id (the document's own example of overriding a template field); both are optional
    /// because the template may generate or pre-set them. Anything else goes in -TemplateParameter.
    /// </summary>
    public sealed class EngageLabClient : IOtpCodeSender
    {
        internal const string SendPath = "/v1/messages";
        private const string Provider = EngageLabProviderType.TypeName;
        // No control or invisible format characters (zero-width spaces, bidi marks): they disguise an address.
        private static readonly Regex Email = new Regex(@"^[^@\s\p{Cc}\p{Cf}]+@[^@\s\p{Cc}\p{Cf}]+\.[^@\s.\p{Cc}\p{Cf}]+$", RegexOptions.Compiled);
        private readonly OtpConnection _connection;

        public EngageLabClient(OtpConnection connection) => _connection = connection;

        public IReadOnlyCollection<string> SendOptions { get; } = new[] { "TemplateId", "TemplateParameter" };

        private sealed class Prepared : PreparedSend
        {
            public Prepared(OtpSendRequest request, EngageLabSendBody body) : base(request, body.To) => Body = body;
            public EngageLabSendBody Body { get; }
        }

        public PreparedSend Prepare(OtpSendRequest request)
        {
            var to = Recipient(request.To);
            var templateId = InputRules.Required(request.TemplateId, "TemplateId", "Validation.TemplateIdRequired", Provider);

            var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
            if (request.TemplateParameter != null)
            {
                foreach (DictionaryEntry entry in request.TemplateParameter)
                {
                    var key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "";
                    if (key.Trim().Length == 0)
                        throw InputRules.Invalid("Validation.InvalidTemplateParameter", "TemplateParameter", key,
                            "-TemplateParameter has an empty key; EngageLab template variables are named.");
                    if (entry.Value == null)
                        throw InputRules.Invalid("Validation.InvalidTemplateParameter", "TemplateParameter", key,
                            $"-TemplateParameter '{key}' has no value; give a value or leave the key out (the template then keeps {{{{{key}}}}}).");
                    parameters[key] = Convert.ToString(entry.Value, CultureInfo.InvariantCulture) ?? "";
                }
            }
            AddParameter(parameters, EngageLabLimits.CodeParameter, request.Code, "Code");
            AddParameter(parameters, EngageLabLimits.SenderParameter, request.Sender, "Sender");

            return new Prepared(request, new EngageLabSendBody
            {
                To = to,
                Template = new EngageLabTemplate
                {
                    Id = templateId,
                    Language = string.IsNullOrWhiteSpace(request.Language) ? EngageLabLimits.DefaultLanguage : request.Language!.Trim(),
                    Params = parameters.Count == 0 ? null : parameters,
                },
            });
        }

        /// <summary>"to" is a +E.164 phone number or an e-mail address.</summary>
        private static string Recipient(string? input)
        {
            var text = input?.Trim();
            if (!PhoneNumber.LooksLikeEmail(text)) return PhoneNumber.Parse(input, "To", Provider).E164;
            if (!Email.IsMatch(text!))
                throw InputRules.Invalid("Validation.InvalidEmail", "To", input,
                    $"-To '{input}' is not a valid e-mail address; EngageLab sends to an e-mail address such as support@engagelab.com or a phone number such as +8613800138000.");
            return text!;
        }

        private static void AddParameter(Dictionary<string, string> parameters, string name, string? value, string parameter)
        {
            if (string.IsNullOrEmpty(value)) return;
            if (parameters.TryGetValue(name, out var given) && given != value)
                throw InputRules.Invalid("Validation.ConflictingTemplateParameter", parameter, parameter == "Code" ? "***" : value,
                    $"-{parameter} fills the EngageLab template variable '{name}', which -TemplateParameter also sets to another value; give it once.");
            parameters[name] = value!;
        }

        public async Task<OtpSendResult> SendAsync(PreparedSend prepared, CancellationToken cancellationToken)
        {
            var body = ((Prepared)prepared).Body;
            var json = JsonSerializer.Serialize(body, EngageLabJsonContext.Default.EngageLabSendBody);
            var request = HttpCall.Json(HttpMethod.Post, _connection.Endpoint(SendPath), json);
            var pair = _connection.Credential.RevealKey() + ":" + _connection.Credential.RevealSecret();
            request.Headers.TryAddWithoutValidation("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
            var answer = await HttpCall.SendAsync(_connection, request, cancellationToken).ConfigureAwait(false);

            var parsed = answer.Json(EngageLabJsonContext.Default.EngageLabAnswer);

            if (answer.IsSuccess && parsed?.MessageId != null)
            {
                return new OtpSendResult
                {
                    Success = true,
                    Status = "sent",
                    MessageId = parsed.MessageId,
                    // The channel of the current phase only: the template may still fall back (e.g. WhatsApp to SMS).
                    Channel = parsed.SendChannel,
                    Destination = body.To,
                };
            }
            if (!answer.IsSuccess && parsed?.Code != null)
                throw EngageLabErrors.ToException(parsed.Code.Value, parsed.Message, answer.Status);
            throw HttpCall.Unexpected(_connection.Provider.Name, answer);
        }
    }
}
