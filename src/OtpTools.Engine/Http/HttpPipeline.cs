using System;
using System.Buffers;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace OtpTools.Engine.Http
{
    /// <summary>
    /// The handlers every provider call passes, outermost first: <see cref="TraceHandler"/> (redacted trace lines),
    /// <see cref="AttemptTimeoutHandler"/> (the per-attempt timeout, the body read included), <see cref="AnswerCapHandler"/>
    /// (the answer read into a pooled buffer up to its cap; transport failures as errors that say whether the request
    /// may have reached the provider). The retries stay above the client: whether a send may go again depends on the
    /// provider's parsed answer, which no handler sees.
    /// </summary>
    public static class HttpPipeline
    {
        /// <summary>The handlers over <paramref name="primary"/>, for a client made outside the factory (tests, tools).</summary>
        public static HttpMessageHandler Over(HttpMessageHandler primary) =>
            new TraceHandler { InnerHandler = new AttemptTimeoutHandler { InnerHandler = new AnswerCapHandler { InnerHandler = primary } } };

        /// <summary>A client whose calls pass the handlers, over the module's transport or a handler of the caller's.</summary>
        public static HttpClient Client(HttpMessageHandler? primary = null) =>
            new HttpClient(Over(primary ?? OtpHttpClients.PrimaryHandler())) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>What one call carries down the handlers: its connection, and the answer's cap and bytes on the way back.</summary>
    internal sealed class HttpCallContext
    {
        private const string Key = "OtpTools.Call";

        public HttpCallContext(OtpConnection connection, HttpRequestMessage request)
        {
            Connection = connection;
            IsGet = request.Method == HttpMethod.Get;
            Limit = IsGet ? HttpCall.PageAnswerLimit : HttpCall.SendAnswerLimit;
            Request = request;
        }

        public OtpConnection Connection { get; }
        public HttpRequestMessage Request { get; }
        public bool IsGet { get; }
        public int Limit { get; }
        public string Provider => Connection.Provider.Name;

        private string? _url;
        /// <summary>The request's address with secret query values masked (made once, when a line or an error needs it).</summary>
        public string Url => _url ??= Redaction.Url(Request.RequestUri!);
        public string Call => $"{Provider} {Request.Method} {Url}";

        public void AttachTo(HttpRequestMessage request) => request.Properties[Key] = this;

        public static HttpCallContext Of(HttpRequestMessage request) =>
            request.Properties.TryGetValue(Key, out var context) && context is HttpCallContext call ? call
                : throw new InvalidOperationException("An OtpTools call reached a handler without its context: send it through HttpCall.");
    }

    /// <summary>An answer's body, read whole into a buffer rented from the shared pool; <see cref="Take"/> hands the buffer on.</summary>
    internal sealed class PooledAnswerContent : HttpContent
    {
        private byte[]? _bytes;
        private readonly int _length;

        public PooledAnswerContent(byte[] bytes, int length, HttpContent original)
        {
            _bytes = bytes;
            _length = length;
            // The body is decoded and read whole: its length and encoding are no longer the wire's.
            foreach (var header in original.Headers)
                if (header.Key != "Content-Length" && header.Key != "Content-Encoding") Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        public ArraySegment<byte> Peek() => new ArraySegment<byte>(_bytes ?? throw new ObjectDisposedException(nameof(PooledAnswerContent)), 0, _length);

        /// <summary>The bytes, now the caller's to return to the pool.</summary>
        public ArraySegment<byte> Take()
        {
            var segment = Peek();
            _bytes = null;
            return segment;
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            stream.WriteAsync(Peek().Array!, 0, _length);

        protected override bool TryComputeLength(out long length)
        {
            length = _length;
            return true;
        }

        protected override void Dispose(bool disposing)
        {
            var bytes = _bytes;
            _bytes = null;
            if (bytes != null && bytes.Length > 0) ArrayPool<byte>.Shared.Return(bytes);
            base.Dispose(disposing);
        }
    }

    /// <summary>Verbose and debug lines for each attempt, with the credential and secret fields masked.</summary>
    internal sealed class TraceHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var call = HttpCallContext.Of(request);
            var trace = call.Connection.Trace;
            if (request.Content != null && trace.DebugEnabled)
                trace.Debug($"{call.Call} request body: " + Redaction.Body(await request.Content.ReadAsStringAsync().ConfigureAwait(false)));
            request.Headers.Accept.ParseAdd("application/json");
            var watch = Stopwatch.StartNew();
            try
            {
                var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (trace.VerboseEnabled)
                    trace.Verbose($"{call.Call} -> {(int)response.StatusCode} {response.ReasonPhrase} in {watch.ElapsedMilliseconds} ms, retry {RetryPolicy.RetryNumber}");
                if (trace.DebugEnabled && response.Content is PooledAnswerContent body)
                {
                    var bytes = body.Peek();
                    trace.Debug($"{call.Call} response body: {Redaction.Body(call.Connection.Credential.Redact(new UTF8Encoding(false).GetString(bytes.Array!, 0, bytes.Count)))}");
                }
                return response;
            }
            catch (OperationCanceledException) when (trace.VerboseEnabled)
            {
                trace.Verbose($"{call.Call} -> cancelled after {watch.ElapsedMilliseconds} ms");
                throw;
            }
            catch (OtpException error) when (trace.VerboseEnabled)
            {
                trace.Verbose(error.ErrorId == "Http.Timeout" ? $"{call.Call} -> no answer within {call.Connection.Options.Timeout.TotalSeconds:0.#} s"
                    : error.ErrorId == "Http.AnswerTooLarge" ? $"{call.Call} -> {error.HttpStatus}, answer over {call.Limit} bytes: not read"
                    : $"{call.Call} -> failed after {watch.ElapsedMilliseconds} ms: {error.ErrorId}");
                throw;
            }
        }
    }

    /// <summary>The per-attempt timeout (-TimeoutSec), over the whole attempt: headers and body.</summary>
    internal sealed class AttemptTimeoutHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var call = HttpCallContext.Of(request);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(call.Connection.Options.Timeout);
            try
            {
                return await base.SendAsync(request, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                throw new OtpException("Http.Timeout", OtpErrorCategory.OperationTimeout,
                    $"{call.Provider}: no answer from {call.Url} within {call.Connection.Options.Timeout.TotalSeconds:0.#} s (-TimeoutSec)." +
                    (call.IsGet ? "" : " The code may have been delivered."))
                { Provider = call.Provider, MayHaveBeenDelivered = !call.IsGet, SafeToRetry = call.IsGet };
            }
        }
    }

    /// <summary>
    /// Reads the answer as a stream, decoded (gzip/deflate), into a pooled buffer, stopping past the call's cap: a
    /// decompression bomb or an endless body ends in bounded memory and time. Transport failures become errors that say
    /// whether the request can have reached the provider.
    /// </summary>
    internal sealed class AnswerCapHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var call = HttpCallContext.Of(request);
            HttpResponseMessage? response = null;
            try
            {
                response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                ArraySegment<byte>? body;
                // Disposing the response ends a stalled read (not every stream honours the token on netstandard2.0).
                using (cancellationToken.Register(() => response.Dispose()))
                    body = response.Content == null ? new ArraySegment<byte>(Array.Empty<byte>())
                        : await ReadCappedAsync(response.Content, call.Limit, cancellationToken).ConfigureAwait(false);
                if (body == null)
                    throw new OtpException("Http.AnswerTooLarge", OtpErrorCategory.InvalidResult,
                        $"{call.Provider}: the answer from {call.Url} is larger than {call.Limit / (1 << 20)} MiB once decoded; reading stopped there." +
                        (call.IsGet ? "" : " The code may have been delivered; it was not resent."))
                    { Provider = call.Provider, HttpStatus = (int)response.StatusCode, MayHaveBeenDelivered = !call.IsGet };
                var original = response.Content;
                response.Content = new PooledAnswerContent(body.Value.Array!, body.Value.Count, original ?? new ByteArrayContent(Array.Empty<byte>()));
                original?.Dispose();
                var answered = response;
                response = null;
                return answered;
            }
            catch (Exception e) when (cancellationToken.IsCancellationRequested && (e is OperationCanceledException || e is ObjectDisposedException || e is HttpRequestException || e is IOException))
            {
                throw new OperationCanceledException(cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException || e is IOException)
            {
                throw TransportFailure(call, e, response);
            }
            finally
            {
                response?.Dispose();
            }
        }

        private static OtpException TransportFailure(HttpCallContext call, Exception e, HttpResponseMessage? response)
        {
            var failure = response == null ? BeforeSending(e) : ConnectFailure.None;
            var notSent = failure != ConnectFailure.None;
            var reason = e.GetBaseException().Message;
            var errorId = failure == ConnectFailure.Tls ? "Http.TlsFailed" : notSent ? "Http.ConnectionFailed" : response == null ? "Http.ConnectionLost" : "Http.ResponseTruncated";
            var message = failure == ConnectFailure.Tls
                ? $"{call.Provider}: the secure (TLS) connection to {call.Url} could not be established: {reason}. Nothing was sent."
                : notSent
                ? $"{call.Provider}: could not connect to {call.Url}: {reason}. Nothing was sent."
                : $"{call.Provider}: the connection to {call.Url} broke before the whole answer arrived ({reason})." +
                  (call.IsGet ? "" : " The code may have been delivered; it was not resent.");
            return new OtpException(errorId, failure == ConnectFailure.Tls ? OtpErrorCategory.SecurityError : notSent ? OtpErrorCategory.ConnectionError : OtpErrorCategory.ProtocolError, message)
            {
                Provider = call.Provider,
                HttpStatus = response == null ? (int?)null : (int)response.StatusCode,
                MayHaveBeenDelivered = !notSent && !call.IsGet,
                SafeToRetry = notSent || call.IsGet,
                RecommendedAction = failure == ConnectFailure.Tls
                    ? "Check the certificate the server presents (trusted issuer, right host name, not expired). Behind a TLS-inspecting " +
                      "proxy, its root certificate must be trusted on this machine, or the provider's host must bypass the proxy " +
                      "(NO_PROXY); HTTPS_PROXY / NO_PROXY and the system proxy settings decide which proxy is used."
                    : notSent ? "Check the base URI, DNS, the network and the proxy settings (HTTPS_PROXY / NO_PROXY); sending the row again is safe." : null,
            };
        }

        /// <summary>
        /// Reads an answer, stopping past <paramref name="limit"/> bytes: null then. A declared length is read straight
        /// into a buffer of its size (one byte more, to see a body longer than declared); otherwise the buffer doubles as
        /// the body comes, up to the limit.
        /// </summary>
        private static async Task<ArraySegment<byte>?> ReadCappedAsync(HttpContent content, int limit, CancellationToken cancellationToken)
        {
            var declared = content.Headers.ContentEncoding.Count == 0 ? content.Headers.ContentLength : null;
            if (declared > limit) return null;
            var pool = ArrayPool<byte>.Shared;
            var buffer = pool.Rent(declared is long size ? (int)size + 1 : 16 * 1024);
            try
            {
                using var stream = await content.ReadAsStreamAsync().ConfigureAwait(false);
                var length = 0;
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        if (length >= limit + 1) break;
                        var larger = pool.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1L));
                        Buffer.BlockCopy(buffer, 0, larger, 0, length);
                        pool.Return(buffer);
                        buffer = larger;
                    }
                    var read = await stream.ReadAsync(buffer, length, buffer.Length - length, cancellationToken).ConfigureAwait(false);
                    if (read == 0) return new ArraySegment<byte>(buffer, 0, length);
                    length += read;
                    if (length > limit) break;
                }
            }
            catch
            {
                pool.Return(buffer);
                throw;
            }
            pool.Return(buffer);
            return null;
        }

        private enum ConnectFailure { None, Connect, Tls }

        /// <summary>
        /// Failures while connecting (DNS, refused, unreachable, proxy refusal, TLS handshake or certificate): the
        /// request cannot have reached the provider.
        /// </summary>
        private static ConnectFailure BeforeSending(Exception error)
        {
            for (var e = error; e != null; e = e.InnerException)
            {
                if (e is System.Security.Authentication.AuthenticationException) return ConnectFailure.Tls;
                // .NET 8 and later classify request failures (HttpRequestException.HttpRequestError); read it by name,
                // since netstandard2.0 does not declare it.
                if (e is HttpRequestException && e.GetType().GetProperty("HttpRequestError")?.GetValue(e)?.ToString() is string kind)
                {
                    if (kind == "SecureConnectionError") return ConnectFailure.Tls;
                    if (kind == "NameResolutionError" || kind == "ConnectionError" || kind == "ProxyTunnelError") return ConnectFailure.Connect;
                }
                if (e is SocketException socket &&
                    (socket.SocketErrorCode == SocketError.ConnectionRefused ||
                     socket.SocketErrorCode == SocketError.HostNotFound ||
                     socket.SocketErrorCode == SocketError.HostUnreachable ||
                     socket.SocketErrorCode == SocketError.NetworkUnreachable ||
                     socket.SocketErrorCode == SocketError.TryAgain ||
                     socket.SocketErrorCode == SocketError.NoData))
                    return ConnectFailure.Connect;
            }
            return ConnectFailure.None;
        }
    }
}
