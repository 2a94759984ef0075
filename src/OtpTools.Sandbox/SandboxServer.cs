using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OtpTools.Sandbox.Providers.GetOtp;
using OtpTools.Sandbox.Providers.EngageLab;
using OtpTools.Sandbox.Providers.OtpBlue;
using OtpTools.Sandbox.Providers.Otpiq;

namespace OtpTools.Sandbox
{
    /// <summary>
    /// One provider API served under its own path prefix. A provider of the sandbox is its folder: the server finds
    /// every implementation in this assembly (or is handed one, for a provider defined outside it), and the program,
    /// the tests and the demo read its prefix, test keys, options and notes from here.
    /// </summary>
    public interface ISandboxProvider
    {
        /// <summary>Path prefix without slashes, e.g. "otpblue".</summary>
        string Prefix { get; }

        /// <summary>The provider type as the module names it (OtpBlue): its variables are OTPTOOLS_&lt;TYPE&gt;_*.</summary>
        string TypeName { get; }

        /// <summary>What a client sets besides the base URI, as (name after OTPTOOLS_&lt;TYPE&gt;_, test value): its keys.</summary>
        IReadOnlyList<(string Name, string Value)> Variables { get; }

        /// <summary>What a person trying the sandbox should know (scenario numbers, generated codes), a line each.</summary>
        IEnumerable<string> Notes => Array.Empty<string>();

        /// <summary>Its own command-line options, as (option, what it takes), e.g. ("--otpiq-credit", "&lt;IQD&gt;").</summary>
        IReadOnlyList<(string Option, string Argument)> Options => Array.Empty<(string, string)>();

        /// <summary>Takes one of its own options; false when the value is not one it accepts.</summary>
        bool TrySetOption(string option, string value) => false;

        /// <summary>
        /// Send-OtpCode's arguments (recipient, code, required options; no -Provider, no credential) for a send this
        /// sandbox accepts, or null for a provider that cannot send: the conformance suite sends with it.
        /// </summary>
        string? SampleSend => null;

        /// <summary>
        /// Send-OtpCode arguments (no -Provider, no credential) for which this sandbox answers one documented error, with
        /// the provider's code for it: the conformance suite checks that each is reported under its own ErrorId.
        /// </summary>
        IReadOnlyList<(string Arguments, string Code)> ErrorScenarios => Array.Empty<(string, string)>();

        /// <summary>
        /// A listing command (no -Provider, no credential) that pages through the rows <see cref="Seed"/> made, or null
        /// for a provider without a paged listing; and the paging faults this sandbox can play on it.
        /// </summary>
        string? SampleListing => null;
        IReadOnlyList<PagingFault> PagingFaults => Array.Empty<PagingFault>();

        /// <summary>Plays a paging fault on its listing (None: pages honestly again).</summary>
        void PlayPagingFault(PagingFault fault) { }

        /// <summary>Gives its listings (history, senders) this many rows, where it has any.</summary>
        void Seed(int rows) { }

        /// <summary>Joins the server: its delivery webhooks go out through the server's poster.</summary>
        void Attach(SandboxServer server) { }

        void Map(IEndpointRouteBuilder routes);
    }

    /// <summary>
    /// The loopback server emulating all four provider APIs exactly as documented. Tests start it in-process on port 0.
    /// </summary>
    public sealed class SandboxServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentDictionary<string, int> _requests = new ConcurrentDictionary<string, int>();
        private readonly ConcurrentDictionary<string, byte> _connections = new ConcurrentDictionary<string, byte>();
        private int _inFlight;
        private int _peakInFlight;

        private SandboxServer(WebApplication app, IEnumerable<ISandboxProvider> plugged)
        {
            _app = app;
            Providers = Discover().Concat(plugged).ToList();
            foreach (var provider in Providers) provider.Attach(this);
            Configure();
        }

