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
    /// <summary>One provider API served under its own path prefix.</summary>
    public interface ISandboxProvider
    {
        /// <summary>Path prefix without slashes, e.g. "otpblue".</summary>
        string Prefix { get; }
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

        private SandboxServer(WebApplication app)
        {
            _app = app;
            OtpBlue.Webhooks = Otpiq.Webhooks = EngageLab.Webhooks = Webhooks;
            Configure();
        }

        public Uri BaseUri { get; private set; } = null!;
        public OtpBlueSandbox OtpBlue { get; } = new OtpBlueSandbox();
        public GetOtpSandbox GetOtp { get; } = new GetOtpSandbox();
        public OtpiqSandbox Otpiq { get; } = new OtpiqSandbox();
        public EngageLabSandbox EngageLab { get; } = new EngageLabSandbox();
        public SandboxFaults Faults { get; } = new SandboxFaults();
        /// <summary>The delivery webhooks the providers post after a send.</summary>
        public SandboxWebhooks Webhooks { get; } = new SandboxWebhooks();

        private IEnumerable<ISandboxProvider> Providers => new ISandboxProvider[] { OtpBlue, GetOtp, Otpiq, EngageLab };

        /// <summary>The path prefixes of the four provider APIs.</summary>
        public IEnumerable<string> Prefixes => Providers.Select(p => p.Prefix);

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

        public static async Task<SandboxServer> StartAsync(int port = 0, string host = "127.0.0.1")
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls($"http://{host}:{port}");
            var server = new SandboxServer(builder.Build());
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
