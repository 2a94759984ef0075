using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using OtpTools.Engine;
using OtpTools.Engine.Credentials;
using OtpTools.Engine.Http;
using OtpTools.Engine.Listing;
using OtpTools.Engine.Providers;

namespace OtpTools
{
    /// <summary>
    /// Base of every cmdlet that waits on engine work: cancels it on Ctrl+C, writes engine trace lines on the pipeline
    /// thread, makes provider text safe for a terminal, and turns engine errors into ErrorRecords.
    /// </summary>
    public abstract class OtpEngineCmdlet : PSCmdlet
    {
        private readonly CancellationTokenSource _cancellation = new CancellationTokenSource();
        private readonly ConcurrentQueue<TraceLine> _traceLines = new ConcurrentQueue<TraceLine>();
        private readonly ManualResetEventSlim _woken = new ManualResetEventSlim(false, spinCount: 0);

        protected CancellationToken Cancellation => _cancellation.Token;

        protected override void StopProcessing() => _cancellation.Cancel();

        /// <summary>Where engine code running on other threads leaves its verbose, debug and warning lines.</summary>
        protected IOtpTrace NewTrace() => new QueueTrace(_traceLines, Wanted("Verbose"), Wanted("Debug"));

        /// <summary>
        /// The one gate every outward text passes (objects, errors, trace lines): the secrets of this run masked, text
        /// from outside made terminal-safe. Credentials, secret options and webhook secrets are added as they come in.
        /// </summary>
        protected OutwardText Outward { get; } = new OutwardText();

        /// <summary>Whether Verbose or Debug text would be shown (the switch, or the preference variable).</summary>
        private bool Wanted(string stream) =>
            MyInvocation.BoundParameters.TryGetValue(stream, out var bound) && bound is SwitchParameter on ? on.IsPresent
                : GetVariableValue(stream + "Preference") is ActionPreference preference && preference != ActionPreference.SilentlyContinue;

