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
        /// <summary>Not processed: a 400 whose message echoes the request's Authorization header, as is and JSON-escaped.</summary>
        EchoCredential,
        /// <summary>Processed, then a gzip body of a few hundred KiB that inflates to 512 MiB.</summary>
        DecompressionBomb,
        /// <summary>Processed, then a body that never ends (until the client goes away).</summary>
        EndlessBody,
        /// <summary>Processed, then a success whose text fields carry ESC/OSC sequences, BEL, NUL and bidi overrides.</summary>
        EscapeSequences,
        /// <summary>Not processed: a 400 whose provider message and code carry ESC/OSC sequences, BEL, NUL and bidi overrides.</summary>
        EscapeSequencesInError,
        /// <summary>Not processed: a 400 whose message echoes the request body (with whatever secret it carried), as is.</summary>
        EchoRequestBody,
        /// <summary>Processed, then 200 with <c>{}</c>: no field the documents mark as returned on success.</summary>
        EmptySuccess,
    }

    /// <summary>Listings that would page forever, for the paging guards' tests.</summary>
    public enum PagingFault
    {
        None,
        /// <summary>The next page is the page just read (GetOTP: next link; OTP Blue: the page number is ignored).</summary>
        RepeatPage,
        /// <summary>A new page each time, with the same rows (GetOTP: fresh tokens).</summary>
        SameRows,
        /// <summary>OTP Blue: num_pages and count keep growing with every page asked for.</summary>
        GrowingTotal,
    }

    /// <summary>Fault injection, set per test: latency, and a fault on every Nth request of a prefix.</summary>
    public sealed class SandboxFaults
    {
        /// <summary>What the escape-sequence faults put in provider text: retitle, clear screen, colour, NUL, bidi, zero-width.</summary>
        public const string Hostile = "\u001b]0;owned\u0007\u001b[2J\u001b[31mRED\u0000\u202Edesrever\u200B";

        private sealed class Rule
        {
            public FaultKind Kind;
            public int EveryNth;
            public int Remaining;
            public int Seen;
            public string RetryAfter = "1";
        }

        /// <summary>512 MiB of JSON whitespace, gzipped once (a few hundred KiB on the wire).</summary>
        private static readonly Lazy<byte[]> Bomb = new Lazy<byte[]>(() =>
        {
            using var packed = new MemoryStream();
            using (var gzip = new System.IO.Compression.GZipStream(packed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
            {
                var block = Encoding.ASCII.GetBytes(new string(' ', 1 << 20));
                for (var i = 0; i < 512; i++) gzip.Write(block, 0, block.Length);
            }
            return packed.ToArray();
        });

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
                case FaultKind.EchoCredential:
                case FaultKind.EscapeSequencesInError:
                case FaultKind.EchoRequestBody:
                    var echoed = fault.Kind == FaultKind.EscapeSequencesInError ? Hostile
                        : fault.Kind == FaultKind.EchoRequestBody ? await new StreamReader(context.Request.Body).ReadToEndAsync().ConfigureAwait(false)
                        : context.Request.Headers.Authorization.ToString() + context.Request.Headers["X-OTP-Key"].ToString();
                    response.StatusCode = 400;
                    response.ContentType = "application/json";
                    await response.WriteAsync(System.Text.Json.JsonSerializer.Serialize(new System.Collections.Generic.Dictionary<string, object>
                    {
                        ["code"] = 1250,
                        ["message"] = "Invalid API key: " + echoed,
                        ["error"] = "rejected " + echoed,
                        ["status"] = "failed",
                        ["success"] = false,
                        ["errors"] = new[] { new System.Collections.Generic.Dictionary<string, string> { ["code"] = "Unauthorized", ["message"] = "bad key " + echoed } },
                    })).ConfigureAwait(false);
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
                case FaultKind.EscapeSequences:
                    response.StatusCode = 200;
                    response.ContentType = "application/json";
                    response.ContentLength = null;
                    const string hostile = Hostile;
                    await response.WriteAsync(System.Text.Json.JsonSerializer.Serialize(new System.Collections.Generic.Dictionary<string, object>
                    {
                        ["message"] = "Accepted " + hostile,
                        ["message_id"] = "id-" + hostile,
                        ["smsId"] = "sms-" + hostile,
                        ["send_channel"] = "sms" + hostile,
                        ["recipient"] = "+61412345678",
                        ["status"] = "delivered",
                        ["success"] = true,
                    })).ConfigureAwait(false);
                    return;
                case FaultKind.DecompressionBomb:
                    response.StatusCode = 200;
                    response.ContentType = "application/json";
                    response.Headers["Content-Encoding"] = "gzip";
                    response.ContentLength = Bomb.Value.Length;
                    await response.Body.WriteAsync(Bomb.Value, 0, Bomb.Value.Length, context.RequestAborted).ConfigureAwait(false);
                    return;
                case FaultKind.EndlessBody:
                    response.StatusCode = 200;
                    response.ContentType = "application/json";
                    response.ContentLength = null;
                    var spaces = Encoding.ASCII.GetBytes(new string(' ', 64 * 1024));
                    try
                    {
                        while (!context.RequestAborted.IsCancellationRequested)
                            await response.Body.WriteAsync(spaces, 0, spaces.Length, context.RequestAborted).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is OperationCanceledException || e is IOException)
                    {
                        // The client went away: what an endless body is for.
                    }
                    return;
                case FaultKind.EmptySuccess:
                    response.StatusCode = 200;
                    response.ContentType = "application/json";
                    response.ContentLength = null;
                    await response.WriteAsync("{}").ConfigureAwait(false);
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
