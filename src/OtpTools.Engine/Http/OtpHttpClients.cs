using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using Microsoft.Extensions.DependencyInjection;

namespace OtpTools.Engine.Http
{
    /// <summary>
    /// One HttpClient per provider registration, from IHttpClientFactory, so connections are pooled and reused and
    /// handlers are recycled for DNS changes. The system proxy and HTTPS_PROXY/NO_PROXY apply (HttpClient's default).
    /// </summary>
    public static class OtpHttpClients
    {
        private static readonly Lazy<IHttpClientFactory> Factory = new Lazy<IHttpClientFactory>(CreateFactory);
        private static readonly ConcurrentDictionary<string, HttpClient> Clients = new ConcurrentDictionary<string, HttpClient>();

        public static HttpClient For(ResolvedProvider provider) =>
            Clients.GetOrAdd(provider.Name + "|" + provider.BaseUri.AbsoluteUri, key =>
            {
                var client = Factory.Value.CreateClient(key);
                // Per-call timeouts are set with cancellation tokens, so the client itself never gives up first.
                client.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
                return client;
            });

        private static IHttpClientFactory CreateFactory()
        {
            var services = new ServiceCollection();
            services.AddHttpClient();
            services.ConfigureHttpClientDefaults(builder => builder
                // Nothing listens to the factory's logging handlers; our own trace lines are redacted and per call.
                .RemoveAllLoggers()
                .ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler
                {
                    AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                    UseProxy = true,
                    AllowAutoRedirect = false,
                }));
            return services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
        }
    }
}
