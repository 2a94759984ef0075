using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using OtpTools.Engine.Http;
using OtpTools.Engine.Validation;

namespace OtpTools.Engine.Providers.GetOtp
{
    /// <summary>
    /// GetOTP verifications: POST /v1/verifications sends a code by SMS, Viber, voice or Telegram (the caller's code,
    /// or one GetOTP generates); GET /v1/verifications?code=&amp;phone= finds the sends a typed code matches.
    /// </summary>
    public sealed partial class GetOtpClient
    {
        internal const string VerificationsPath = "/v1/verifications";

        private sealed class Prepared : PreparedSend
        {
            public Prepared(OtpSendRequest request, GetOtpSendBody body) : base(request, "+" + body.Phone) => Body = body;
            public GetOtpSendBody Body { get; }
        }

        public PreparedSend Prepare(OtpSendRequest request)
        {
            var phone = PhoneNumber.Parse(request.To, "To", Provider, request.SkipNumberCheck);
            var channel = InputRules.OneOf(
                InputRules.Required(request.Option("Channel"), "Channel", "Validation.ChannelRequired", Provider),
                GetOtpLimits.Channels, "Channel", "Validation.ChannelNotSupported", Provider);
            var rules = new ChannelRules(channel);
            var body = new GetOtpSendBody { Channel = channel, Phone = phone.Digits };

            if (rules.Takes("Sender", request.Sender, GetOtpLimits.TemplateChannels))
            {
                body.Sender = InputRules.Required(request.Sender, "Sender", "Validation.SenderRequired", $"GetOTP's {channel} channel");
                InputRules.PlainText(body.Sender, "Sender");
            }
            var templateId = request.Option("TemplateId");
            if (rules.Takes("TemplateId", templateId, GetOtpLimits.TemplateChannels))
            {
                templateId = InputRules.Required(templateId, "TemplateId", "Validation.TemplateIdRequired", $"GetOTP's {channel} channel").Trim();
                if (!Guid.TryParseExact(templateId, "D", out _))
                    throw InputRules.Invalid("Validation.InvalidTemplateId", "TemplateId", templateId,
                        $"-TemplateId '{templateId}' is not a template id: GetOTP's templates are UUIDs such as 6d16aa9d-bf19-4141-8169-48b46d972fc6.");
                body.Template = templateId;
            }

            var isVoice = channel == GetOtpLimits.Voice;
            var maxLength = isVoice ? GetOtpLimits.VoiceCodeMaxLength : GetOtpLimits.CodeMaxLength;
            var codeLength = request.Option("CodeLength");
            if (!string.IsNullOrEmpty(request.Code) && !string.IsNullOrEmpty(codeLength))
                throw InputRules.Invalid("Validation.CodeAndCodeLength", "CodeLength", codeLength,
                    "-Code and -CodeLength were both given; GetOTP takes the code to send or the length of the code it generates, never both.");
            if (!string.IsNullOrEmpty(codeLength))
                body.CodeLength = Whole(codeLength!, "CodeLength", GetOtpLimits.CodeMinLength, maxLength, $"digits for the {channel} channel");
            else if (!string.IsNullOrEmpty(request.Code))
            {
                var code = request.Code!;
                if (!IsCode(code, maxLength))
                    throw InputRules.Invalid("Validation.InvalidCode", "Code", code,
                        $"-Code '{code}' is not {GetOtpLimits.CodeMinLength} to {maxLength} digits (0-9), what GetOTP's {channel} channel sends.");
                body.Code = code;
            }
            else
                throw InputRules.Invalid("Validation.CodeOrCodeLengthRequired", "Code", request.Code,
                    $"GetOTP needs -Code (the code to send) or -CodeLength ({GetOtpLimits.CodeMinLength} to {maxLength}: GetOTP generates the code).");

            var voiceType = request.Option("VoiceType");
            if (rules.Takes("VoiceType", voiceType, GetOtpLimits.Voice))
                body.VoiceType = InputRules.OneOf(InputRules.Required(voiceType, "VoiceType", "Validation.VoiceTypeRequired", "GetOTP's voice channel"),
                    GetOtpLimits.VoiceTypes, "VoiceType", "Validation.VoiceTypeNotSupported", Provider);
            var ringing = request.Option("RingingDuration");
            if (rules.Takes("RingingDuration", ringing, GetOtpLimits.Voice, body.VoiceType == GetOtpLimits.Flash, "a flash call (-VoiceType flash)") && ringing != null)
                body.RingingDuration = Whole(ringing, "RingingDuration", GetOtpLimits.RingingMinSeconds, GetOtpLimits.RingingMaxSeconds, "seconds");
            if (rules.Takes("Language", request.Language, GetOtpLimits.Voice, body.VoiceType == GetOtpLimits.Tts, "a call that reads the code out (-VoiceType tts)")
                && !string.IsNullOrWhiteSpace(request.Language))
                body.Language = InputRules.OneOf(request.Language!.Trim(), GetOtpLimits.Languages, "Language", "Validation.LanguageNotSupported", Provider);

            var ttl = request.Option("TimeToLive");
            if (rules.Takes("TimeToLive", ttl, GetOtpLimits.Telegram) && ttl != null)
                body.TtlInSeconds = Whole(ttl, "TimeToLive", GetOtpLimits.TtlMinSeconds, GetOtpLimits.TtlMaxSeconds, "seconds");
            var formatting = request.Option("NumberFormatting");
            if (rules.Takes("NumberFormatting", formatting, GetOtpLimits.NumberFormattingChannels) && formatting != null)
                body.NumberFormatting = bool.Parse(InputRules.OneOf(formatting.Trim(), GetOtpLimits.Booleans, "NumberFormatting", "Validation.InvalidNumberFormatting", Provider));

            body.Payload = Payload(request.Options.TryGetValue("Payload", out var payload) ? payload : null);
            return new Prepared(request, body);
        }

