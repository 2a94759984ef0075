using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using OtpTools.Engine.Http;

namespace OtpTools.Engine.Webhooks
{
    /// <summary>The reports of one accepted request, waiting for the pipeline to write them.</summary>
    public sealed class PendingReports
    {
        private readonly TaskCompletionSource<bool> _written = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        internal PendingReports(IReadOnlyList<OtpDeliveryReport> reports) => Reports = reports;

        public IReadOnlyList<OtpDeliveryReport> Reports { get; }

        /// <summary>
        /// The provider hears 200 only once the reports are on the pipeline; a listener that stops first answers 503,
        /// so the provider sends them again later and none is lost.
        /// </summary>
        public void Acknowledge(bool written) => _written.TrySetResult(written);

        internal Task<bool> Written => _written.Task;
    }

    /// <summary>
    /// Listens on an HTTP prefix for one provider's delivery webhooks: authenticates each request, answers 401, 400,
    /// 413 or 405 without emitting anything, and hands authentic reports to the pipeline one request at a time.
    /// </summary>
    public sealed class DeliveryReportListener : IDisposable
    {
        /// <summary>The most a webhook body may hold (an EngageLab callback batches rows; the others are a few hundred bytes).</summary>
        public const int BodyLimit = 1 << 20;

        private readonly HttpListener _http = new HttpListener();
        private readonly ConcurrentQueue<PendingReports> _queue = new ConcurrentQueue<PendingReports>();
        private readonly SemaphoreSlim _ready = new SemaphoreSlim(0);
        private readonly ReplayGuard _replays = new ReplayGuard();
        private readonly string _prefix;
        private readonly ResolvedProvider _provider;
        private readonly IDeliveryWebhook _hook;
        private readonly WebhookSecret _secret;
        private readonly IOtpTrace _trace;
        private int _closing;
        private int _answering;

        public DeliveryReportListener(string prefix, ResolvedProvider provider, IDeliveryWebhook hook, WebhookSecret secret, IOtpTrace trace)
        {
            _prefix = CheckPrefix(prefix);
            _provider = provider;
            _hook = hook;
            _secret = secret;
            _trace = trace;
        }

        /// <summary>Requests answered, by HTTP status (for the closing verbose line and tests).</summary>
        public ConcurrentDictionary<int, int> Answered { get; } = new ConcurrentDictionary<int, int>();

        /// <summary>An http(s) prefix ending in '/', as HttpListener takes it (host may be + or *).</summary>
        public static string CheckPrefix(string prefix)
        {
            var probe = (prefix ?? "").Replace("://+", "://wildcard").Replace("://*", "://wildcard");
            if (!Uri.TryCreate(probe, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https") || !prefix!.EndsWith("/", StringComparison.Ordinal)
                || uri.Query.Length > 0 || uri.Fragment.Length > 0)
                throw new OtpException("Webhook.InvalidPrefix", OtpErrorCategory.InvalidArgument,
                    $"-Prefix '{prefix}' is not an HTTP listener prefix: give scheme, host, port and a path ending in '/', " +
                    "e.g. http://+:8080/otpiq/ (all addresses) or http://localhost:8080/otpiq/.")
                { ParameterName = "Prefix", TargetValue = prefix };
            return prefix;
        }

        /// <summary>Starts listening; a prefix in use or not permitted is a clear error.</summary>
        public void Start()
        {
            _http.Prefixes.Add(_prefix);
            try
            {
                _http.Start();
            }
            catch (HttpListenerException e)
            {
                throw new OtpException("Webhook.ListenFailed", OtpErrorCategory.ResourceUnavailable,
                    $"Cannot listen on '{_prefix}': {e.Message}. Another program may hold the port, or (Windows) the prefix needs " +
                    $"a URL reservation: netsh http add urlacl url={_prefix} user=<you>, or use http://localhost:<port>/.")
                { ParameterName = "Prefix", TargetValue = _prefix };
            }
            _ = Task.Run(AcceptLoopAsync);
        }

        /// <summary>The next accepted request's reports, or null when <paramref name="wait"/> passes first.</summary>
        public async Task<PendingReports?> NextAsync(TimeSpan wait, CancellationToken cancellationToken)
        {
            if (!await _ready.WaitAsync(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, cancellationToken).ConfigureAwait(false)) return null;
            _queue.TryDequeue(out var next);
            return next;
        }

        private async Task AcceptLoopAsync()
        {
            while (Volatile.Read(ref _closing) == 0)
            {
                HttpListenerContext context;
                try
                {
                    context = await _http.GetContextAsync().ConfigureAwait(false);
                }
                catch (Exception) when (Volatile.Read(ref _closing) != 0)
                {
                    return;
                }
                catch (HttpListenerException e)
                {
                    _trace.Warning($"{_provider.Name} webhook listener on {_prefix}: {e.Message}");
                    continue;
                }
                _ = Task.Run(() => HandleAsync(context));
            }
        }

        private async Task HandleAsync(HttpListenerContext context)
        {
            Interlocked.Increment(ref _answering);
            try
            {
                await AnswerAndCloseAsync(context).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _answering);
            }
        }

