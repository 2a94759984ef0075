using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OtpTools.Engine.Providers.GetOtp
{
    // Field names exactly as GetOTP's Senders and verifications documents write them.

    /// <summary>POST /v1/verifications: every request is wrapped in "data".</summary>
    internal sealed class GetOtpSendEnvelope
    {
        [JsonPropertyName("data")] public GetOtpSendBody Data { get; set; } = new GetOtpSendBody();
    }

    internal sealed class GetOtpSendBody
    {
        [JsonPropertyName("channel")] public string Channel { get; set; } = "";
        [JsonPropertyName("sender")] public string? Sender { get; set; }
        [JsonPropertyName("phone")] public string Phone { get; set; } = "";
        [JsonPropertyName("template")] public string? Template { get; set; }
        [JsonPropertyName("code_length")] public int? CodeLength { get; set; }
        [JsonPropertyName("code")] public string? Code { get; set; }
        [JsonPropertyName("voice_type")] public string? VoiceType { get; set; }
        [JsonPropertyName("ringing_duration")] public int? RingingDuration { get; set; }
        [JsonPropertyName("language")] public string? Language { get; set; }
        [JsonPropertyName("ttl_in_seconds")] public int? TtlInSeconds { get; set; }
        [JsonPropertyName("number_formatting")] public bool? NumberFormatting { get; set; }
        [JsonPropertyName("payload")] public string? Payload { get; set; }
    }

    /// <summary>One verification: the send answer, and each row of a code check.</summary>
    internal class GetOtpVerification
    {
        [JsonPropertyName("account_id")] public string? AccountId { get; set; }
        [JsonPropertyName("message_id")] public string? MessageId { get; set; }
        [JsonPropertyName("phone")] public string? Phone { get; set; }
        [JsonPropertyName("create_date")] public string? CreateDate { get; set; }
        [JsonPropertyName("expire_date")] public string? ExpireDate { get; set; }
    }

    /// <summary>The send answer: flat as documented, or wrapped in "data" as the other v1 resources are.</summary>
    internal sealed class GetOtpSendAnswer : GetOtpVerification
    {
        [JsonPropertyName("data")] public GetOtpVerification? Data { get; set; }

        public GetOtpVerification? Verification => MessageId != null ? this : Data?.MessageId != null ? Data : null;
    }

    /// <summary>GET /v1/verifications?code=&amp;phone=: the sends the code matches; an empty list means it matches none.</summary>
    internal sealed class GetOtpVerificationList
    {
        [JsonPropertyName("data")] public List<GetOtpVerification>? Data { get; set; }
        [JsonPropertyName("pagination")] public GetOtpPagination? Pagination { get; set; }
    }

    internal sealed class GetOtpSendersPage
    {
        [JsonPropertyName("data")] public List<GetOtpSenderItem>? Data { get; set; }
        [JsonPropertyName("pagination")] public GetOtpPagination? Pagination { get; set; }
    }

    internal sealed class GetOtpSenderItem
    {
        [JsonPropertyName("id")] public string? Id { get; set; }
        [JsonPropertyName("account_id")] public string? AccountId { get; set; }
        [JsonPropertyName("name")] public string? Name { get; set; }
        [JsonPropertyName("code")] public string? Code { get; set; }
        [JsonPropertyName("channel")] public string? Channel { get; set; }
        [JsonPropertyName("type")] public string? Type { get; set; }
        [JsonPropertyName("status")] public string? Status { get; set; }
        [JsonPropertyName("country")] public string? Country { get; set; }
        [JsonPropertyName("countries")] public List<string>? Countries { get; set; }
        // Documented as strings ("2"); JsonElement also takes a number should the API send one.
        [JsonPropertyName("monthly_cost")] public JsonElement MonthlyCost { get; set; }
        [JsonPropertyName("setup_cost")] public JsonElement SetupCost { get; set; }
        [JsonPropertyName("create_date")] public string? CreateDate { get; set; }
        [JsonPropertyName("update_date")] public string? UpdateDate { get; set; }
    }

    internal sealed class GetOtpPagination
    {
        [JsonPropertyName("number")] public long Number { get; set; }
        [JsonPropertyName("size")] public int Size { get; set; }
        [JsonPropertyName("total")] public long? Total { get; set; }
        [JsonPropertyName("links")] public GetOtpLinks? Links { get; set; }
    }

    internal sealed class GetOtpLinks
    {
        [JsonPropertyName("first")] public string? First { get; set; }
        [JsonPropertyName("current")] public string? Current { get; set; }
        [JsonPropertyName("previous")] public string? Previous { get; set; }
        [JsonPropertyName("next")] public string? Next { get; set; }
    }

    internal sealed class GetOtpErrorBody
    {
        [JsonPropertyName("errors")] public List<GetOtpError>? Errors { get; set; }
    }

    internal sealed class GetOtpError
    {
        [JsonPropertyName("timestamp")] public string? Timestamp { get; set; }
        [JsonPropertyName("path")] public string? Path { get; set; }
        [JsonPropertyName("method")] public string? Method { get; set; }
        [JsonPropertyName("status")] public int? Status { get; set; }
        [JsonPropertyName("message")] public string? Message { get; set; }
        // A string in the document ("1439"); a number is accepted too.
        [JsonPropertyName("code")] public JsonElement Code { get; set; }
    }

    [JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonSerializable(typeof(GetOtpSendersPage))]
    [JsonSerializable(typeof(GetOtpErrorBody))]
    [JsonSerializable(typeof(GetOtpSendEnvelope))]
    [JsonSerializable(typeof(GetOtpSendAnswer))]
    [JsonSerializable(typeof(GetOtpVerificationList))]
    internal sealed partial class GetOtpJsonContext : JsonSerializerContext
    {
    }
}
