using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using OtpTools.Engine.Credentials;
using OtpTools.Engine.Http;
using OtpTools.Engine.Providers;
using OtpTools.Engine.Providers.OtpBlue;
using OtpTools.Engine.Sending;
using OtpTools.Sandbox;
using Xunit;

namespace OtpTools.Engine.Tests
{
    /// <summary>A sandbox on port 0 per test class, and raw HTTP helpers for talking to it as any client would.</summary>
    public sealed class SandboxFixture : IAsyncLifetime
    {
        public SandboxServer Sandbox { get; private set; } = null!;
        /// <summary>For raw requests to the sandbox (what a provider's API is asked directly).</summary>
        public HttpClient Http { get; } = new HttpClient();
        /// <summary>For the engine's connections: the module's handlers (cap, timeout, trace) over the same transport.</summary>
        public HttpClient Client { get; } = HttpPipeline.Client();

        public async Task InitializeAsync() => Sandbox = await SandboxServer.StartAsync();

        public async Task DisposeAsync()
        {
            Http.Dispose();
            await Sandbox.DisposeAsync();
        }

        /// <summary>POSTs raw text; returns the status and the parsed JSON body (or default when it is not JSON).</summary>
        public async Task<(int Status, JsonElement Body)> PostAsync(string prefix, string path, string body, string? authorization,
            string mediaType = "application/json")
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Sandbox.UriFor(prefix) + path)
            {
                Content = new StringContent(body, Encoding.UTF8, mediaType),
            };
            if (authorization != null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
            using var response = await Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            using var document = JsonDocument.Parse(text);
            return ((int)response.StatusCode, document.RootElement.Clone());
        }

        /// <summary>The engine's OTP Blue client and send service against this sandbox, as a cmdlet would connect them.</summary>
        public OtpSendService OtpBlueService(out OtpBlueClient client, string key = SandboxKeys.OtpBlue, HttpClient? http = null,
            OtpCallOptions? options = null, int maxConcurrency = 64)
        {
            var (connection, sender) = OtpBlueHop(key, http, options);
            client = (OtpBlueClient)sender;
            return new OtpSendService(connection, client, maxConcurrency);
        }

        /// <summary>An OTP Blue connection and its client against this sandbox: one hop of a send session.</summary>
        public (OtpConnection Connection, IOtpCodeSender Sender) OtpBlueHop(string key = SandboxKeys.OtpBlue, HttpClient? http = null,
            OtpCallOptions? options = null)
        {
            var (connection, client) = Connect(new OtpBlueProviderType(), "otpblue", OtpCredential.FromPlainText(key, "test"), options, http);
            return (connection, (IOtpCodeSender)client);
        }

        /// <summary>Any provider type's connection and client against this sandbox's <paramref name="prefix"/>.</summary>
        public (OtpConnection Connection, object Client) Connect(IOtpProviderType type, string prefix, OtpCredential credential,
            OtpCallOptions? options = null, HttpClient? http = null)
        {
            var provider = new ResolvedProvider(type.Name, type, new Uri(Sandbox.UriFor(prefix)));
            var connection = new OtpConnection(provider, credential, http ?? Client, options: options);
            return (connection, type.CreateClient(connection));
        }

        public static string Basic(string key, string secret) =>
            "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(key + ":" + secret));
    }
}
