using System;
using System.Collections.Concurrent;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace OtpTools.Sandbox
{
    /// <summary>Provider trouble the sandbox can play, per path prefix.</summary>
    public enum FaultKind
    {
        /// <summary>429 with Retry-After; the request is not processed.</summary>
        TooManyRequests,
        /// <summary>500 with the provider's JSON-less body; not processed.</summary>
        ServerError,
        /// <summary>503 with Retry-After; not processed.</summary>
        ServiceUnavailable,
        /// <summary>The connection is reset before the request is read; not processed.</summary>
        ResetBeforeRead,
        /// <summary>The request is processed (a code is delivered), then the connection is reset.</summary>
        ResetAfterRead,
        /// <summary>No answer until the client gives up; not processed.</summary>
        Hang,
        /// <summary>Processed, then answered 200 with a body that is not JSON.</summary>
        MalformedJson,
        /// <summary>A gateway's HTML error page (502); not processed.</summary>
        HtmlErrorPage,
        /// <summary>Processed, then the body is cut off mid-way.</summary>
        TruncatedBody,
    }

    /// <summary>Fault injection, set per test: latency, and a fault on every Nth request of a prefix.</summary>
    public sealed class SandboxFaults
    {
        private sealed class Rule
        {
            public FaultKind Kind;
            public int EveryNth;
            public int Remaining;
            public int Seen;
            public string RetryAfter = "1";
        }

        private readonly ConcurrentDictionary<string, Rule> _rules = new ConcurrentDictionary<string, Rule>();
        private readonly ConcurrentDictionary<string, TimeSpan> _latency = new ConcurrentDictionary<string, TimeSpan>();

        /// <summary>Delay every answer under a prefix.</summary>
        public void SetLatency(string prefix, TimeSpan latency) => _latency[prefix] = latency;

        /// <summary>
        /// Play a fault on every <paramref name="everyNth"/> request under a prefix, at most <paramref name="times"/>
        /// times. <paramref name="retryAfter"/> is sent verbatim (seconds or an HTTP date) with 429 and 503.
        /// </summary>
        public void Inject(string prefix, FaultKind kind, int everyNth = 1, int times = int.MaxValue, string retryAfter = "1") =>
            _rules[prefix] = new Rule { Kind = kind, EveryNth = Math.Max(1, everyNth), Remaining = times, RetryAfter = retryAfter };

        public void Clear()
        {
            _rules.Clear();
            _latency.Clear();
        }

        internal async Task ApplyAsync(string prefix, HttpContext context, RequestDelegate next)
        {
            if (_latency.TryGetValue(prefix, out var delay) && delay > TimeSpan.Zero)
                await Task.Delay(delay, context.RequestAborted).ConfigureAwait(false);

            var fault = Pick(prefix);
            if (fault == null)
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            var response = context.Response;
            switch (fault.Kind)
            {
                case FaultKind.TooManyRequests:
                case FaultKind.ServiceUnavailable:
                    response.StatusCode = fault.Kind == FaultKind.TooManyRequests ? 429 : 503;
                    response.Headers["Retry-After"] = fault.RetryAfter;
                    response.ContentType = "application/json";
                    await response.WriteAsync("{\"message\":\"Sandbox fault: try again later\"}").ConfigureAwait(false);
                    return;
                case FaultKind.ServerError:
                    response.StatusCode = 500;
                    await response.WriteAsync("Internal Server Error").ConfigureAwait(false);
                    return;
                case FaultKind.HtmlErrorPage:
                    response.StatusCode = 502;
                    response.ContentType = "text/html";
                    await response.WriteAsync("<html><body><h1>502 Bad Gateway</h1></body></html>").ConfigureAwait(false);
                    return;
                case FaultKind.ResetBeforeRead:
                    context.Abort();
                    return;
                case FaultKind.Hang:
                    await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }).ConfigureAwait(false);
                    return;
            }

            // The rest process the request (a code is delivered) and then spoil the answer.
            var original = response.Body;
            using var buffer = new MemoryStream();
            response.Body = buffer;
            await next(context).ConfigureAwait(false);
            response.Body = original;
            switch (fault.Kind)
            {
                case FaultKind.ResetAfterRead:
                    context.Abort();
                    return;
                case FaultKind.MalformedJson:
                    response.StatusCode = 200;
                    response.ContentType = "application/json";
                    response.ContentLength = null;
                    await response.WriteAsync("{\"message\": \"Request has been acc").ConfigureAwait(false);
                    return;
                case FaultKind.TruncatedBody:
                    var body = buffer.ToArray();
                    response.ContentLength = body.Length;
                    await response.Body.WriteAsync(body, 0, body.Length / 2).ConfigureAwait(false);
                    await response.Body.FlushAsync().ConfigureAwait(false);
                    context.Abort();
                    return;
            }
        }

        private Rule? Pick(string prefix)
        {
            if (!_rules.TryGetValue(prefix, out var rule)) return null;
            lock (rule)
            {
                rule.Seen++;
                if (rule.Remaining <= 0 || rule.Seen % rule.EveryNth != 0) return null;
                rule.Remaining--;
                return rule;
            }
        }
    }
}
