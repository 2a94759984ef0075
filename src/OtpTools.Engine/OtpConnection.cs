using System;
using System.Net.Http;
using OtpTools.Engine.Credentials;
using OtpTools.Engine.Http;
using OtpTools.Engine.Providers;
using OtpTools.Engine.Registrations;

namespace OtpTools.Engine
{
    /// <summary>Everything a provider client needs for one call or bulk run.</summary>
    public sealed class OtpConnection
    {
        public OtpConnection(ResolvedProvider provider, OtpCredential credential, HttpClient http, IOtpTrace? trace = null,
            OtpCallOptions? options = null)
        {
            // Checked before any call: the credential is written into a header as is.
            credential.EnsureHeaderSafe();
            Provider = provider;
            Credential = credential;
            Http = http;
            Trace = trace ?? NullTrace.Instance;
            Options = options ?? new OtpCallOptions();
            Retry = new RetryPolicy(this);
        }

        /// <summary>A connection over the module's one HttpClient factory (the cmdlets never build clients themselves).</summary>
        public static OtpConnection Open(ResolvedProvider provider, OtpCredential credential, IOtpTrace trace, OtpCallOptions options) =>
            new OtpConnection(provider, credential, OtpHttpClients.For(provider), trace, options);

        /// <summary>One call with this connection's retries.</summary>
        public async System.Threading.Tasks.Task<T> CallAsync<T>(Func<System.Threading.CancellationToken, System.Threading.Tasks.Task<T>> call,
            System.Threading.CancellationToken cancellationToken)
        {
            try
            {
                return await Retry.ExecuteAsync(call, null, cancellationToken).ConfigureAwait(false);
            }
            catch (OtpException error) when (error.CredentialRejected)
            {
                throw Explained(error);
            }
        }

        /// <summary>A refused credential's advice names where this one came from and this provider's own variables.</summary>
        public OtpException Explained(OtpException error)
        {
            if (error.CredentialRejected)
                error.RecommendedAction = $"Check the credential {Provider.Name} used (from {Credential.Source}): " +
                                          Credentials.EnvironmentCredentials.HowToProvide(Provider) + ".";
            return error;
        }

        public OtpCallOptions Options { get; }
        /// <summary>Runs a call with the retries this connection's options allow.</summary>
        public RetryPolicy Retry { get; }

        public ResolvedProvider Provider { get; }
        public OtpCredential Credential { get; }
        public HttpClient Http { get; }
        public IOtpTrace Trace { get; }

        /// <summary>The base URI with a documented path appended unchanged.</summary>
        public Uri Endpoint(string documentedPath) =>
            new Uri(Provider.BaseUri.AbsoluteUri.TrimEnd('/') + documentedPath);
    }

    /// <summary>Per-call limits: -MaxRetry, -TimeoutSec.</summary>
    public sealed class OtpCallOptions
    {
        public int MaxRetry { get; set; } = 3;
        /// <summary>Per HTTP attempt.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
        /// <summary>First backoff step; later ones double, with jitter.</summary>
        public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);
        /// <summary>A provider asking to wait longer than this is not waited for: the row fails saying when to retry.</summary>
        public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);
        /// <summary>
        /// How long a bulk run waits while a provider refuses every request for its rate limit (-RateLimitTimeout):
        /// past it, nothing more is sent to that provider.
        /// </summary>
        public TimeSpan RateLimitTimeout { get; set; } = TimeSpan.FromMinutes(5);
    }

    /// <summary>A provider name resolved to its type and base URI.</summary>
    public sealed class ResolvedProvider
    {
        public ResolvedProvider(string name, IOtpProviderType type, Uri baseUri, ProviderRegistration? registration = null)
        {
            Registration = registration;
            Name = name;
            Type = type;
            BaseUri = baseUri;
        }

        /// <summary>The registration name, or the type name when used bare.</summary>
        public string Name { get; }
        public IOtpProviderType Type { get; }
        public Uri BaseUri { get; }
        /// <summary>The registration the name resolved to; null for a bare type name.</summary>
        public ProviderRegistration? Registration { get; }
    }
}
