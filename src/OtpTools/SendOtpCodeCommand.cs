using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using OtpTools.Engine;
using OtpTools.Engine.Providers;
using OtpTools.Engine.Sending;

namespace OtpTools
{
    /// <summary>
    /// Sends a one-time passcode to each input, up to -ThrottleLimit at once. Every input yields exactly one
    /// OtpSendResult, written as soon as it completes; a failed one is also written as a non-terminating error.
    /// </summary>
    [ProviderCapability(typeof(IOtpCodeSender))]
    [Cmdlet(VerbsCommunications.Send, "OtpCode", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(OtpSendResult))]
    public sealed class SendOtpCodeCommand : OtpCmdlet, IDisposable, IDynamicParameters
    {
        private RuntimeDefinedParameterDictionary? _providerOptions;
        private SendSession? _session;

        /// <summary>
        /// The provider, or an ordered route of providers (<c>-Provider OtpBlue, Otpiq</c>): a row moves to the next one
        /// only when an answer proves nothing was delivered (e.g. OTP Blue 150 No iMessage).
        /// </summary>
        [Parameter]
        [ArgumentCompleter(typeof(ProviderNameCompleter))]
        public string[]? Provider { get; set; }

        protected override string[]? ProviderArgument => Provider;

        /// <summary>Recipients: phone numbers in international format, or (EngageLab) e-mail addresses.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias(RecipientColumnsAttribute.Contact, RecipientColumnsAttribute.PhoneNumber, RecipientColumnsAttribute.Phone, RecipientColumnsAttribute.Mobile, RecipientColumnsAttribute.Recipient, RecipientColumnsAttribute.Email)]
        [AllowEmptyString, AllowNull, AllowEmptyCollection]
        [RecipientColumns]
        public string?[]? To { get; set; }

        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("Otp", "VerificationCode")]
        [AllowEmptyString, AllowNull]
        public string? Code { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("SenderId")]
        [AllowEmptyString, AllowNull]
        public string? Sender { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ProviderValueCompleter))]
        [AllowEmptyString, AllowNull]
        public string? Language { get; set; }

        /// <summary>
        /// Accept numbers the phone-number metadata does not know yet (a range newer than it): the international form
        /// and the providers' format rules are still checked.
        /// </summary>
        [Parameter]
        public SwitchParameter SkipNumberCheck { get; set; }

        /// <summary>How many sends may be in flight at once.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 4;

        /// <summary>
        /// Seconds a run waits while a provider refuses every request for its rate limit (HTTP 429) with no success
        /// between; past it, nothing more is sent to that provider and the remaining rows fail as not sent.
        /// </summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public int RateLimitTimeout { get; set; } = 300;

        protected override void ConfigureCall(OtpCallOptions options) => options.RateLimitTimeout = TimeSpan.FromSeconds(RateLimitTimeout);

        /// <summary>A JSON Lines file that records each row before its request leaves and again with its outcome.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? JournalPath { get; set; }

        /// <summary>Continue the run recorded in -JournalPath: rows whose code may have been delivered are not sent again.</summary>
        [Parameter]
        public SwitchParameter Resume { get; set; }

        /// <summary>
        /// The providers' own options (-Channel, -TemplateId, -StatusCallback...), made from what each provider declares
        /// (IOtpProviderType.SendOptions): always all of them, so Get-Help, Get-Command and Tab list them flat.
        /// </summary>
        public object GetDynamicParameters()
        {
            if (_providerOptions != null) return _providerOptions;
            _providerOptions = new RuntimeDefinedParameterDictionary();
            foreach (var option in SendOptionCatalog.Parameters())
            {
                var attributes = new System.Collections.ObjectModel.Collection<Attribute>
                {
                    new ParameterAttribute { ValueFromPipelineByPropertyName = option.FromPipelineByPropertyName, HelpMessage = option.Help },
                };
                if (option.Values != null) attributes.Add(new ArgumentCompleterAttribute(typeof(ProviderValueCompleter)));
                if (option.Aliases.Count > 0) attributes.Add(new AliasAttribute(option.Aliases.ToArray()));
                var type = option.IsTable ? typeof(System.Collections.IDictionary) : option.IsSecret ? typeof(System.Security.SecureString) : option.ValueType;
                _providerOptions.Add(option.Name, new RuntimeDefinedParameter(option.Name, type, attributes));
            }
            return _providerOptions;
        }

        protected override void BeginProcessing()
        {
            var hops = ConnectRoute();
            var options = new SendSessionOptions
            {
                ThrottleLimit = ThrottleLimit,
                // -ErrorAction Stop keeps -ThrottleLimit: at the first failure nothing more starts, those in flight finish.
                StopAtFirstFailure = ErrorActionIsStop(),
                JournalPath = JournalPath == null ? null : GetUnresolvedProviderPathFromPSPath(JournalPath),
                Resume = Resume,
                WhatIf = WhatIfRequested(),
                // The total is known only when the recipients come as an argument rather than down the pipeline.
                Total = !MyInvocation.ExpectingInput && To != null ? To.Length : (int?)null,
                Outward = Outward,
            };
            _session = Run(() => SendSession.Open(hops, options, new SessionHost(this), Cancellation));
            ProviderName = _session.ProviderName;
        }

        protected override void ProcessRecord()
        {
            foreach (var to in To == null || To.Length == 0 ? new string?[] { null } : To)
            {
                var request = NewRequest(to);
                Run(() => _session!.Add(request));
            }
        }

        protected override void EndProcessing()
        {
            Run(() => _session!.End());
            base.EndProcessing();
        }

        protected override void StopProcessing()
        {
            base.StopProcessing();
            // Only noted here: this runs on another thread, where writing to the host can deadlock with the pipeline.
            _session?.NoteStop();
        }

        /// <summary>
        /// PowerShell calls this however the pipeline ends: the session closes its journal; without a journal, a stop's
        /// warning about rows in flight is the last word the user gets (PowerShell takes no more output once stopping).
        /// </summary>
        public void Dispose()
        {
            _session?.Dispose();
            if (!(_session?.StopWarning is string warning)) return;
            try
            {
                Host.UI.WriteWarningLine(warning);
            }
            catch (Exception)
            {
                // A host without a UI: nothing more can be said.
            }
        }

        /// <summary>A session step, with a stop as PowerShell's stop and an engine error as this cmdlet's terminating error.</summary>
        private void Run(Action step) => Run(() =>
        {
            step();
            return true;
        });

        private T Run<T>(Func<T> step)
        {
            try
            {
                return step();
            }
            catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (OtpException e)
            {
                ThrowOtpError(e, e.TargetValue ?? JournalPath);
                throw; // not reached
            }
        }

        /// <summary>
        /// One provider, or a route (several -Provider names, or a route registration): a connection per provider,
        /// each with its own credential.
        /// </summary>
        private IReadOnlyList<(OtpConnection, IOtpCodeSender)> ConnectRoute()
        {
            IReadOnlyList<string?> names;
            try
            {
                names = ProviderResolver.ExpandRoute(Provider);
            }
            catch (OtpException e)
            {
                ThrowOtpError(e, e.TargetValue);
                throw; // not reached
            }
            if (names.Count > 1 && (ApiKey != null || Credential != null))
                ThrowOtpError(new OtpException("Credential.AmbiguousForRoute", OtpErrorCategory.InvalidArgument,
                    $"-ApiKey and -Credential cannot say which provider of the route ({string.Join(", ", names)}) they are for. " +
                    "Keep each provider's key in its registration's vault or in OTPTOOLS_<NAME>_APIKEY (EngageLab: _DEVKEY and _DEVSECRET).")
                { ParameterName = ApiKey != null ? "ApiKey" : "Credential" }, null);
            // In a route, -ApiKey and -Credential were refused above, so each provider's own credential is found.
            return names.Select(name => (Connect<IOtpCodeSender>(name, out var client), client)).ToList();
        }

        private bool WhatIfRequested() =>
            MyInvocation.BoundParameters.TryGetValue("WhatIf", out var bound) ? bound is SwitchParameter on && on.IsPresent
                : GetVariableValue("WhatIfPreference") is SwitchParameter preference ? preference.IsPresent
                : GetVariableValue("WhatIfPreference") is bool flag && flag;

        private bool ErrorActionIsStop()
        {
            if (MyInvocation.BoundParameters.TryGetValue("ErrorAction", out var bound))
                return bound is ActionPreference preference && preference == ActionPreference.Stop;
            return GetVariableValue("ErrorActionPreference") is ActionPreference session && session == ActionPreference.Stop;
        }

        private OtpSendRequest NewRequest(string? to)
        {
            var request = new OtpSendRequest
            {
                To = to,
                Code = Code,
                Sender = Sender,
                Language = Language,
                SkipNumberCheck = SkipNumberCheck,
            };
            foreach (var option in _providerOptions?.Values ?? Enumerable.Empty<RuntimeDefinedParameter>())
            {
                var value = PlainValues.Of(option.Value);
                if (!option.IsSet || value == null) continue;
                // A secret option's value is masked wherever it could be echoed (a provider's error, a trace line).
                if (value is System.Security.SecureString secret) Outward.AddSecret(secret);
                request.Options[option.Name] = value;
            }
            return request;
        }

        /// <summary>
        /// The session's way to PowerShell's streams and prompts. A nested class rather than an interface on the cmdlet:
        /// PowerShell loads cmdlet types before the module's load context can resolve the engine's types.
        /// </summary>
        private sealed class SessionHost : ISendSessionHost
        {
            private readonly SendOtpCodeCommand _cmdlet;

            public SessionHost(SendOtpCodeCommand cmdlet) => _cmdlet = cmdlet;

            public void Wait(Task task, Action tick) => _cmdlet.Wait(task, tick);

            public string? Consent(string operation, string target)
            {
                if (_cmdlet.ShouldProcess($"Performing the operation \"{operation}\" on target \"{target}\".",
                        $"Are you sure you want to perform this action?\nPerforming the operation \"{operation}\" on target \"{target}\".",
                        "Confirm", out var reason))
                    return null;
                return reason == ShouldProcessReason.WhatIf ? SendStatus.WhatIf : SendStatus.Declined;
            }

            public void FlushTrace() => _cmdlet.FlushTrace();

            public void WriteReceipt(OtpSendResult receipt) => _cmdlet.WriteReceipt(receipt);

            public void WriteError(OtpException error, string? recipient) => _cmdlet.WriteOtpError(error, recipient);

            public void WriteProgress(SendProgress progress)
            {
                var record = new ProgressRecord(0x0712, progress.Activity, progress.Status);
                if (progress.Percent is int done) record.PercentComplete = done;
                if (progress.SecondsRemaining is int seconds) record.SecondsRemaining = seconds;
                if (progress.Completed) record.RecordType = ProgressRecordType.Completed;
                _cmdlet.WriteProgress(record);
            }
        }
    }
}