        /// <summary>Which options the chosen channel takes: one given to a channel that has no use for it is refused, not dropped.</summary>
        private readonly struct ChannelRules
        {
            private readonly string _channel;

            public ChannelRules(string channel) => _channel = channel;

            /// <summary>Whether the channel uses the option; throws when it was given to a channel (or voice type) that does not.</summary>
            public bool Takes(string parameter, string? value, IReadOnlyList<string> channels, bool when = true, string? only = null)
            {
                var used = channels.Contains(_channel) && when;
                if (!used && !string.IsNullOrEmpty(value))
                    throw InputRules.Invalid("Validation.ParameterNotForChannel", parameter, value,
                        $"-{parameter} does not apply to GetOTP's {_channel} channel" +
                        (channels.Contains(_channel) ? $" here: it is for {only}." : $"; it is for {string.Join(" and ", channels)}."));
                return used;
            }

            public bool Takes(string parameter, string? value, string channel, bool when = true, string? only = null) =>
                Takes(parameter, value, new[] { channel }, when, only);
        }

        /// <summary>A code GetOTP sends: 4 to <paramref name="maxLength"/> digits 0-9 (other scripts' digits are not).</summary>
        private static bool IsCode(string code, int maxLength) =>
            code.Length >= GetOtpLimits.CodeMinLength && code.Length <= maxLength && code.All(c => c >= '0' && c <= '9');

        private static int Whole(string text, string parameter, int min, int max, string unit)
        {
            if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
                throw InputRules.Invalid($"Validation.{parameter}OutOfRange", parameter, text,
                    $"-{parameter} '{text}' is outside {min} to {max} {unit}, what GetOTP allows.");
            return value;
        }

        /// <summary>-Payload as the string GetOTP echoes to the account's webhooks: text as is, anything else as JSON.</summary>
        private static string? Payload(object? value)
        {
            if (value == null) return null;
            var text = value as string ?? PayloadJson.Write(value);
            InputRules.PlainText(text, "Payload");
            if (text.Length > GetOtpLimits.PayloadMaxLength)
                throw InputRules.Invalid("Validation.PayloadTooLong", "Payload", text.Length,
                    $"-Payload is {text.Length} characters long{(value is string ? "" : " as JSON")}; GetOTP allows at most {GetOtpLimits.PayloadMaxLength}.");
            return text;
        }

        public async Task<OtpSendResult> SendAsync(PreparedSend prepared, CancellationToken cancellationToken)
        {
            var body = ((Prepared)prepared).Body;
            var json = JsonSerializer.Serialize(new GetOtpSendEnvelope { Data = body }, GetOtpJsonContext.Default.GetOtpSendEnvelope);
            using var answer = await CallAsync(HttpCall.Json(HttpMethod.Post, _connection.Endpoint(VerificationsPath), json), cancellationToken)
                .ConfigureAwait(false);
            var sent = answer.Json(GetOtpJsonContext.Default.GetOtpSendAnswer)?.Verification;
            if (sent == null) throw HttpCall.Unexpected(_connection.Provider.Name, answer);
            return new OtpSendResult
            {
                Success = true,
                Status = "sent",
                MessageId = sent.MessageId,
                Destination = PhoneNumber.AsE164(sent.Phone ?? body.Phone),
                // GetOTP sends on the channel named; it documents no fallback.
                Channel = body.Channel,
                RequestedChannel = body.Channel,
                CreatedAt = UtcDate(sent.CreateDate),
                ExpiresAt = UtcDate(sent.ExpireDate),
                Message = body.Code == null ? "GetOTP generated the code: check what the recipient types with Confirm-OtpCode." : null,
            };
        }