        /// <summary>Every provider in this assembly: a class with a public parameterless constructor.</summary>
        public static IEnumerable<ISandboxProvider> Discover() =>
            typeof(SandboxServer).Assembly.GetTypes()
                .Where(t => t.IsClass && !t.IsAbstract && typeof(ISandboxProvider).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) != null)
                .OrderBy(t => t.Name, StringComparer.Ordinal)
                .Select(t => (ISandboxProvider)Activator.CreateInstance(t)!);

        /// <summary>A loopback port free a moment ago: for a webhook listener the sandbox posts to, in tests and scripts.</summary>
        public static int FreeLoopbackPort()
        {
            var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            probe.Start();
            var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }

        /// <summary>The command-line options the discovered providers declare (for the program's usage line).</summary>
        public static IReadOnlyList<(string Option, string Argument)> DeclaredOptions() => Discover().SelectMany(p => p.Options).ToList();

        public Uri BaseUri { get; private set; } = null!;
        /// <summary>The providers served, each under its prefix.</summary>
        public IReadOnlyList<ISandboxProvider> Providers { get; }
        public T Provider<T>() where T : ISandboxProvider => Providers.OfType<T>().Single();
        // Shortcuts for the tests of these four; a new provider needs none (Provider<T>() finds it).
        public OtpBlueSandbox OtpBlue => Provider<OtpBlueSandbox>();
        public GetOtpSandbox GetOtp => Provider<GetOtpSandbox>();
        public OtpiqSandbox Otpiq => Provider<OtpiqSandbox>();
        public EngageLabSandbox EngageLab => Provider<EngageLabSandbox>();
        public SandboxFaults Faults { get; } = new SandboxFaults();
        /// <summary>Each provider's rate limit (none unless set).</summary>
        public SandboxRateLimits RateLimits { get; } = new SandboxRateLimits();
        /// <summary>The delivery webhooks the providers post after a send.</summary>
        public SandboxWebhooks Webhooks { get; } = new SandboxWebhooks();

        /// <summary>The path prefixes of the provider APIs.</summary>
        public IEnumerable<string> Prefixes => Providers.Select(p => p.Prefix);

        /// <summary>The environment a client sets to use the sandbox, as (variable, value): base URIs and test keys.</summary>
        public IEnumerable<(string Name, string Value)> ClientVariables =>
            Providers.SelectMany(p => new[] { ($"OTPTOOLS_{p.TypeName.ToUpperInvariant()}_BASEURI", UriFor(p.Prefix)) }
                .Concat(p.Variables.Select(v => ($"OTPTOOLS_{p.TypeName.ToUpperInvariant()}_{v.Name}", v.Value))));

        /// <summary>Answers the sandbox process's id, so a script can tell its own sandbox from a stale one on the port.</summary>
        public const string IdentityPath = "/_sandbox/pid";

        /// <summary>Signalled when the host is stopping (e.g. on SIGTERM), so the program can leave.</summary>
        public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

        /// <summary>The base URI a client uses for one provider, e.g. http://127.0.0.1:5080/otpblue.</summary>
        public string UriFor(string prefix) => BaseUri.AbsoluteUri.TrimEnd('/') + "/" + prefix;

        /// <summary>HTTP requests received under a prefix (every request, faulted or not).</summary>
        public int RequestCount(string prefix) => _requests.TryGetValue(prefix, out var n) ? n : 0;

        public int TotalRequests => _requests.Values.Sum();

        /// <summary>The most requests the sandbox was handling at once since the last <see cref="ResetTraffic"/>.</summary>
        public int PeakConcurrency => _peakInFlight;

        /// <summary>Distinct TCP connections seen since the last <see cref="ResetTraffic"/> (connection reuse).</summary>
        public int Connections => _connections.Count;

        public void ResetTraffic()
        {
            _connections.Clear();
            Interlocked.Exchange(ref _peakInFlight, 0);
        }

        /// <param name="plugged">Providers defined outside this assembly (a test provider), served beside the discovered ones.</param>
        public static async Task<SandboxServer> StartAsync(int port = 0, string host = "127.0.0.1", IEnumerable<ISandboxProvider>? plugged = null)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls($"http://{host}:{port}");
            var server = new SandboxServer(builder.Build(), plugged ?? Array.Empty<ISandboxProvider>());
            await server._app.StartAsync().ConfigureAwait(false);
            var address = server._app.Services.GetRequiredService<IServer>().Features
                .Get<IServerAddressesFeature>()!.Addresses.First();
            server.BaseUri = new Uri(address);
            return server;
        }

        private void Configure()
        {
            _app.Use(async (context, next) =>
            {
                var prefix = context.Request.Path.Value?.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
                _requests.AddOrUpdate(prefix, 1, (_, n) => n + 1);
                _connections.TryAdd(context.Connection.Id, 0);
                var now = Interlocked.Increment(ref _inFlight);
                for (var peak = _peakInFlight; now > peak; peak = _peakInFlight)
                    Interlocked.CompareExchange(ref _peakInFlight, now, peak);
                try
                {
                    if (await RateLimits.AdmitAsync(prefix, context).ConfigureAwait(false))
                        await Faults.ApplyAsync(prefix, context, next).ConfigureAwait(false);
                }
                finally
                {
                    Interlocked.Decrement(ref _inFlight);
                }
            });
            foreach (var provider in Providers)
                provider.Map(_app.MapGroup("/" + provider.Prefix));
            _app.MapGet(IdentityPath, () => Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
