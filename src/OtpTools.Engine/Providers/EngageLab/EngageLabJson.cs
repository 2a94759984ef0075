using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace OtpTools.Engine.Providers.EngageLab
{
    // Field names exactly as the EngageLab "OTP Send" document writes them.

    /// <summary>
    /// POST /v1/messages (EngageLab generates the code) or, with "code", POST /v1/codes (the caller's code, which needs
    /// no verification call).
    /// </summary>
    internal sealed class EngageLabSendBody
    {
        [JsonPropertyName("to")] public string To { get; set; } = "";
        [JsonPropertyName("code")] public string? Code { get; set; }
        [JsonPropertyName("template")] public EngageLabTemplate Template { get; set; } = new EngageLabTemplate();
    }

    internal sealed class EngageLabTemplate
    {
        [JsonPropertyName("id")] public string Id { get; set; } = "";
        [JsonPropertyName("language")] public string Language { get; set; } = EngageLabLimits.DefaultLanguage;
        [JsonPropertyName("params")] public Dictionary<string, string>? Params { get; set; }
    }

    /// <summary>Both the success shape {message_id, send_channel} and the failure shape {code, message}.</summary>
    internal sealed class EngageLabAnswer
    {
        [JsonPropertyName("message_id")] public string? MessageId { get; set; }
        [JsonPropertyName("send_channel")] public string? SendChannel { get; set; }
        [JsonPropertyName("code")] public int? Code { get; set; }
        [JsonPropertyName("message")] public string? Message { get; set; }
    }

    /// <summary>POST /v1/verifications: the body, and the answer {message_id, verify_code, verified}.</summary>
    internal sealed class EngageLabVerification
    {
        [JsonPropertyName("message_id")] public string? MessageId { get; set; }
        [JsonPropertyName("verify_code")] public string? VerifyCode { get; set; }
        [JsonPropertyName("verified")] public bool? Verified { get; set; }
        [JsonPropertyName("code")] public int? Code { get; set; }
        [JsonPropertyName("message")] public string? Message { get; set; }
    }

    [JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonSerializable(typeof(EngageLabSendBody))]
    [JsonSerializable(typeof(EngageLabAnswer))]
    [JsonSerializable(typeof(EngageLabVerification))]
    internal sealed partial class EngageLabJsonContext : JsonSerializerContext
    {
    }
}
