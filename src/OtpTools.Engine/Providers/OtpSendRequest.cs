using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace OtpTools.Engine.Providers
{
    /// <summary>One input row of Send-OtpCode, as bound by the cmdlet.</summary>
    public sealed class OtpSendRequest
    {
        public int Position { get; set; }
        public string? To { get; set; }
        public string? Code { get; set; }
        public string? Sender { get; set; }
        public string? Language { get; set; }

        // Provider-specific options: each provider lists the ones it takes in IOtpCodeSender.SendOptions.
        public string? StatusCallback { get; set; }
        public string? StatusCallbackHeader { get; set; }
        public string? Channel { get; set; }
        public string? TemplateId { get; set; }
        public IDictionary? TemplateParameter { get; set; }
        public string? WhatsappAccountId { get; set; }
        public string? WhatsappPhoneId { get; set; }
        public string? TemplateName { get; set; }
        public string? WebhookUrl { get; set; }
        public string? DeliveryReportType { get; set; }
        public string? WebhookSecret { get; set; }

        /// <summary>A copy without one parameter's value (a route gives each provider only the parameters it takes).</summary>
        public OtpSendRequest Without(string parameter)
        {
            var copy = (OtpSendRequest)MemberwiseClone();
            typeof(OtpSendRequest).GetProperty(parameter)?.SetValue(copy, null);
            return copy;
        }

        /// <summary>The provider-specific options that carry a value, by parameter name.</summary>
        public IEnumerable<KeyValuePair<string, object>> GivenOptions()
        {
            var options = new (string Name, object? Value)[]
            {
                (nameof(StatusCallback), StatusCallback),
                (nameof(StatusCallbackHeader), StatusCallbackHeader),
                (nameof(Channel), Channel),
                (nameof(TemplateId), TemplateId),
                (nameof(TemplateParameter), TemplateParameter),
                (nameof(WhatsappAccountId), WhatsappAccountId),
                (nameof(WhatsappPhoneId), WhatsappPhoneId),
                (nameof(TemplateName), TemplateName),
                (nameof(WebhookUrl), WebhookUrl),
                (nameof(DeliveryReportType), DeliveryReportType),
                (nameof(WebhookSecret), WebhookSecret),
            };
            return options.Where(o => o.Value != null).Select(o => new KeyValuePair<string, object>(o.Name, o.Value!));
        }
    }

    /// <summary>A request that passed the provider's checks; what ShouldProcess describes and SendAsync sends.</summary>
    public abstract class PreparedSend
    {
        protected PreparedSend(OtpSendRequest request, string destination)
        {
            Request = request;
            Destination = destination;
        }

        public OtpSendRequest Request { get; }
        /// <summary>The recipient as the provider receives it.</summary>
        public string Destination { get; }
    }

    /// <summary>Date range and window of a history listing.</summary>
    public sealed class OtpHistoryQuery : PageWindow
    {
        public DateTime From { get; set; }
        public DateTime To { get; set; }
    }
}
