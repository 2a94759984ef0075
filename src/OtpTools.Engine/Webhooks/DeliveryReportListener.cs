using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
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
        /// The provider hears 200 only once the reports are on the pipeline; reports that were not written are answered
        /// 503, so the provider sends them again later and none is lost.
        /// </summary>
        public void Acknowledge(bool written) => _written.TrySetResult(written);

        internal Task<bool> Written => _written.Task;
    }

    /// <summary>What an anonymous sender may hold of the listener (the Kestrel limits, for webhooks).</summary>
    public sealed class ListenerLimits
    {
        /// <summary>Connections served at once; beyond it a connection is answered 503 at once.</summary>
        public int MaxConnections { get; set; } = 128;
        /// <summary>From the connection to the end of its headers.</summary>
        public TimeSpan HeaderTimeout { get; set; } = TimeSpan.FromSeconds(10);
        /// <summary>From the end of the headers to the end of an authenticated body.</summary>
        public TimeSpan BodyTimeout { get; set; } = TimeSpan.FromSeconds(30);
        /// <summary>How long a refused sender may go on sending before its connection is closed.</summary>
        public TimeSpan LingerTimeout { get; set; } = TimeSpan.FromSeconds(2);
        /// <summary>How long a stop waits for the answers still being written before it closes what is left.</summary>
        public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(15);
        /// <summary>The Retry-After of a 503: when the provider should send again.</summary>
        public int RetryAfterSeconds { get; set; } = 30;
    }

    /// <summary>
    /// Listens on an HTTP prefix for one provider's delivery webhooks. Each request is authenticated from its headers
    /// before its body is read (401 otherwise), bodies are read with a cap and a timeout, and the connections served
    /// at once are bounded. Authentic reports go to the pipeline one request at a time and are answered 200 only once
    /// written. Stopping closes the port first, answers 503 + Retry-After to every request not yet read, and lets the
    /// caller write what was read (<see cref="StopAccepting"/>) before anything is closed: no report is acknowledged
    /// and lost.
    /// </summary>
    public sealed class DeliveryReportListener : IDisposable
    {
        /// <summary>The most a webhook body may hold (an EngageLab callback batches rows; the others are a few hundred bytes).</summary>
        public const int BodyLimit = 1 << 20;
        private const int HeaderLimit = 16 * 1024;

        private readonly ConcurrentQueue<PendingReports> _queue = new ConcurrentQueue<PendingReports>();
        private readonly SemaphoreSlim _ready = new SemaphoreSlim(0);
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly ConcurrentDictionary<Socket, bool> _open = new ConcurrentDictionary<Socket, bool>();
        private readonly TaskCompletionSource<bool> _allAnswered = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<Socket> _listeners = new List<Socket>();
        private readonly object _gate = new object();
        private readonly ListenerPrefix _prefix;
        private readonly ResolvedProvider _provider;
        private readonly IDeliveryWebhook _hook;
        private readonly WebhookSecret _secret;
        private readonly ReplayGuard _replays;
        private readonly IOtpTrace _trace;
        private readonly ListenerLimits _limits;
        private volatile bool _stopping;
        private int _disposed;
        private int _serving;
        private int _readingBodies;
        private readonly ConcurrentDictionary<string, DateTimeOffset> _warned = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);

        public DeliveryReportListener(string prefix, ResolvedProvider provider, IDeliveryWebhook hook, WebhookSecret secret, IOtpTrace trace,
            ReplayGuard? replays = null, ListenerLimits? limits = null)
        {
            _prefix = ListenerPrefix.Parse(prefix);
            _provider = provider;
            _hook = hook;
            _secret = secret;
            _trace = trace;
            _replays = replays ?? new ReplayGuard();
            _limits = limits ?? new ListenerLimits();
        }

        /// <summary>Requests answered, by HTTP status (for the closing verbose line and tests).</summary>
        public ConcurrentDictionary<int, int> Answered { get; } = new ConcurrentDictionary<int, int>();

        /// <summary>The port listened on (the prefix's).</summary>
        public int Port => _prefix.Port;

        /// <summary>Connections being read or answered now (not those lingering after their answer); for tests.</summary>
        internal int Serving => Volatile.Read(ref _serving);

        /// <summary>Requests read and waiting for the pipeline; for tests.</summary>
        internal int Queued => _queue.Count;

        /// <summary>Authenticated requests whose body is being read now; for tests.</summary>
        internal int ReadingBodies => Volatile.Read(ref _readingBodies);

        /// <summary>Checks a prefix the way the listener will read it (http only; + for every interface).</summary>
        public static string CheckPrefix(string prefix) => ListenerPrefix.Parse(prefix).Text;

        /// <summary>Starts listening; a prefix in use or not permitted is a clear error.</summary>
        public void Start()
        {
            try
            {
                foreach (var address in _prefix.Addresses)
                {
                    var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                    _listeners.Add(socket);
                    if (address.Equals(IPAddress.IPv6Any)) socket.DualMode = true;
                    try
                    {
                        socket.Bind(new IPEndPoint(address, _prefix.Port));
                    }
                    catch (SocketException) when (address.Equals(IPAddress.IPv6Loopback) && _listeners.Count > 1)
                    {
                        // localhost without IPv6 on this machine: 127.0.0.1 alone.
                        _listeners.Remove(socket);
                        socket.Dispose();
                        continue;
                    }
                    socket.Listen(512);
                }
            }
            catch (SocketException e)
            {
                CloseListeners();
                throw new OtpException("Webhook.ListenFailed", OtpErrorCategory.ResourceUnavailable,
                    $"Cannot listen on '{_prefix.Text}': {e.Message}. Another program may hold the port, or a port below 1024 needs " +
                    "administrator rights; choose another port.")
                { ParameterName = "Prefix", TargetValue = _prefix.Text };
            }
            if (_prefix.EveryInterface)
                _trace.Warning($"Listening on every network interface ({_prefix.Text}): anyone who can reach port {_prefix.Port} can post to it " +
                               "(each post must still authenticate). Use http://localhost:<port>/ behind a reverse proxy to keep it local.");
            foreach (var socket in _listeners) _ = Task.Run(() => AcceptLoopAsync(socket));
        }

        /// <summary>The next accepted request's reports, or null when <paramref name="wait"/> passes first.</summary>
        public async Task<PendingReports?> NextAsync(TimeSpan wait, CancellationToken cancellationToken)
        {
            if (!await _ready.WaitAsync(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, cancellationToken).ConfigureAwait(false)) return null;
            _queue.TryDequeue(out var next);
            return next;
        }

        /// <summary>The next request already waiting, without waiting (so a burst is written in one go).</summary>
        public bool TryNext(out PendingReports? next)
        {
            next = null;
            if (!_ready.Wait(0)) return false;
            _queue.TryDequeue(out next);
            return next != null;
        }

        /// <summary>
        /// Closes the port, answers 503 to every request not yet read and authenticated, and returns the ones that were:
        /// the caller writes them to the pipeline and acknowledges each (then they are answered 200).
        /// </summary>
        public IReadOnlyList<PendingReports> StopAccepting()
        {
            lock (_gate) _stopping = true;
            _stop.Cancel();
            CloseListeners();
            var read = new List<PendingReports>();
            while (_queue.TryDequeue(out var pending)) read.Add(pending);
            return read;
        }

        private void CloseListeners()
        {
            foreach (var socket in _listeners)
            {
                try
                {
                    socket.Dispose();
                }
                catch (ObjectDisposedException)
                {
                }
            }
        }

        private async Task AcceptLoopAsync(Socket listener)
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket connection;
                try
                {
                    connection = await Task.Factory.FromAsync(listener.BeginAccept, listener.EndAccept, null).ConfigureAwait(false);
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (SocketException e)
                {
                    _trace.Verbose($"{_provider.Name} webhook listener on {_prefix.Text}: {e.Message}");
                    continue;
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
                _open[connection] = true;
                _ = Task.Run(() => ServeAsync(connection));
            }
        }

        private async Task ServeAsync(Socket socket)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(HeaderLimit);
            var from = Endpoint(socket);
            try
            {
                socket.NoDelay = true;
                using var stream = new NetworkStream(socket, ownsSocket: false);
                var http = new WebhookHttp(stream, buffer);
                var bodyRead = false;
                // One request after another while the sender keeps the connection (a provider posting many reports does):
                // a connection per report would cost a handshake each.
                for (var next = false; ; next = true)
                {
                    // A kept connection counts against the bound only once its next request begins; idle, it closes
                    // quietly at the stop, after the header timeout, or when the sender closes it.
                    if (next && !await NextRequestBeginsAsync(http).ConfigureAwait(false)) return;
                    int status;
                    var keepOpen = false;
                    try
                    {
                        if (Interlocked.Increment(ref _serving) > _limits.MaxConnections)
                        {
                            status = 503;
                            bodyRead = false;
                            _trace.Verbose($"{_provider.Name} webhook from {from}: over {_limits.MaxConnections} connections at once, answered 503.");
                        }
                        else
                        {
                            (status, bodyRead) = await AnswerAsync(http, from).ConfigureAwait(false);
                        }
                        if (status == 0) return;   // the sender went away before a byte of a request
                        Answered.AddOrUpdate(status, 1, (_, n) => n + 1);
                        keepOpen = status == 200 && bodyRead && http.KeepAlive && !_stop.IsCancellationRequested;
                        await http.WriteAsync(WebhookHttp.Answer(status, _limits.RetryAfterSeconds, keepOpen), CancellationToken.None).ConfigureAwait(false);
                    }
                    finally
                    {
                        // A connection that has its answer no longer counts against the bound, while it lingers.
                        Interlocked.Decrement(ref _serving);
                    }
                    if (!keepOpen) break;
                    http.NextRequest();
                }
                // A sender refused before its body was read is still sending it: read and drop it (bounded), so it
                // reads the answer rather than a reset.
                socket.Shutdown(SocketShutdown.Send);
                if (!bodyRead)
                {
                    using var linger = new CancellationTokenSource(_limits.LingerTimeout);
                    await http.DiscardAsync(BodyLimit + HeaderLimit, linger.Token).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException || e is SocketException || e is OperationCanceledException || e is ObjectDisposedException)
            {
                // The sender went away, or lingered too long after its answer: nothing more is owed to it.
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
                socket.Dispose();
                _open.TryRemove(socket, out _);
                if (Volatile.Read(ref _disposed) != 0 && _open.IsEmpty) _allAnswered.TrySetResult(true);
            }
        }

        /// <summary>Whether a kept connection's next request begins before the stop and within the header timeout.</summary>
        private async Task<bool> NextRequestBeginsAsync(WebhookHttp http)
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            idle.CancelAfter(_limits.HeaderTimeout);
            try
            {
                // A request that began as the stop came is answered like any other then (503 unless it was read).
                return await http.WaitForRequestAsync(idle.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        private static string Endpoint(Socket socket)
        {
            try
            {
                return socket.RemoteEndPoint?.ToString() ?? "?";
            }
            catch (SocketException)
            {
                return "?";
            }
        }

        /// <summary>The status to answer, and whether the whole request was read.</summary>
        private async Task<(int Status, bool BodyRead)> AnswerAsync(WebhookHttp http, string from)
        {
            using var headerTime = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            headerTime.CancelAfter(_limits.HeaderTimeout);
            try
            {
                if (!await http.ReadHeadAsync(headerTime.Token).ConfigureAwait(false)) return (0, true);
            }
            catch (OperationCanceledException)
            {
                return (Stopped("its headers had not all arrived", from) ?? TimedOut("headers", from), false);
            }
            catch (RefusedRequest refused)
            {
                _trace.Verbose($"{_provider.Name} webhook from {from} answered {refused.Status}: {TerminalText.Safe(refused.Message)}.");
                return (refused.Status, false);
            }

            if (!_prefix.Covers(http.Target))
            {
                _trace.Verbose($"{_provider.Name} webhook from {from}: {TerminalText.Safe(http.Target)} is outside {_prefix.Path}, answered 404.");
                return (404, false);
            }
            if (!string.Equals(http.Method, "POST", StringComparison.OrdinalIgnoreCase))
            {
                _trace.Verbose($"{_provider.Name} webhook from {from}: {TerminalText.Safe(http.Method)} answered 405 (only POST carries reports).");
                return (405, false);
            }
            if (http.ContentLength > BodyLimit)
            {
                _trace.Verbose($"{_provider.Name} webhook from {from}: body over {BodyLimit} bytes, answered 413.");
                return (413, false);
            }

            var received = new WebhookRequest(name => http.Headers.TryGetValue(name, out var value) ? value : null, DateTimeOffset.UtcNow);
            var verdict = _hook.Check(received, _secret, _replays);
            var urlCheckOnly = false;
            if (verdict.Outcome == WebhookOutcome.Refused)
            {
                // An unsigned URL check (EngageLab's {}) is the one request whose body is read unauthenticated: a few bytes.
                if (_hook.UrlCheckMaxBytes == 0 || http.Chunked || !(http.ContentLength <= _hook.UrlCheckMaxBytes))
                {
                    return (Unauthentic(from, verdict.Reason!), false);
                }
                urlCheckOnly = true;
            }
            if (Stopped("it had not been read", from) is int stopped) return (stopped, false);

            string body;
            using (var bodyTime = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
            {
                bodyTime.CancelAfter(_limits.BodyTimeout);
                try
                {
                    if (http.ExpectsContinue)
                    {
                        var goOn = WebhookHttp.Answer(100, 0);
                        await http.WriteAsync(goOn, bodyTime.Token).ConfigureAwait(false);
                    }
                    Interlocked.Increment(ref _readingBodies);
                    try
                    {
                        body = await http.ReadBodyAsync(BodyLimit, bodyTime.Token).ConfigureAwait(false);
                    }
                    finally
                    {
                        Interlocked.Decrement(ref _readingBodies);
                    }
                }
                catch (OperationCanceledException)
                {
                    return (Stopped("its body had not all arrived", from) ?? TimedOut("body", from), false);
                }
                catch (RefusedRequest refused)
                {
                    _trace.Verbose($"{_provider.Name} webhook from {from} answered {refused.Status}: {TerminalText.Safe(refused.Message)}.");
                    return (refused.Status, false);
                }
            }

            if (_hook.IsUrlCheck(body))
            {
                _trace.Verbose($"{_provider.Name} webhook from {from}: URL check answered 200.");
                return (200, true);
            }
            if (urlCheckOnly)
            {
                return (Unauthentic(from, verdict.Reason!), true);
            }
            IReadOnlyList<OtpDeliveryReport> reports;
            try
            {
                reports = _hook.Read(body);
            }
            catch (FormatException e)
            {
                _trace.Verbose($"{_provider.Name} webhook from {from} answered 400: {TerminalText.Safe(e.Message)}.");
                return (400, true);
            }
            foreach (var report in reports)
            {
                report.Provider = _provider.Name;
                report.ProviderType = _provider.Type.Name;
                report.ReceivedAt = received.ReceivedAt;
            }
            if (reports.Count == 0) return (200, true);
            return (await HandOverAsync(reports, verdict.ReplayKey, from).ConfigureAwait(false), true);
        }

        /// <summary>Queues the reports for the pipeline and waits for them to be written: 200 once they are, 503 if not.</summary>
        private async Task<int> HandOverAsync(IReadOnlyList<OtpDeliveryReport> reports, string? replayKey, string from)
        {
            if (replayKey != null && !_replays.TryReserve(replayKey))
            {
                return Unauthentic(from, "this nonce was already used (a replay)");
            }
            var pending = new PendingReports(reports);
            lock (_gate)
            {
                if (_stopping)
                {
                    if (replayKey != null) _replays.Release(replayKey);
                    return Stopped("it was read as the listener stopped", from)!.Value;
                }
                _queue.Enqueue(pending);
                _ready.Release();
            }
            if (!await pending.Written.ConfigureAwait(false))
            {
                if (replayKey != null) _replays.Release(replayKey);
                return 503;
            }
            if (replayKey != null)
            {
                try
                {
                    _replays.Commit(replayKey, DateTimeOffset.UtcNow);
                }
                catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException)
                {
                    _trace.Warning($"{_provider.Name} webhook: the nonce of a written report could not be kept on disk ({TerminalText.Safe(e.Message)}); " +
                                   "a replay of it after a restart would not be recognised.");
                }
            }
            return 200;
        }

        /// <summary>
        /// 401, said in a verbose line each time and as a warning at most once a minute per cause, so a sender with the
        /// wrong secret is noticed without -Verbose and without a line per request.
        /// </summary>
        private int Unauthentic(string from, string reason)
        {
            _trace.Verbose($"{_provider.Name} webhook from {from} refused (401): {reason}");
            var cause = new string(reason.Where(c => !char.IsDigit(c)).ToArray());
            var now = DateTimeOffset.UtcNow;
            var last = _warned.GetOrAdd(cause, DateTimeOffset.MinValue);
            if (now - last >= TimeSpan.FromMinutes(1) && _warned.TryUpdate(cause, now, last))
                _trace.Warning($"{_provider.Name} webhook from {from} refused (401): {reason}. Requests refused for this reason are " +
                               "counted when the listener stops; check the secret your sends and this listener use.");
            return 401;
        }

        /// <summary>The requests refused, by status, for the closing line: empty when all were answered 200.</summary>
        public string RefusedSummary() => string.Join(", ", Answered.Where(a => a.Key != 200).OrderBy(a => a.Key)
            .Select(a => $"{a.Value} answered {a.Key}{(a.Key == 401 ? " (not authentic)" : a.Key == 503 ? " (sent again later)" : "")}"));

        /// <summary>503 when the listener is stopping (the provider sends the request again), else null.</summary>
        private int? Stopped(string what, string from)
        {
            if (!_stop.IsCancellationRequested && !_stopping) return null;
            _trace.Verbose($"{_provider.Name} webhook from {from}: the listener stopped before {what}; answered 503 (the provider sends it again).");
            return 503;
        }

        private int TimedOut(string part, string from)
        {
            _trace.Verbose($"{_provider.Name} webhook from {from}: its {part} did not arrive in time, answered 408.");
            return 408;
        }

        /// <summary>
        /// Stops listening (if <see cref="StopAccepting"/> was not called, reports not yet written are answered 503),
        /// waits for every answer to be written, then closes what is left.
        /// </summary>
        public void Dispose()
        {
            foreach (var pending in StopAccepting()) pending.Acknowledge(false);
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            if (_open.IsEmpty) _allAnswered.TrySetResult(true);
            // Every connection ends by itself (answer written, bounded linger); this bound is for a sender that stops reading.
            _allAnswered.Task.Wait(_limits.DrainTimeout);
            foreach (var socket in _open.Keys)
            {
                try
                {
                    socket.Dispose();
                }
                catch (ObjectDisposedException)
                {
                }
            }
        }
    }
}
