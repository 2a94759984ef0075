using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using System.Security;
using OtpTools.Engine;
using OtpTools.Engine.Http;
using OtpTools.Engine.Providers;
using OtpTools.Engine.Webhooks;

namespace OtpTools
{
    /// <summary>
    /// Listens on a local HTTP prefix for a provider's delivery webhooks and writes one OtpDeliveryReport per event as
    /// it arrives, until -Count reports, -Timeout or Ctrl+C. Every request is authenticated; the provider hears 200
    /// only once its reports are on the pipeline.
    /// </summary>
    [Cmdlet(VerbsCommunications.Receive, "OtpDeliveryReport")]
    [ProviderCapability(typeof(IDeliveryWebhook))]
    [OutputType(typeof(OtpDeliveryReport))]
    public sealed class ReceiveOtpDeliveryReportCommand : OtpEngineCmdlet, IDisposable
    {
        private DeliveryReportListener? _listener;

        /// <summary>OtpBlue, Otpiq or EngageLab, or a registered provider of those types.</summary>
        [Parameter(Position = 0)]
        [ArgumentCompleter(typeof(ProviderNameCompleter))]
        public string? Provider { get; set; }

        /// <summary>The local http prefix to listen on, e.g. http://localhost:8080/otpiq/ behind an https proxy (ends with /).</summary>
        [Parameter(Mandatory = true, Position = 1)]
        public string Prefix { get; set; } = "";

        /// <summary>OTPIQ's webhookSecret, or the Authorization value OTP Blue sends (the send's -StatusCallbackHeader).</summary>
        [Parameter]
        public SecureString? WebhookSecret { get; set; }

        /// <summary>EngageLab's callback user name and secret (as set in its console).</summary>
        [Parameter]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>Stop after this many reports.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Count { get; set; }

        /// <summary>Stop listening after this long; until -Count or Ctrl+C when omitted.</summary>
        [Parameter]
        public TimeSpan Timeout { get; set; }

        private TimeSpan? Limit => MyInvocation.BoundParameters.ContainsKey(nameof(Timeout)) ? Timeout : (TimeSpan?)null;

        protected override void EndProcessing()
        {
            if (Limit is TimeSpan limit && limit <= TimeSpan.Zero)
                ThrowOtpError(new OtpException("Validation.TimeoutNotPositive", OtpErrorCategory.InvalidArgument,
                    $"-Timeout {limit} must be longer than zero.") { ParameterName = "Timeout", TargetValue = limit }, limit);
            ResolvedProvider provider;
            IDeliveryWebhook hook;
            WebhookSecret secret;
            try
            {
                DeliveryReportListener.CheckPrefix(Prefix);
                provider = ProviderResolver.Resolve(Provider, capability: typeof(IDeliveryWebhook));
                hook = provider.Type.DeliveryWebhook
                    ?? throw new OtpException("Provider.NotSupportedByCmdlet", OtpErrorCategory.InvalidOperation,
                        $"Receive-OtpDeliveryReport is available for {string.Join(", ", ProviderCatalog.NamesSupporting<IDeliveryWebhook>())} providers; " +
                        $"{ProviderCapabilityAttribute.Describe(provider)}; it sends no delivery webhooks.")
                    { ParameterName = "Provider", TargetValue = Provider };
                secret = ResolveSecret(provider, hook);
                secret.ShowMaskedIn(Outward);
                // Nonces of signed callbacks outlive this listener, so a replay after a restart is refused too.
                var replays = new ReplayGuard(System.IO.Path.Combine(ReplayGuard.StateFolder(Environment.GetEnvironmentVariable),
                    $"webhook-nonces-{provider.Type.Name.ToLowerInvariant()}.txt"));
                _listener = new DeliveryReportListener(Prefix, provider, hook, secret, NewTrace(), replays);
                _listener.Start();
            }
            catch (OtpException e)
            {
                ThrowOtpError(e, e.TargetValue ?? Provider);
                return;
            }
            WriteVerbose($"Listening on {Prefix} for {provider.Name} ({provider.Type.Name}) delivery reports" +
                         (Count > 0 ? $", until {Count} arrive" : "") + (Limit != null ? $", for {Limit}" : "") + "; Ctrl+C stops.");
            var deadline = Limit == null ? (DateTimeOffset?)null : DateTimeOffset.UtcNow + Limit.Value;
            var written = 0;
            while (Count == 0 || written < Count)
            {
                var wait = deadline == null ? TimeSpan.FromSeconds(1) : Min(deadline.Value - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(1));
                if (wait <= TimeSpan.Zero) break;
                var pending = Await(_listener.NextAsync(wait, Cancellation));
                if (pending == null) continue;
                written += Write(pending);
                // The rest of a burst, already read and authenticated: written without a wait each.
                while ((Count == 0 || written < Count) && _listener.TryNext(out var more)) written += Write(more!);
            }
            // -Count or -Timeout: the port closes first; what was already read and authenticated is written (and then
            // answered 200), everything else is answered 503 so the provider sends it again.
            foreach (var pending in _listener.StopAccepting()) written += Write(pending);
            _listener.Dispose();
            FlushTrace();
            var refused = _listener.RefusedSummary();
            WriteVerbose($"Stopped listening on {Prefix}: {written} report(s) written" + (refused.Length > 0 ? $"; {refused}." : "."));
            if (_listener.Answered.ContainsKey(401)) WriteWarning($"Receive-OtpDeliveryReport on {Prefix} refused requests: {refused}.");
            base.EndProcessing();
        }

