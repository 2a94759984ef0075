using System;
using System.Collections.Generic;
using System.Diagnostics;
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
        private readonly Stopwatch _clock = new Stopwatch();
        private readonly List<OtpSendRequest> _resumeRows = new List<OtpSendRequest>();
        private BulkSendRun? _run;
        private SendJournal? _journal;
        private bool _stopAtFirstFailure;
        private int _position;
        private int? _total;
        private int[]? _inFlightAtStop;
        private TimeSpan? _lastProgress;

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
            var sender = ConnectRoute();
            // The total is known only when the recipients come as an argument rather than down the pipeline.
            if (!MyInvocation.ExpectingInput && To != null) _total = To.Length;
            // -ErrorAction Stop keeps -ThrottleLimit: at the first failure nothing more starts, those in flight finish.
            _stopAtFirstFailure = ErrorActionIsStop();
            if (Resume && JournalPath == null)
                ThrowOtpError(new OtpException("Validation.ResumeWithoutJournal", OtpErrorCategory.InvalidArgument,
                    "-Resume continues the run recorded in a journal: give its -JournalPath.") { ParameterName = "Resume" }, null);
            // -WhatIf changes nothing on disk either: no journal is created or appended to.
            if (JournalPath != null && !WhatIfRequested())
            {
                var path = GetUnresolvedProviderPathFromPSPath(JournalPath);
                try
                {
                    _journal = Resume ? SendJournal.Resume(path, ProviderName!) : SendJournal.Create(path, ProviderName!);
                }
                catch (OtpException e)
                {
                    ThrowOtpError(e, JournalPath);
                }
            }
            _run = new BulkSendRun(sender,
                new BulkSendOptions { ThrottleLimit = ThrottleLimit, StopAtFirstFailure = _stopAtFirstFailure, Journal = _journal, Outward = Outward },
                ProviderName!);
            _clock.Start();
        }

        protected override void ProcessRecord()
        {
            foreach (var to in To == null || To.Length == 0 ? new string?[] { null } : To)
            {
                var request = NewRequest(to);
                // A resumed run is checked against its journal as a whole before anything is sent.
                if (Resume) _resumeRows.Add(request);
                else SendRow(request);
            }
        }

        protected override void EndProcessing()
        {
            if (Resume) ResumeRows();
            while (_run!.InFlight > 0)
            {
                WaitFor(_run.WhenOneFinishes());
                EmitFinished();
            }
            EmitFinished();
            ReportProgress(final: true);
            base.EndProcessing();
        }

        protected override void StopProcessing()
        {
            base.StopProcessing();
            // Only noted here: this runs on another thread, where writing to the host can deadlock with the pipeline.
            _inFlightAtStop = _run?.InFlightPositions;
        }

        /// <summary>
        /// PowerShell calls this however the pipeline ends (completed, Ctrl+C, -ErrorAction Stop, an exception): requests
        /// still in flight get a moment to record their outcome, then the journal is closed (and its lock released).
        /// </summary>
        public void Dispose()
        {
            _run?.WhenAllFinish().Wait(TimeSpan.FromSeconds(1));
            _journal?.Dispose();
            if (_journal != null || _inFlightAtStop == null || _inFlightAtStop.Length == 0) return;
            // Without a journal, this is the last word the user gets: PowerShell takes no more output once stopping.
            try
            {
                Host.UI.WriteWarningLine($"Send-OtpCode stopped with row(s) {string.Join(", ", _inFlightAtStop)} in flight: their codes may have been " +
                    "delivered, with no receipt. Check them before sending again; -JournalPath keeps a record that survives a stop.");
            }
            catch (Exception)
            {
                // A host without a UI: nothing more can be said.
            }
        }

        /// <summary>
        /// One provider, or a route (several -Provider names, or a route registration): a connection per provider,
        /// each with its own credential.
        /// </summary>
        private IRowSender ConnectRoute()
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
            if (names.Count == 1)
            {
                var connection = Connect<IOtpCodeSender>(names[0], out var client);
                return new OtpSendService(connection, client, ThrottleLimit);
            }
            if (ApiKey != null || Credential != null)
                ThrowOtpError(new OtpException("Credential.AmbiguousForRoute", OtpErrorCategory.InvalidArgument,
                    $"-ApiKey and -Credential cannot say which provider of the route ({string.Join(", ", names)}) they are for. " +
                    "Keep each provider's key in its registration's vault or in OTPTOOLS_<NAME>_APIKEY (EngageLab: _DEVKEY and _DEVSECRET).")
                { ParameterName = ApiKey != null ? "ApiKey" : "Credential" }, null);
            var hops = new List<OtpSendService>();
            var hopNames = new List<string>();
            foreach (var name in names)
            {
                // -ApiKey and -Credential were refused above, so each provider's own credential is found.
                var connection = Connect<IOtpCodeSender>(name, out var client);
                hops.Add(new OtpSendService(connection, client, ThrottleLimit));
                hopNames.Add(ProviderName!);
            }
            ProviderName = string.Join(" > ", hopNames);
            return new RouteSendService(hops);
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
                Position = ++_position,
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

        /// <summary>-Resume: the whole input is checked against the journal first; rows that may have left yield their journal receipt.</summary>
        private void ResumeRows()
        {
            IReadOnlyList<(OtpSendRequest Row, SendOutcome? FromJournal)> plan = Array.Empty<(OtpSendRequest, SendOutcome?)>();
            try
            {
                plan = _run!.ResumePlan(_resumeRows, JournalPath!);
            }
            catch (OtpException mismatch)
            {
                ThrowOtpError(mismatch, mismatch.TargetValue);
            }
            foreach (var (row, fromJournal) in plan)
            {
                if (fromJournal != null) Emit(fromJournal);
                else SendRow(row);
            }
        }

        private void SendRow(OtpSendRequest request)
        {
            StopIfStopping();
            if (_run!.Halted)
            {
                // -ErrorAction Stop: a failure came back; this row is not sent (the journal never records it as sent).
                DrainThenEmit();
                return;
            }
            var outcome = _run.Check(request, out var prepared);
            if (outcome != null)
            {
                Emit(outcome);
                return;
            }

            var target = $"{prepared!.Destination} (row {request.Position})";
            var operation = $"Send one-time passcode via {ProviderName}";
            if (!ShouldProcess($"Performing the operation \"{operation}\" on target \"{target}\".",
                    $"Are you sure you want to perform this action?\nPerforming the operation \"{operation}\" on target \"{target}\".",
                    "Confirm", out var reason))
            {
                Emit(reason == ShouldProcessReason.WhatIf
                    ? _run.NotSent(prepared, SendStatus.WhatIf, $"WhatIf: passed every check; would be sent via {ProviderName}. Nothing was sent.")
                    : _run.NotSent(prepared, SendStatus.Declined, "Declined at the -Confirm prompt: nothing was sent."));
                return;
            }
            while (!_run.HasFreeSlot)
            {
                WaitFor(_run.WhenOneFinishes());
                EmitFinished();
                StopIfStopping();
            }
            if (_run.Halted)
            {
                DrainThenEmit();
                return;
            }
            try
            {
                var notSent = _run.Start(prepared, Cancellation);
                if (notSent != null) Emit(notSent);
            }
            catch (OtpException journalFailure)
            {
                ThrowOtpError(journalFailure, JournalPath);
            }
            EmitFinished();
        }

        private void WaitFor(Task task) => Wait(task, () => ReportProgress(final: false));

        /// <summary>Ctrl+C: no new request starts (those in flight reach the journal in Dispose).</summary>
        private void StopIfStopping()
        {
            if (!Cancellation.IsCancellationRequested) return;
            throw new PipelineStoppedException();
        }

        /// <summary>Lets every request in flight finish, then writes the finished outcomes.</summary>
        private void DrainThenEmit()
        {
            WaitFor(_run!.WhenAllFinish());
            EmitFinished();
        }

        /// <summary>Writes every finished send, in the order they finished.</summary>
        private void EmitFinished()
        {
            FlushTrace();
            Emit(_run!.TakeFinished());
            if (_run.JournalFailure != null) ThrowOtpError(_run.JournalFailure, JournalPath);
            ReportProgress(final: false);
        }

        /// <summary>The receipt first, so it is complete even when -ErrorAction Stop turns the error terminating.</summary>
        private void Emit(SendOutcome outcome) => Emit(new[] { outcome });

        /// <summary>
        /// Every receipt of a batch first, then the errors: under -ErrorAction Stop the first error ends the run, and
        /// no receipt may be lost to it. Before that error, the requests still in flight finish and get their receipts
        /// (their errors are in their receipts).
        /// </summary>
        private void Emit(IReadOnlyList<SendOutcome> outcomes)
        {
            foreach (var outcome in outcomes) WriteReceipt(outcome.Result);
            foreach (var outcome in outcomes)
            {
                if (outcome.Error == null || outcome.Quiet) continue;
                if (_stopAtFirstFailure)
                {
                    WaitFor(_run!.WhenAllFinish());
                    FlushTrace();
                    foreach (var other in _run.TakeFinished()) WriteReceipt(other.Result);
                }
                WriteOtpError(outcome.Error, outcome.Result.Recipient);
            }
        }

        private void ReportProgress(bool final)
        {
            var now = _clock.Elapsed;
            // At most four updates a second; none at all for a run too short to have shown any.
            if (!final && _lastProgress != null && now - _lastProgress < TimeSpan.FromMilliseconds(250)) return;
            if (final && _lastProgress == null) return;
            _lastProgress = now;
            var (status, percent, remaining) = _run!.Progress(now, _total);
            var record = new ProgressRecord(0x0712, $"Send-OtpCode via {ProviderName}", status);
            if (percent is int done) record.PercentComplete = done;
            if (remaining is int seconds) record.SecondsRemaining = seconds;
            if (final) record.RecordType = ProgressRecordType.Completed;
            WriteProgress(record);
        }
    }
}