        private async Task AnswerAndCloseAsync(HttpListenerContext context)
        {
            int status;
            try
            {
                status = await AnswerAsync(context).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // A broken connection or a body that stopped mid-way: this request is lost to the sender, not the listener.
                _trace.Verbose($"{_provider.Name} webhook from {context.Request.RemoteEndPoint}: {e.GetType().Name}: {TerminalText.Safe(e.Message)}");
                status = 400;
            }
            Answered.AddOrUpdate(status, 1, (_, n) => n + 1);
            try
            {
                context.Response.StatusCode = status;
                // One request per connection: a request sent on a kept-alive connection after the listener closed
                // would otherwise be answered by nobody (the sender must see a refusal, and send again).
                context.Response.KeepAlive = false;
                context.Response.ContentLength64 = 0;
                context.Response.Close();
            }
            catch (Exception)
            {
                // The sender went away; it will send again.
            }
        }

        private async Task<int> AnswerAsync(HttpListenerContext context)
        {
            var request = context.Request;
            var from = request.RemoteEndPoint?.ToString() ?? "?";
            if (!string.Equals(request.HttpMethod, "POST", StringComparison.OrdinalIgnoreCase))
            {
                _trace.Verbose($"{_provider.Name} webhook from {from}: {request.HttpMethod} answered 405 (only POST carries reports).");
                return 405;
            }
            var body = await ReadCappedAsync(request).ConfigureAwait(false);
            if (body == null)
            {
                _trace.Verbose($"{_provider.Name} webhook from {from}: body over {BodyLimit} bytes, answered 413.");
                return 413;
            }
            var received = new WebhookRequest(name => request.Headers[name], body, DateTimeOffset.UtcNow);
            var verdict = _hook.Check(received, _secret, _replays);
            if (verdict.Outcome == WebhookOutcome.UrlCheck)
            {
                _trace.Verbose($"{_provider.Name} webhook from {from}: URL check answered 200.");
                return 200;
            }
            if (verdict.Outcome == WebhookOutcome.Refused)
            {
                _trace.Verbose($"{_provider.Name} webhook from {from} refused (401): {verdict.Reason}");
                return 401;
            }
            IReadOnlyList<OtpDeliveryReport> reports;
            try
            {
                reports = _hook.Read(body);
            }
            catch (FormatException e)
            {
                _trace.Verbose($"{_provider.Name} webhook from {from} answered 400: {TerminalText.Safe(e.Message)}.");
                return 400;
            }
            foreach (var report in reports)
            {
                report.Provider = _provider.Name;
                report.ProviderType = _provider.Type.Name;
                report.ReceivedAt = received.ReceivedAt;
            }
            if (reports.Count == 0) return 200;
            var pending = new PendingReports(reports);
            if (Volatile.Read(ref _closing) != 0) return 503;
            _queue.Enqueue(pending);
            _ready.Release();
            // A listener closed after the enqueue acknowledges everything still queued as not written.
            if (Volatile.Read(ref _closing) != 0) DeclineQueued();
            return await pending.Written.ConfigureAwait(false) ? 200 : 503;
        }

        private static async Task<string?> ReadCappedAsync(HttpListenerRequest request)
        {
            if (request.ContentLength64 > BodyLimit) return null;
            var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await request.InputStream.ReadAsync(chunk, 0, chunk.Length).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > BodyLimit) return null;
                buffer.Write(chunk, 0, read);
            }
            return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }

        private void DeclineQueued()
        {
            while (_queue.TryDequeue(out var pending)) pending.Acknowledge(false);
        }

        /// <summary>Stops listening; reports not yet written are answered 503 so the provider sends them again.</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closing, 1) != 0) return;
            DeclineQueued();
            // Reports just written are answered 200 before the port closes; otherwise the provider would send them again.
            var until = DateTime.UtcNow.AddSeconds(2);
            while (Volatile.Read(ref _answering) > 0 && DateTime.UtcNow < until) Thread.Sleep(10);
            try
            {
                _http.Close();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