        /// <summary>Writes one request's reports, then lets its sender hear 200; a stop mid-way answers 503 instead.</summary>
        private int Write(PendingReports pending)
        {
            try
            {
                foreach (var report in pending.Reports) WriteProviderObject(report);
            }
            catch
            {
                // Stopped mid-way (Ctrl+C): the provider hears 503 and sends the whole request again.
                pending.Acknowledge(false);
                throw;
            }
            pending.Acknowledge(true);
            return pending.Reports.Count;
        }

        private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

        /// <summary>The parameter first, then the registration's vault secret; a listener never runs unauthenticated.</summary>
        private WebhookSecret ResolveSecret(ResolvedProvider provider, IDeliveryWebhook hook)
        {
            var wantsPair = hook.SecretKind == WebhookSecretKind.UserAndSecret;
            if (wantsPair && WebhookSecret != null)
                throw new OtpException("Webhook.WrongSecretKind", OtpErrorCategory.InvalidArgument,
                    $"{provider.Type.Name} signs its callbacks with a user name and secret: pass them as -Credential, not -WebhookSecret.")
                { ParameterName = "WebhookSecret", TargetValue = OutwardText.Mask };
            if (!wantsPair && Credential != null)
                throw new OtpException("Webhook.WrongSecretKind", OtpErrorCategory.InvalidArgument,
                    $"{provider.Type.Name} sends back one secret value: pass it as -WebhookSecret, not -Credential.")
                { ParameterName = "Credential", TargetValue = OutwardText.Mask };
            if (wantsPair && Credential != null)
                return new WebhookSecret(Credential.Password, Credential.UserName);
            if (!wantsPair && WebhookSecret != null) return new WebhookSecret(WebhookSecret);

            var registration = provider.Registration;
            if (registration?.WebhookSecretName is string name && !string.IsNullOrEmpty(registration.Vault))
            {
                var stored = VaultSecrets.FetchObject(this, provider.Name, registration.Vault!, name);
                var fromVault = FromVault(stored, wantsPair);
                if (fromVault != null) return fromVault;
                throw new OtpException("Credential.VaultSecretUnusable", OtpErrorCategory.InvalidData,
                    $"Secret '{name}' in vault '{registration.Vault}' (webhook secret of '{provider.Name}') is a {stored.GetType().Name}, which OtpTools cannot use. " +
                    (wantsPair ? "Store the callback user name and secret as a PSCredential." : "Store the webhook secret as a SecureString or string."))
                { ParameterName = "Provider", TargetValue = provider.Name };
            }
            throw new OtpException("Webhook.SecretRequired", OtpErrorCategory.InvalidArgument,
                $"Receive-OtpDeliveryReport answers only requests that prove they come from {provider.Type.Name}, so it needs " +
                (wantsPair ? "EngageLab's callback user name and secret: -Credential (Get-Credential)" :
                    provider.Type.Name == "OtpBlue" ? "the Authorization value your sends give as -StatusCallbackHeader: -WebhookSecret (Read-Host -AsSecureString)"
                    : "the webhook secret your sends give as -WebhookSecret: -WebhookSecret (Read-Host -AsSecureString)") +
                $", or a registration with one: Set-OtpProvider -Name <name> -Vault <vault> -WebhookSecretName <secret>.")
            { ParameterName = wantsPair ? "Credential" : "WebhookSecret" };
        }

        /// <summary>The vault shapes, read as VaultSecrets reads a key: a token, or a PSCredential / hashtable pair.</summary>
        private static WebhookSecret? FromVault(object stored, bool wantsPair)
        {
            if (!wantsPair) return VaultSecrets.AsSecure(stored) is SecureString token ? new WebhookSecret(token) : null;
            if (stored is PSCredential pair) return new WebhookSecret(pair.Password, pair.UserName);
            return stored is Hashtable table && table["UserName"] is string user && VaultSecrets.AsSecure(table["Secret"]) is SecureString secret
                ? new WebhookSecret(secret, user) : null;
        }

        /// <summary>However the pipeline ends (Ctrl+C included), the port is released and unwritten reports are answered 503.</summary>
        public void Dispose() => _listener?.Dispose();
    }
}
