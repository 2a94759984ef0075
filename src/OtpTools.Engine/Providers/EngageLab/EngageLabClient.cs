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
    /// EngageLab OTP: the template decides the channel and text. Without -Code, POST /v1/messages and EngageLab generates
    /// the code (check what the recipient typed with Confirm-OtpCode, POST /v1/verifications); with -Code, POST
    /// /v1/codes delivers the caller's code. -Sender fills the template's pre-set from_id (the document's own example of
    /// overriding a template field); anything else goes in -TemplateParameter.
    /// </summary>
    public sealed class EngageLabClient : IOtpCodeSender, IOtpCodeVerifier
    {
        internal const string SendPath = "/v1/messages";
        internal const string CodesPath = "/v1/codes";
        internal const string VerificationsPath = "/v1/verifications";
        private const string Provider = EngageLabProviderType.TypeName;
        // No control or invisible format characters (zero-width spaces, bidi marks): they disguise an address.
        private static readonly Regex Email = new Regex(@"^[^@\s\p{Cc}\p{Cf}]+@[^@\s\p{Cc}\p{Cf}]+\.[^@\s.\p{Cc}\p{Cf}]+$", RegexOptions.Compiled);
        private readonly OtpConnection _connection;

        public EngageLabClient(OtpConnection connection) => _connection = connection;

        private sealed class Prepared : PreparedSend
        {
            public Prepared(OtpSendRequest request, EngageLabSendBody body) : base(request, body.To) => Body = body;
            public EngageLabSendBody Body { get; }
        }

        public PreparedSend Prepare(OtpSendRequest request)
        {
            var to = Recipient(request.To, request.SkipNumberCheck);
            var templateId = InputRules.Required(request.Option("TemplateId"), "TemplateId", "Validation.TemplateIdRequired", Provider);

            var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
            if (request.Table("TemplateParameter") is IDictionary values)
            {
                foreach (DictionaryEntry entry in values)
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
            AddParameter(parameters, EngageLabLimits.SenderParameter, request.Sender, "Sender");
            if (!string.IsNullOrEmpty(request.Code) && parameters.ContainsKey("code"))
                throw InputRules.Invalid("Validation.ConflictingTemplateParameter", "Code", Http.OutwardText.Mask,
                    "-Code goes to EngageLab's own code field (/v1/codes), and -TemplateParameter also sets a template variable 'code' that could show another value; give the code once.");
            var language = string.IsNullOrWhiteSpace(request.Language) ? EngageLabLimits.DefaultLanguage
                : InputRules.OneOf(request.Language!.Trim(), EngageLabLimits.Languages, "Language", "Validation.LanguageNotSupported", Provider);

            return new Prepared(request, new EngageLabSendBody
            {
                To = to,
                Code = string.IsNullOrEmpty(request.Code) ? null : request.Code,
                Template = new EngageLabTemplate
                {
                    Id = templateId,
                    Language = language,
                    Params = parameters.Count == 0 ? null : parameters,
                },
            });
        }

        /// <summary>"to" is a +E.164 phone number or an e-mail address.</summary>
        private static string Recipient(string? input, bool skipRangeCheck)
        {
            var text = input?.Trim();
            if (!PhoneNumber.LooksLikeEmail(text)) return PhoneNumber.Parse(input, "To", Provider, skipRangeCheck).E164;
            if (!Email.IsMatch(text!))
                throw InputRules.Invalid("Validation.InvalidEmail", "To", input,
                    $"-To '{input}' is not a valid e-mail address; EngageLab sends to an e-mail address such as support@engagelab.com or a phone number such as +8613800138000.");
            return text!;
        }

        private static void AddParameter(Dictionary<string, string> parameters, string name, string? value, string parameter)
        {
            if (string.IsNullOrEmpty(value)) return;
            if (parameters.TryGetValue(name, out var given) && given != value)
                throw InputRules.Invalid("Validation.ConflictingTemplateParameter", parameter, parameter == "Code" ? Http.OutwardText.Mask : value,
                    $"-{parameter} fills the EngageLab template variable '{name}', which -TemplateParameter also sets to another value; give it once.");
            parameters[name] = value!;
        }

        public async Task<OtpSendResult> SendAsync(PreparedSend prepared, CancellationToken cancellationToken)
        {
            var body = ((Prepared)prepared).Body;
            var json = JsonSerializer.Serialize(body, EngageLabJsonContext.Default.EngageLabSendBody);
            var request = HttpCall.Json(HttpMethod.Post, _connection.Endpoint(body.Code == null ? SendPath : CodesPath), json);
            Authorize(request);
            using var answer = await HttpCall.SendAsync(_connection, request, cancellationToken).ConfigureAwait(false);

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
                    Destination = Validation.PhoneNumber.AsE164(body.To),
                    Message = body.Code == null ? "EngageLab generated the code: check what the recipient types with Confirm-OtpCode." : null,
                };
            }
            if (!answer.IsSuccess && parsed?.Code != null)
                throw EngageLabErrors.ToException(parsed.Code.Value, parsed.Message, answer.Status);
            throw HttpCall.Unexpected(_connection.Provider.Name, answer);
        }

        private void Authorize(HttpRequestMessage request)
        {
            var pair = _connection.Credential.RevealKey() + ":" + _connection.Credential.RevealSecret();
            request.Headers.TryAddWithoutValidation("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
        }

        public async Task<OtpVerificationResult> VerifyAsync(OtpCodeCheck check, CancellationToken cancellationToken)
        {
            var messageId = check.MessageId!;
            var code = check.Code!;
            InputRules.Required(messageId, "MessageId", "Validation.MessageIdRequired", Provider);
            InputRules.Required(code, "Code", "Validation.CodeRequired", Provider);
            InputRules.PlainText(messageId, "MessageId");
            InputRules.PlainText(code, "Code");
            var json = JsonSerializer.Serialize(new EngageLabVerification { MessageId = messageId, VerifyCode = code }, EngageLabJsonContext.Default.EngageLabVerification);
            var request = HttpCall.Json(HttpMethod.Post, _connection.Endpoint(VerificationsPath), json);
            Authorize(request);
            using var answer = await HttpCall.SendAsync(_connection, request, cancellationToken).ConfigureAwait(false);
            var parsed = answer.Json(EngageLabJsonContext.Default.EngageLabVerification);
            if (answer.IsSuccess && parsed?.Verified != null)
            {
                return new OtpVerificationResult
                {
                    MessageId = parsed.MessageId ?? messageId,
                    Verified = parsed.Verified.Value,
                    Reason = parsed.Verified.Value ? null : "The code does not match the one EngageLab generated for this message.",
                    Recipient = check.Recipient,
                    Provider = _connection.Provider.Name,
                    CheckedAt = DateTimeOffset.UtcNow,
                    VerifiedAt = parsed.Verified.Value ? DateTimeOffset.UtcNow : (DateTimeOffset?)null,
                };
            }
            if (!answer.IsSuccess && parsed?.Code != null)
                throw EngageLabErrors.ToException(parsed.Code.Value, parsed.Message, answer.Status);
            throw HttpCall.Unexpected(_connection.Provider.Name, answer);
        }
    }
}
