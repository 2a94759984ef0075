using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using OtpTools.Engine.Credentials;
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
        public HttpClient Http { get; } = new HttpClient();

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
            var type = new OtpBlueProviderType();
            var provider = new ResolvedProvider("OtpBlue", type, new Uri(Sandbox.UriFor("otpblue")));
            var connection = new OtpConnection(provider, OtpCredential.FromPlainText(key, "test"), http ?? Http, options: options);
            client = (OtpBlueClient)type.CreateClient(connection);
            return new OtpSendService(connection, client, maxConcurrency);
        }

        public static string Basic(string key, string secret) =>
            "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(key + ":" + secret));
    }
}