        /// <summary>
        /// A typed code matches when GetOTP lists a send of it to this phone (and, given one, with this MessageId) that
        /// has not expired. The phone is always sent: without it GetOTP searches the whole account.
        /// </summary>
        public async Task<OtpVerificationResult> VerifyAsync(OtpCodeCheck check, CancellationToken cancellationToken)
        {
            var code = InputRules.Required(check.Code, "Code", "Validation.CodeRequired", Provider);
            InputRules.PlainText(code, "Code");
            var phone = PhoneNumber.Parse(InputRules.Required(check.Recipient, "Recipient", "Validation.RecipientRequired", Provider),
                "Recipient", Provider, skipRangeCheck: true);
            var messageId = string.IsNullOrWhiteSpace(check.MessageId) ? null : check.MessageId!.Trim();
            InputRules.PlainText(messageId, "MessageId");
            var result = new OtpVerificationResult { MessageId = messageId, Recipient = check.Recipient, Provider = _connection.Provider.Name };

            // A code GetOTP could not have sent cannot match: no call.
            if (!IsCode(code, GetOtpLimits.CodeMaxLength))
                return Checked(result, null, $"GetOTP codes are {GetOtpLimits.CodeMinLength} to {GetOtpLimits.CodeMaxLength} digits; the typed code cannot match.");

            var query = "?code=" + Uri.EscapeDataString(code) + "&phone=" + phone.Digits;
            using var answer = await CallAsync(new HttpRequestMessage(HttpMethod.Get, _connection.Endpoint(VerificationsPath + query)), cancellationToken)
                .ConfigureAwait(false);
            var list = answer.Json(GetOtpJsonContext.Default.GetOtpVerificationList);
            if (list?.Data == null) throw HttpCall.Unexpected(_connection.Provider.Name, answer);

            var now = DateTimeOffset.UtcNow;
            var forPhone = list.Data.Where(v => v.Phone == null || PhoneNumber.AsE164(v.Phone) == phone.E164).ToList();
            var forMessage = forPhone.Where(v => messageId == null || v.MessageId == messageId).ToList();
            var match = forMessage.FirstOrDefault(v => UtcDate(v.ExpireDate) > now);
            if (match != null) return Checked(result, match, null);
            var reason = forPhone.Count == 0 ? "GetOTP lists no send of this code to this number."
                : forMessage.Count == 0 ? $"The code matches another send to this number, not message {messageId}."
                : "The code matches, but it expired at " +
                  string.Join(", ", forMessage.Select(v => UtcDate(v.ExpireDate)?.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) ?? "an unknown time")) + ".";
            return Checked(result, null, reason);
        }

        private static OtpVerificationResult Checked(OtpVerificationResult result, GetOtpVerification? match, string? reason)
        {
            result.CheckedAt = DateTimeOffset.UtcNow;
            result.Verified = match != null;
            result.Reason = reason;
            if (match == null) return result;
            result.MessageId = match.MessageId ?? result.MessageId;
            result.VerifiedAt = result.CheckedAt;
            return result;
        }

        /// <summary>A payload object as compact JSON: tables as objects, lists as arrays, numbers, booleans, text; bounded depth.</summary>
        private static class PayloadJson
        {
            private const int MaxDepth = 16;

            public static string Write(object value)
            {
                using var stream = new System.IO.MemoryStream();
                using (var writer = new Utf8JsonWriter(stream))
                    WriteValue(writer, value, 0);
                return System.Text.Encoding.UTF8.GetString(stream.ToArray());
            }

            private static void WriteValue(Utf8JsonWriter writer, object? value, int depth)
            {
                if (depth > MaxDepth)
                    throw InputRules.Invalid("Validation.PayloadTooDeep", "Payload", depth, $"-Payload nests deeper than {MaxDepth} levels.");
                switch (value)
                {
                    case null: writer.WriteNullValue(); break;
                    case string text: writer.WriteStringValue(text); break;
                    case bool flag: writer.WriteBooleanValue(flag); break;
                    case DateTime date: writer.WriteStringValue(date.ToString("o", CultureInfo.InvariantCulture)); break;
                    case DateTimeOffset date: writer.WriteStringValue(date.ToString("o", CultureInfo.InvariantCulture)); break;
                    case IConvertible number when IsNumber(number):
                        writer.WriteRawValue(Convert.ToString(number, CultureInfo.InvariantCulture)!); break;
                    case IDictionary table:
                        writer.WriteStartObject();
                        foreach (DictionaryEntry entry in table)
                        {
                            writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "");
                            WriteValue(writer, entry.Value, depth + 1);
                        }
                        writer.WriteEndObject();
                        break;
                    case IEnumerable items:
                        writer.WriteStartArray();
                        foreach (var item in items) WriteValue(writer, item, depth + 1);
                        writer.WriteEndArray();
                        break;
                    default: writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
                }
            }

            private static bool IsNumber(IConvertible value)
            {
                switch (value.GetTypeCode())
                {
                    case TypeCode.Byte: case TypeCode.SByte: case TypeCode.Int16: case TypeCode.UInt16: case TypeCode.Int32: case TypeCode.UInt32:
                    case TypeCode.Int64: case TypeCode.UInt64: case TypeCode.Decimal:
                        return true;
                    case TypeCode.Double: return !double.IsNaN((double)value) && !double.IsInfinity((double)value);
                    case TypeCode.Single: return !float.IsNaN((float)value) && !float.IsInfinity((float)value);
                    default: return false;
                }
            }
        }
    }
}
