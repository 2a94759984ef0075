using System.Collections.Generic;
using System.Text.Json.Serialization;
using OtpTools.Engine.Http;

namespace OtpTools.Engine.Providers.OtpBlue
{
    // Field names exactly as the OTP Blue API v1.1 document writes them.

    internal sealed class OtpBlueSendBody
    {
        [JsonPropertyName("contact")] public string Contact { get; set; } = "";
        [JsonPropertyName("code")] public string Code { get; set; } = "";
        [JsonPropertyName("sender")] public string? Sender { get; set; }
        [JsonPropertyName("language")] public string? Language { get; set; }
        [JsonPropertyName("status_callback")] public string? StatusCallback { get; set; }
        [JsonPropertyName("status_callback_header")] public string? StatusCallbackHeader { get; set; }
    }

    /// <summary>Both the success (200) and the failure (400) shape.</summary>
    internal sealed class OtpBlueSendAnswer
    {
        [JsonPropertyName("message")] public string? Message { get; set; }
        [JsonPropertyName("message_id")] public string? MessageId { get; set; }
        [JsonPropertyName("recipient")] public string? Recipient { get; set; }
        [JsonPropertyName("contact")] public string? Contact { get; set; }
        [JsonPropertyName("status")] public string? Status { get; set; }
        [JsonPropertyName("success")] public bool? Success { get; set; }
        [JsonPropertyName("code")] public int? Code { get; set; }
    }

    internal sealed class OtpBlueHistoryPage
    {
        [JsonPropertyName("count")] public long Count { get; set; }
        [JsonPropertyName("items")] public List<OtpBlueHistoryItem>? Items { get; set; }
        [JsonPropertyName("num_pages")] public long NumPages { get; set; }
        [JsonPropertyName("page")] public long Page { get; set; }
        [JsonPropertyName("per_page")] public int PerPage { get; set; }
    }

    /// <summary>Region, sender, status and language take a few values over and over: read through RepeatedTextConverter.</summary>
    internal sealed class OtpBlueHistoryItem
    {
        [JsonPropertyName("id")] public string? Id { get; set; }
        [JsonPropertyName("create_date")] public System.DateTimeOffset CreateDate { get; set; }
        [JsonPropertyName("region"), JsonConverter(typeof(RepeatedTextConverter))] public string? Region { get; set; }
        [JsonPropertyName("contact")] public string? Contact { get; set; }
        [JsonPropertyName("sender"), JsonConverter(typeof(RepeatedTextConverter))] public string? Sender { get; set; }
        [JsonPropertyName("status"), JsonConverter(typeof(RepeatedTextConverter))] public string? Status { get; set; }
        [JsonPropertyName("text")] public string? Text { get; set; }
        [JsonPropertyName("language"), JsonConverter(typeof(RepeatedTextConverter))] public string? Language { get; set; }
        [JsonPropertyName("error_code")] public int? ErrorCode { get; set; }
    }

    internal sealed class OtpBlueRegions
    {
        [JsonPropertyName("regions")] public List<OtpBlueRegion>? Regions { get; set; }
    }

    internal sealed class OtpBlueRegion
    {
        [JsonPropertyName("name")] public string? Name { get; set; }
        [JsonPropertyName("code")] public string? Code { get; set; }
    }

    [JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonSerializable(typeof(OtpBlueSendBody))]
    [JsonSerializable(typeof(OtpBlueSendAnswer))]
    [JsonSerializable(typeof(OtpBlueHistoryPage))]
    [JsonSerializable(typeof(OtpBlueRegions))]
    internal sealed partial class OtpBlueJsonContext : JsonSerializerContext
    {
    }
}
