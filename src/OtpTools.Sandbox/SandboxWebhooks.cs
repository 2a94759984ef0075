using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace OtpTools.Sandbox
{
    /// <summary>
    /// Posts the providers' delivery webhooks after a send, as their references describe, to loopback receivers only,
    /// and records each attempt (URL, answer) so a test can see what the receiver said.
    /// </summary>
    public sealed class SandboxWebhooks
    {
        public sealed class Attempt
        {
            public string Url = "";
            public string Body = "";
            public Dictionary<string, string> Headers = new Dictionary<string, string>();
            /// <summary>The receiver's HTTP status; 0 when it could not be reached, <see cref="NotSent"/> for a host off this machine.</summary>
            public int Status;
        }

        public const int NotSent = -1;
        private static readonly HttpClient Http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        private readonly object _gate = new object();
        private readonly List<Attempt> _attempts = new List<Attempt>();
        private int _pending;

        /// <summary>How long after a send its report is posted.</summary>
        public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(50);
        /// <summary>How many times one event is posted before the sandbox gives up on the receiver.</summary>
        public int Attempts { get; set; } = 20;
        public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(250);

        public IReadOnlyList<Attempt> Posted
        {
            get { lock (_gate) return _attempts.ToList(); }
        }

        /// <summary>Posts later, off the request that caused it (a provider answers the send first).</summary>
        public void PostLater(string url, string json, IDictionary<string, string> headers) => PostLater(url, new[] { json }, () => headers);

        public void PostLater(string url, IReadOnlyList<string> events, IDictionary<string, string> headers) => PostLater(url, events, () => headers);

        /// <summary>Posts several events in order (OTPIQ's "all": sent, then delivered), with headers made for each (a fresh signature).</summary>
        public void PostLater(string url, IReadOnlyList<string> events, Func<IDictionary<string, string>> headers)
        {
            Interlocked.Increment(ref _pending);
            _ = Task.Run(async () =>
            {
                try
                {
                    foreach (var json in events)
                    {
                        await Task.Delay(Delay).ConfigureAwait(false);
                        // Providers retry a webhook the receiver did not take (no answer, 5xx), a few times.
                        for (var attempt = 1; attempt <= Attempts; attempt++)
                        {
                            var status = await PostAsync(url, json, headers()).ConfigureAwait(false);
                            if (status != 0 && status < 500) break;
                            await Task.Delay(RetryDelay).ConfigureAwait(false);
                        }
                    }
                }
                finally
                {
                    Interlocked.Decrement(ref _pending);
                }
            });
        }

        /// <summary>Posts now and returns the receiver's status (0 when unreachable).</summary>
        public async Task<int> PostAsync(string url, string json, IDictionary<string, string> headers)
        {
            var attempt = new Attempt { Url = url, Body = json, Headers = new Dictionary<string, string>(headers) };
            // The sandbox never leaves the machine: a webhook to any other host is recorded, not sent.
            if (!Uri.TryCreate(url, UriKind.Absolute, out var target) || !target.IsLoopback)
            {
                attempt.Status = NotSent;
                lock (_gate) _attempts.Add(attempt);
                return NotSent;
            }
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
                foreach (var header in headers) request.Headers.TryAddWithoutValidation(header.Key, header.Value);
                using var response = await Http.SendAsync(request).ConfigureAwait(false);
                attempt.Status = (int)response.StatusCode;
            }
            catch (Exception e) when (e is HttpRequestException || e is TaskCanceledException)
            {
                attempt.Status = 0;
            }
            lock (_gate) _attempts.Add(attempt);
            return attempt.Status;
        }

        /// <summary>Waits until every webhook queued so far has been posted.</summary>
        public async Task WhenIdleAsync(TimeSpan limit)
        {
            var until = DateTime.UtcNow + limit;
            while (Volatile.Read(ref _pending) > 0 && DateTime.UtcNow < until) await Task.Delay(20).ConfigureAwait(false);
        }

        /// <summary>EngageLab's X-CALLBACK-ID: timestamp, nonce, user name and hex(HMAC-SHA256(secret, t + n + u)).</summary>
        public static string EngageLabSignature(string userName, string secret, long timestamp, string nonce)
        {
            var t = timestamp.ToString(CultureInfo.InvariantCulture);
            using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
            var signature = Convert.ToHexString(hmac.ComputeHash(Encoding.UTF8.GetBytes(t + nonce + userName))).ToLowerInvariant();
            return $"timestamp={t};nonce={nonce};username={userName};signature={signature}";
        }
    }
}
