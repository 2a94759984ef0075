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
        /// <summary>-SkipNumberCheck: accept a number libphonenumber does not know yet (E.164 rules still apply).</summary>
        public bool SkipNumberCheck { get; set; }

        /// <summary>
        /// The provider options given for this row (-Channel, -TemplateId, ...), by the name its provider declares in
        /// <see cref="IOtpProviderType.SendOptions"/>: a string, or an IDictionary for a table option.
        /// </summary>
        public IDictionary<string, object> Options { get; private set; } = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);

        /// <summary>A text option's value, or null when not given.</summary>
        public string? Option(string name) => Options.TryGetValue(name, out var value)
            ? value is System.Security.SecureString secret ? Credentials.OtpCredential.Reveal(secret) : value as string
            : null;

        /// <summary>A table option's value, or null when not given.</summary>
        public IDictionary? Table(string name) => Options.TryGetValue(name, out var value) ? value as IDictionary : null;

        /// <summary>A copy without one parameter's value (a route gives each provider only the parameters it takes).</summary>
        public OtpSendRequest Without(string parameter)
        {
            var copy = (OtpSendRequest)MemberwiseClone();
            copy.Options = new Dictionary<string, object>(Options, StringComparer.OrdinalIgnoreCase);
            copy.Options.Remove(parameter);
            if (string.Equals(parameter, nameof(Sender), StringComparison.OrdinalIgnoreCase)) copy.Sender = null;
            if (string.Equals(parameter, nameof(Language), StringComparison.OrdinalIgnoreCase)) copy.Language = null;
            return copy;
        }

        /// <summary>The provider options that carry a value, by parameter name.</summary>
        public IEnumerable<KeyValuePair<string, object>> GivenOptions() => Options.Where(o => o.Value != null);
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