        /// <summary>
        /// Waits for an engine call on the pipeline thread, writing its trace lines as they come.
        /// Ctrl+C cancels the call and stops the pipeline.
        /// </summary>
        protected T Await<T>(Task<T> task)
        {
            Wait(task);
            try
            {
                return task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>
        /// The one place that blocks on engine work: waits on the pipeline thread, writing trace lines (and whatever
        /// <paramref name="tick"/> adds, such as progress) while it waits. Faults are left for the caller to observe.
        /// </summary>
        protected void Wait(Task task, Action? tick = null)
        {
            // Not Task.Wait, which spins first: a spinning pipeline thread takes the core that the engine's threads
            // (and, on a small machine, the provider's answer) are waiting for. One event that never spins, woken by
            // the task's continuation; a wake left over from an earlier call only sends the loop round again.
            if (!task.IsCompleted)
            {
                task.ContinueWith((_, woken) => ((ManualResetEventSlim)woken!).Set(), _woken, CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                while (!task.IsCompleted)
                {
                    if (_woken.Wait(50))
                    {
                        _woken.Reset();
                        continue;
                    }
                    FlushTrace();
                    tick?.Invoke();
                }
            }
            FlushTrace();
        }

        protected void FlushTrace()
        {
            while (_traceLines.TryDequeue(out var line))
            {
                var text = Outward.Show(line.Text);
                if (line.Kind == TraceKind.Debug) WriteDebug(text);
                else if (line.Kind == TraceKind.Warning) WriteWarning(text);
                else WriteVerbose(text);
            }
        }

        /// <summary>Writes an object made of provider text, with that text made safe for a terminal.</summary>
        protected void WriteProviderObject(object item) => WriteObject(Outward.Clean(item));

        /// <summary>Writes a send receipt: provider text made safe, its Recipient kept as the caller typed it.</summary>
        protected void WriteReceipt(OtpSendResult receipt) => WriteObject(Outward.Clean(receipt, recipientIsCallers: true));

        protected ErrorRecord ToErrorRecord(OtpException error, object? input) =>
            OtpErrors.ToRecord(error, input, Outward);

        protected void WriteOtpError(OtpException error, object? input) => WriteError(ToErrorRecord(error, input));

        protected void ThrowOtpError(OtpException error, object? input) => ThrowTerminatingError(ToErrorRecord(error, input));

        protected override void EndProcessing() => FlushTrace();

        private enum TraceKind { Verbose, Debug, Warning }

        private readonly struct TraceLine
        {
            public TraceLine(TraceKind kind, string text)
            {
                Kind = kind;
                Text = text;
            }

            public TraceKind Kind { get; }
            public string Text { get; }
        }

        /// <summary>Engine trace lines, queued from any thread.</summary>
        private sealed class QueueTrace : IOtpTrace
        {
            private readonly ConcurrentQueue<TraceLine> _queue;

            public QueueTrace(ConcurrentQueue<TraceLine> queue, bool verboseEnabled, bool debugEnabled)
            {
                _queue = queue;
                VerboseEnabled = verboseEnabled;
                DebugEnabled = debugEnabled;
            }

            public bool VerboseEnabled { get; }
            public bool DebugEnabled { get; }
            public void Verbose(string message)
            {
                if (VerboseEnabled) _queue.Enqueue(new TraceLine(TraceKind.Verbose, message));
            }
            public void Debug(string message) => _queue.Enqueue(new TraceLine(TraceKind.Debug, message));
            public void Warning(string message) => _queue.Enqueue(new TraceLine(TraceKind.Warning, message));
        }
    }

    /// <summary>
    /// Base of every API cmdlet: resolves -Provider and its credential once per run, and calls the provider with the
    /// connection's retries.
    /// </summary>
    public abstract class OtpCmdlet : OtpEngineCmdlet
    {

        /// <summary>
        /// The -Provider value each cmdlet declares (a provider type such as OtpBlue or a registered name): one
        /// provider, or for Send-OtpCode an ordered route of them. Null when omitted (the default registration).
        /// </summary>
        protected abstract string[]? ProviderArgument { get; }

        /// <summary>The provider resolved by Connect: a registration, a type name, or the default registration.</summary>
        protected string? ProviderName { get; set; }

        /// <summary>The provider's API key.</summary>
        [Parameter]
        public SecureString? ApiKey { get; set; }

        /// <summary>A key pair as a credential: EngageLab's dev_key (user name) and dev_secret (password).</summary>
        [Parameter]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>Retries of a call that failed in a way resending cannot turn into a second code.</summary>
        [Parameter]
        [ValidateRange(0, 10)]
        public int MaxRetry { get; set; } = 3;

        /// <summary>Seconds to wait for each HTTP answer.</summary>
        [Parameter]
        [ValidateRange(1, 600)]
        public int TimeoutSec { get; set; } = 30;

        private OtpConnection? _connection;

        /// <summary>
        /// Resolves the provider, checks it can do what this cmdlet needs, and finds its credential.
        /// Failures here are terminating: no row could succeed without them.
        /// </summary>
        protected OtpConnection Connect<TCapability>(out TCapability client) where TCapability : class =>
            Connect(ProviderArgument?.FirstOrDefault(), out client);

        /// <summary>Connects one named provider (or the default registration when <paramref name="name"/> is null).</summary>
        protected OtpConnection Connect<TCapability>(string? name, out TCapability client) where TCapability : class
        {
            try
            {
                return ConnectOrThrow(name, out client);
            }
            catch (OtpException e)
            {
                ThrowTerminatingError(ToErrorRecord(e, name));
                throw; // not reached
            }
        }

        /// <summary>
        /// For a row from the pipeline (a receipt names its provider): connects the provider the row names. A row whose
        /// provider cannot do what this cmdlet does is skipped with a verbose line, since the receipts of a failover run
        /// name several providers; any other failure to connect is that row's error, and the rows after it go on.
        /// Given as an argument rather than piped, a provider that cannot serve is still a terminating error.
        /// </summary>
        protected bool TryConnectForRow<TCapability>(object? row, out TCapability client) where TCapability : class
        {
            if (!MyInvocation.ExpectingInput)
            {
                Connect(out client);
                return true;
            }
            try
            {
                ConnectOrThrow(ProviderArgument?.FirstOrDefault(), out client);
                return true;
            }
            catch (OtpException e)
            {
                if (e.ErrorId == "Provider.NotSupportedByCmdlet") WriteVerbose($"Skipped {row}: {e.Message}");
                else WriteOtpError(e, row);
                client = null!;
                return false;
            }
        }

        private OtpConnection ConnectOrThrow<TCapability>(string? name, out TCapability client) where TCapability : class
        {
            var provider = ProviderResolver.Resolve(name, capability: typeof(TCapability));
            if (!ProviderCatalog.Supports<TCapability>(provider.Type))
                throw new OtpException("Provider.NotSupportedByCmdlet", OtpErrorCategory.InvalidOperation,
                    $"{MyInvocation.MyCommand.Name} is available for {string.Join(", ", ProviderCatalog.NamesSupporting<TCapability>())} " +
                    $"providers; {ProviderCapabilityAttribute.Describe(provider)}.")
                { ParameterName = "Provider", TargetValue = name };
            ProviderName = provider.Name;
            var credential = ResolveCredential(provider);
            Outward.Add(credential);
            WriteDebug($"{provider.Name}: {provider.Type.Name} at {provider.BaseUri}; credential from {credential.Source}.");
            var options = new OtpCallOptions { MaxRetry = MaxRetry, Timeout = TimeSpan.FromSeconds(TimeoutSec) };
            ConfigureCall(options);
            var connection = OtpConnection.Open(provider, credential, NewTrace(), options);
            client = (TCapability)provider.Type.CreateClient(connection);
            _connection = connection;
            return connection;
        }

        /// <summary>A cmdlet's own call options beyond -MaxRetry and -TimeoutSec (Send-OtpCode's -RateLimitTimeout).</summary>
        protected virtual void ConfigureCall(OtpCallOptions options)
        {
        }

        private OtpCredential ResolveCredential(ResolvedProvider provider)
        {
            if (provider.Type.CredentialKind == CredentialKind.KeyPair)
            {
                if (Credential != null)
                    return OtpCredential.FromKeyPair(OtpCredential.ToSecure(Credential.UserName), Credential.Password, "-Credential");
            }
            else
            {
                if (ApiKey != null) return OtpCredential.FromApiKey(ApiKey, "-ApiKey");
                if (Credential != null) return OtpCredential.FromApiKey(Credential.Password, "-Credential (password)");
            }
            // A registration that names a vault secret must get it from there: falling back silently would hide a
            // locked vault or a missing secret behind some other key.
            if (provider.Registration?.HasVaultSecret == true) return VaultSecrets.Fetch(this, provider);
            return EnvironmentCredentials.Find(provider)
                   ?? throw new OtpException("Credential.NotFound", OtpErrorCategory.AuthenticationError,
                       $"No credential for provider '{provider.Name}': {EnvironmentCredentials.HowToProvide(provider)}" +
                       (provider.Registration == null ? "." : $", or keep it in a vault: Set-OtpProvider -Name {provider.Name} -Vault <vault> -SecretName <secret>."))
                   { ParameterName = provider.Type.CredentialKind == CredentialKind.KeyPair ? "Credential" : "ApiKey" };
        }

        /// <summary>Runs an engine call with the connection's retries, waiting on the pipeline thread.</summary>
        protected T Call<T>(Func<CancellationToken, Task<T>> call) => Await(_connection!.CallAsync(call, Cancellation));

        /// <summary>-Skip, -First and -IncludeTotalCount as the engine's listing window.</summary>
        private ListingWindow Window => new ListingWindow
        {
            Skip = PagingParameters.Skip,
            First = PagingParameters.First,
            IncludeTotalCount = PagingParameters.IncludeTotalCount,
        };

        /// <summary>Lets a provider's pager apply -Skip/-First itself (when no rows are filtered out here).</summary>
        protected void ApplyPaging(PageWindow window) => Window.ApplyTo(window);

        /// <summary>
        /// Writes a listing page by page (the engine's listing session reads, retries and reads ahead);
        /// -IncludeTotalCount from the first page, or with <paramref name="keep"/> from the rows it kept. With
        /// <paramref name="viewByProvider"/> (a listing whose rows hold other columns for each provider), rows carry their
        /// provider's type name first (OtpTools.OtpSender#Otpiq), so the format file can give that provider its own view.
        /// </summary>
        protected void StreamPages<T>(IOtpPager<T> pager, Func<T, bool>? keep = null, bool viewByProvider = false) where T : class
        {
            var view = typeof(T).FullName + "#" + _connection!.Provider.Type.Name;
            using var listing = new ListingSession<T>(pager, _connection!, Window, keep, Cancellation);
            while (true)
            {
                IReadOnlyList<T>? rows;
                try
                {
                    rows = Await(listing.NextAsync());
                }
                catch (OtpException error)
                {
                    ThrowOtpError(error, null);
                    return;
                }
                if (listing.TakeProviderTotal(out var total))
                    WriteObject(PagingParameters.NewTotalCount((ulong)(total ?? 0), total == null ? 0.0 : 1.0));
                if (rows == null) break;
                // A whole page in one call: PowerShell's per-call checks once a page rather than once a row.
                WriteObject(viewByProvider ? Drain(rows).Select(row => Named(row, view)) : Drain(rows), true);
            }
            if (listing.CountsKeptRows) WriteObject(PagingParameters.NewTotalCount(listing.KeptCount, 1.0));
        }

        private static PSObject Named(object row, string typeName)
        {
            var wrapped = PSObject.AsPSObject(row);
            wrapped.TypeNames.Insert(0, typeName);
            return wrapped;
        }

        /// <summary>
        /// The rows of a page, each let go as the next is taken: rows already written are garbage at the next collection
        /// rather than promoted with the rest of the page (how a long listing's memory stays flat).
        /// </summary>
        private static IEnumerable<T> Drain<T>(IReadOnlyList<T> rows) where T : class
        {
            if (!(rows is IList<T> held) || held.IsReadOnly)
            {
                foreach (var row in rows) yield return row;
                yield break;
            }
            for (var i = 0; i < held.Count; i++)
            {
                var row = held[i];
                held[i] = null!;
                yield return row;
            }
        }
    }
}
