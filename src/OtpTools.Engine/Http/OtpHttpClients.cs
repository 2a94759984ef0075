using System;
using System.Net;
using System.Net.Http;
using Microsoft.Extensions.DependencyInjection;

namespace OtpTools.Engine.Http
{
    /// <summary>
    /// HttpClients from one long-lived IHttpClientFactory: a new client for each run (cheap: the factory pools the
    /// handlers and their connections), handlers recycled after <see cref="HandlerLifetime"/> so DNS changes are seen
    /// in a long session. Never a client cached for the life of the process. The system proxy and
    /// HTTPS_PROXY/NO_PROXY apply (HttpClient's default).
    /// </summary>
    public static class OtpHttpClients
    {
        public static readonly TimeSpan HandlerLifetime = TimeSpan.FromMinutes(2);
        private static readonly Lazy<IHttpClientFactory> Factory = new Lazy<IHttpClientFactory>(CreateFactory);

        public static HttpClient For(ResolvedProvider provider)
        {
            var client = Factory.Value.CreateClient(provider.Name + "|" + provider.BaseUri.AbsoluteUri);
            // Per-call timeouts are set with cancellation tokens, so the client itself never gives up first.
            client.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
            return client;
        }

        private static IHttpClientFactory CreateFactory()
        {
            var services = new ServiceCollection();
            services.AddHttpClient();
            services.ConfigureHttpClientDefaults(builder => builder
                // Nothing listens to the factory's logging handlers; our own trace lines are redacted and per call.
                .RemoveAllLoggers()
                .SetHandlerLifetime(HandlerLifetime)
                // The one pipeline every call passes, outermost first (HttpPipeline).
                .AddHttpMessageHandler(() => new TraceHandler())
                .AddHttpMessageHandler(() => new AttemptTimeoutHandler())
                .AddHttpMessageHandler(() => new AnswerCapHandler())
                .ConfigurePrimaryHttpMessageHandler(PrimaryHandler));
            return services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
        }

        /// <summary>The transport under the handlers: answers decoded, the system proxy, no redirects followed.</summary>
        public static HttpMessageHandler PrimaryHandler() => new HttpClientHandler
        {
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            UseProxy = true,
            AllowAutoRedirect = false,
        };
    }
}
