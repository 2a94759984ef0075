using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace OtpTools.Engine.Providers.Otpiq
{
    // Field names exactly as the OTPIQ "Send SMS" document writes them.

    internal sealed class OtpiqSendBody
    {
        [JsonPropertyName("phoneNumber")] public string PhoneNumber { get; set; } = "";
        [JsonPropertyName("smsType")] public string SmsType { get; set; } = OtpiqLimits.SmsType;
        [JsonPropertyName("verificationCode")] public string VerificationCode { get; set; } = "";
        [JsonPropertyName("senderId")] public string? SenderId { get; set; }
        [JsonPropertyName("whatsappAccountId")] public string? WhatsappAccountId { get; set; }
        [JsonPropertyName("whatsappPhoneId")] public string? WhatsappPhoneId { get; set; }
        [JsonPropertyName("templateName")] public string? TemplateName { get; set; }
        [JsonPropertyName("provider")] public string Provider { get; set; } = OtpiqLimits.DefaultChannel;
        [JsonPropertyName("deliveryReport")] public OtpiqDeliveryReport? DeliveryReport { get; set; }
    }

    internal sealed class OtpiqDeliveryReport
    {
        [JsonPropertyName("webhookUrl")] public string WebhookUrl { get; set; } = "";
        [JsonPropertyName("deliveryReportType")] public string? DeliveryReportType { get; set; }
        [JsonPropertyName("webhookSecret")] public string? WebhookSecret { get; set; }
    }

    /// <summary>Every answer shape: success, 400 {error}, 400 insufficient credit, 401/500 {message}, 429.</summary>
    internal sealed class OtpiqAnswer
    {
        [JsonPropertyName("message")] public string? Message { get; set; }
        [JsonPropertyName("smsId")] public string? SmsId { get; set; }
        [JsonPropertyName("remainingCredit")] public decimal? RemainingCredit { get; set; }
        [JsonPropertyName("cost")] public decimal? Cost { get; set; }
        [JsonPropertyName("canCover")] public bool? CanCover { get; set; }
        [JsonPropertyName("paymentType")] public string? PaymentType { get; set; }
        [JsonPropertyName("error")] public string? Error { get; set; }
        [JsonPropertyName("yourCredit")] public decimal? YourCredit { get; set; }
        [JsonPropertyName("requiredCredit")] public decimal? RequiredCredit { get; set; }
        [JsonPropertyName("waitMinutes")] public double? WaitMinutes { get; set; }
        [JsonPropertyName("maxRequests")] public int? MaxRequests { get; set; }
        [JsonPropertyName("timeWindowMinutes")] public double? TimeWindowMinutes { get; set; }
    }

    /// <summary>GET /api/sms/track/{smsId}.</summary>
    internal sealed class OtpiqTrackAnswer
    {
        [JsonPropertyName("smsId")] public string? SmsId { get; set; }
        [JsonPropertyName("phoneNumber")] public string? PhoneNumber { get; set; }
        [JsonPropertyName("status")] public string? Status { get; set; }
        [JsonPropertyName("cost")] public decimal? Cost { get; set; }
        [JsonPropertyName("isFinal")] public bool? IsFinal { get; set; }
        [JsonPropertyName("channel")] public string? Channel { get; set; }
        [JsonPropertyName("senderId")] public string? SenderId { get; set; }
        [JsonPropertyName("reason")] public string? Reason { get; set; }
    }

    /// <summary>GET /api/info.</summary>
    internal sealed class OtpiqInfoAnswer
    {
        [JsonPropertyName("projectName")] public string? ProjectName { get; set; }
        [JsonPropertyName("credit")] public decimal? Credit { get; set; }
    }

    /// <summary>GET /api/sender-ids.</summary>
    internal sealed class OtpiqSenderIdsAnswer
    {
        [JsonPropertyName("success")] public bool? Success { get; set; }
        [JsonPropertyName("data")] public List<OtpiqSenderId>? Data { get; set; }
    }

    internal sealed class OtpiqSenderId
    {
        [JsonPropertyName("_id")] public string? Id { get; set; }
        [JsonPropertyName("senderId")] public string? SenderId { get; set; }
        [JsonPropertyName("status")] public string? Status { get; set; }
        [JsonPropertyName("pricePerSms")] public OtpiqPrices? PricePerSms { get; set; }
    }

    internal sealed class OtpiqPrices
    {
        [JsonPropertyName("korekTelecom")] public decimal? KorekTelecom { get; set; }
        [JsonPropertyName("asiaCell")] public decimal? AsiaCell { get; set; }
        [JsonPropertyName("zainIraq")] public decimal? ZainIraq { get; set; }
        [JsonPropertyName("others")] public decimal? Others { get; set; }
    }

    [JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonSerializable(typeof(OtpiqSendBody))]
    [JsonSerializable(typeof(OtpiqAnswer))]
    [JsonSerializable(typeof(OtpiqTrackAnswer))]
    [JsonSerializable(typeof(OtpiqInfoAnswer))]
    [JsonSerializable(typeof(OtpiqSenderIdsAnswer))]
    internal sealed partial class OtpiqJsonContext : JsonSerializerContext
    {
    }
}
