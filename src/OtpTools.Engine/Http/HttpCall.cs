using System;
using System.Buffers;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;

namespace OtpTools.Engine.Http
{
    /// <summary>
    /// What came back from one HTTP call. Its bytes are a buffer borrowed from the shared pool: dispose the answer once it
    /// is parsed (a listing reads hundreds of pages, and a fresh page-sized array each time would be garbage on the
    /// large-object heap, collected only by full collections). An answer never disposed is simply collected.
    /// </summary>
    public sealed class HttpAnswer : IDisposable
    {
        private byte[]? _utf8;
        private readonly bool _pooled;
        private readonly int _length;
        private readonly Func<string, string> _redact;
        private readonly bool _holdsSecret;
        private string? _body;

        /// <param name="holdsSecret">The raw bytes hold a form of the credential: every reading goes through the redacted text.</param>
        /// <param name="pooled">The bytes were rented from <see cref="ArrayPool{T}.Shared"/> and go back on Dispose.</param>
        public HttpAnswer(HttpMethod method, int status, byte[] utf8, int length, bool pooled, bool holdsSecret, Func<string, string> redact,
            string? mediaType, HttpResponseHeaders headers)
        {
            Method = method;
            Status = status;
            _utf8 = utf8;
            _length = length;
            _pooled = pooled;
            _holdsSecret = holdsSecret;
            _redact = redact;
            MediaType = mediaType;
            Headers = headers;
        }

        public void Dispose()
        {
            var bytes = _utf8;
            _utf8 = null;
            if (bytes != null && _pooled) ArrayPool<byte>.Shared.Return(bytes);
        }

        private byte[] Bytes => _utf8 ?? throw new ObjectDisposedException(nameof(HttpAnswer));

        public HttpMethod Method { get; }
        public int Status { get; }

        /// <summary>
        /// The body as text, with any echo of the credential masked. Made only when asked for (an error, a debug line):
        /// a page of a listing is parsed from its bytes.
        /// </summary>
        public string Body => _body ??= _redact(new UTF8Encoding(false).GetString(Bytes, 0, _length));

        public string? MediaType { get; }
        public HttpResponseHeaders Headers { get; }
        public bool IsSuccess => Status >= 200 && Status < 300;

        /// <summary>The body as the documented JSON type, or null when it is not that JSON (an HTML page, a cut body).</summary>
        public T? Json<T>(JsonTypeInfo<T> type) where T : class
        {
            try
            {
                return _holdsSecret ? JsonSerializer.Deserialize(Body, type) : JsonSerializer.Deserialize(new ReadOnlySpan<byte>(Bytes, 0, _length), type);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        /// <summary>Retry-After as a delay, whether the provider sent seconds or an HTTP date.</summary>
        public TimeSpan? RetryAfter
        {
            get
            {
                var header = Headers.RetryAfter;
                if (header?.Delta is TimeSpan delta) return delta;
                // A date already past (a skewed clock, a hostile server) says nothing: the normal backoff applies.
                if (header?.Date is DateTimeOffset date) return date > DateTimeOffset.UtcNow ? date - DateTimeOffset.UtcNow : (TimeSpan?)null;
                return null;
            }
        }
    }

    /// <summary>
    /// Sends one request: timing, redacted trace lines, a per-attempt timeout, and transport failures as
    /// <see cref="OtpException"/> that say whether the request may have reached the provider.
    /// </summary>
    public static class HttpCall
    {
        /// <summary>The most a send's answer may hold once decoded (the documented answers are a few hundred bytes).</summary>
        public const int SendAnswerLimit = 1 << 20;
        /// <summary>The most a read's answer (a history or sender page of up to 1,000 rows) may hold once decoded.</summary>
        public const int PageAnswerLimit = 32 << 20;

        public static HttpRequestMessage Json(HttpMethod method, Uri uri, string json) =>
            new HttpRequestMessage(method, uri) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

        public static async Task<HttpAnswer> SendAsync(OtpConnection connection, HttpRequestMessage request,
            CancellationToken cancellationToken)
        {
            var provider = connection.Provider.Name;
            var trace = connection.Trace;
            // Built only when a trace line or an error needs it: the redaction costs a regex per call.
            string? redacted = null;
            string Url() => redacted ??= Redaction.Url(request.RequestUri!);
            var isGet = request.Method == HttpMethod.Get;
            string Call() => $"{provider} {request.Method} {Url()}";
            if (request.Content != null && trace.DebugEnabled)
                trace.Debug($"{Call()} request body: " + Redaction.Body(await request.Content.ReadAsStringAsync().ConfigureAwait(false)));
            request.Headers.Accept.ParseAdd("application/json");

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(connection.Options.Timeout);
            var watch = Stopwatch.StartNew();
            HttpResponseMessage? response = null;
            try
            {
                response = await connection.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token)
                    .ConfigureAwait(false);
                ArraySegment<byte>? body;
                // Disposing the response ends a stalled read (not every stream honours the token on netstandard2.0).
                using (timeout.Token.Register(() => response.Dispose()))
                    body = response.Content == null ? new ArraySegment<byte>(Array.Empty<byte>())
                        : await ReadCappedAsync(response.Content, isGet ? PageAnswerLimit : SendAnswerLimit, timeout.Token).ConfigureAwait(false);
                if (body == null)
                {
                    var limit = isGet ? PageAnswerLimit : SendAnswerLimit;
                    if (trace.VerboseEnabled) trace.Verbose($"{Call()} -> {(int)response.StatusCode}, answer over {limit} bytes: not read");
                    throw new OtpException("Http.AnswerTooLarge", OtpErrorCategory.InvalidResult,
                        $"{provider}: the answer from {Url()} is larger than {limit / (1 << 20)} MiB once decoded; reading stopped there." +
                        (isGet ? "" : " The code may have been delivered; it was not resent."))
                    { Provider = provider, HttpStatus = (int)response.StatusCode, MayHaveBeenDelivered = !isGet };
                }
                // The one point where provider text enters: an answer that echoes the credential (some APIs echo the
                // Authorization header) is read only through its redacted text, before any message, field or trace
                // line is made from it. The usual answer, which holds no form of it, is parsed from its bytes.
                var credential = connection.Credential;
                var utf8 = body.Value;
                var answer = new HttpAnswer(request.Method, (int)response.StatusCode, utf8.Array!, utf8.Count, utf8.Array!.Length > 0,
                    credential.AppearsIn(utf8.Array!, utf8.Count), credential.Redact, response.Content?.Headers.ContentType?.MediaType, response.Headers);
                if (trace.VerboseEnabled) trace.Verbose($"{Call()} -> {answer.Status} {response.ReasonPhrase} in {watch.ElapsedMilliseconds} ms, retry {RetryPolicy.RetryNumber}");
                if (trace.DebugEnabled) trace.Debug($"{Call()} response body: {Redaction.Body(answer.Body)}");
                return answer;
            }
            catch (Exception e) when (cancellationToken.IsCancellationRequested && (e is OperationCanceledException || e is ObjectDisposedException || e is HttpRequestException || e is System.IO.IOException))
            {
                if (trace.VerboseEnabled) trace.Verbose($"{Call()} -> cancelled after {watch.ElapsedMilliseconds} ms");
                throw new OperationCanceledException(cancellationToken);
            }
            catch (Exception e) when (timeout.IsCancellationRequested && (e is OperationCanceledException || e is ObjectDisposedException || e is HttpRequestException || e is System.IO.IOException))
            {
                if (trace.VerboseEnabled) trace.Verbose($"{Call()} -> no answer within {connection.Options.Timeout.TotalSeconds:0.#} s");
                throw new OtpException("Http.Timeout", OtpErrorCategory.OperationTimeout,
                    $"{provider}: no answer from {Url()} within {connection.Options.Timeout.TotalSeconds:0.#} s (-TimeoutSec)." +
                    (isGet ? "" : " The code may have been delivered."))
                { Provider = provider, MayHaveBeenDelivered = !isGet, SafeToRetry = isGet };
            }
            catch (Exception e) when (e is HttpRequestException || e is System.IO.IOException)
            {
                var failure = response == null ? BeforeSending(e) : ConnectFailure.None;
                var notSent = failure != ConnectFailure.None;
                var reason = e.GetBaseException().Message;
                if (trace.VerboseEnabled) trace.Verbose($"{Call()} -> failed after {watch.ElapsedMilliseconds} ms: {reason}");
                var errorId = failure == ConnectFailure.Tls ? "Http.TlsFailed" : notSent ? "Http.ConnectionFailed" : response == null ? "Http.ConnectionLost" : "Http.ResponseTruncated";
                var message = failure == ConnectFailure.Tls
                    ? $"{provider}: the secure (TLS) connection to {Url()} could not be established: {reason}. Nothing was sent."
                    : notSent
                    ? $"{provider}: could not connect to {Url()}: {reason}. Nothing was sent."
                    : $"{provider}: the connection to {Url()} broke before the whole answer arrived ({reason})." +
                      (isGet ? "" : " The code may have been delivered; it was not resent.");
                throw new OtpException(errorId, failure == ConnectFailure.Tls ? OtpErrorCategory.SecurityError : notSent ? OtpErrorCategory.ConnectionError : OtpErrorCategory.ProtocolError, message)
                {
                    Provider = provider,
                    HttpStatus = response == null ? (int?)null : (int)response.StatusCode,
                    MayHaveBeenDelivered = !notSent && !isGet,
                    SafeToRetry = notSent || isGet,
                    RecommendedAction = failure == ConnectFailure.Tls
                        ? "Check the certificate the server presents (trusted issuer, right host name, not expired). Behind a TLS-inspecting " +
                          "proxy, its root certificate must be trusted on this machine, or the provider's host must bypass the proxy " +
                          "(NO_PROXY); HTTPS_PROXY / NO_PROXY and the system proxy settings decide which proxy is used."
                        : notSent ? "Check the base URI, DNS, the network and the proxy settings (HTTPS_PROXY / NO_PROXY); sending the row again is safe." : null,
                };
            }
            finally
            {
                response?.Dispose();
            }
        }

        /// <summary>
        /// Reads an answer as a stream, decoded (gzip/deflate), stopping past <paramref name="limit"/> bytes: null then.
        /// A decompression bomb or an endless body ends in bounded memory and time. The bytes are in a buffer rented
        /// from the shared pool (the answer gives it back).
        /// </summary>
        private static async Task<ArraySegment<byte>?> ReadCappedAsync(HttpContent content, int limit, CancellationToken cancellationToken)
        {
            var declared = content.Headers.ContentEncoding.Count == 0 ? content.Headers.ContentLength : null;
            if (declared > limit) return null;
            var pool = ArrayPool<byte>.Shared;
            // A declared length is read straight into a buffer of its size (no copies; one byte more to see a body
            // longer than declared); otherwise the buffer doubles as the body comes, up to the limit.
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

        private static bool IsJson(string body)
        {
            try
            {
                using (JsonDocument.Parse(body)) return true;
            }
            catch (JsonException)
            {
                return false;
            }
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

        /// <summary>
        /// The error for an answer the provider's documented shapes do not explain: throttling and unavailability
        /// (retryable: the request was not processed), other server errors, or a body that is not the documented JSON.
        /// </summary>
        public static OtpException Unexpected(string provider, HttpAnswer answer)
        {
            var isGet = answer.Method == HttpMethod.Get;
            if (answer.Status == 429 || answer.Status == 503)
            {
                var busy = answer.Status == 429;
                var wait = answer.RetryAfter;
                return new OtpException(busy ? "Http.TooManyRequests" : "Http.ServiceUnavailable",
                    busy ? OtpErrorCategory.LimitsExceeded : OtpErrorCategory.ResourceUnavailable,
                    $"{provider} answered HTTP {answer.Status} ({(busy ? "too many requests" : "service unavailable")})" +
                    (wait == null ? "." : $"; it asks to retry after {wait.Value.TotalSeconds:0} s."))
                { Provider = provider, HttpStatus = answer.Status, RetryAfter = wait, SafeToRetry = true };
            }
            // The body was redacted when it was read, so cutting it here cannot leave half a key.
            var snippet = TerminalText.Safe(answer.Body.Length > 120 ? answer.Body.Substring(0, 120) + "..." : answer.Body);
            if (answer.IsSuccess && IsJson(answer.Body))
                return new OtpException("Http.IncompleteAnswer", OtpErrorCategory.InvalidResult,
                    $"{provider} answered HTTP {answer.Status} without the fields its documentation marks as returned on success " +
                    $"(such as the message id): {Redaction.Body(snippet)}" +
                    (isGet ? "" : " The request was accepted, but the answer cannot be read: the code may have been delivered; it was not resent."))
                { Provider = provider, HttpStatus = answer.Status, MayHaveBeenDelivered = !isGet, SafeToRetry = isGet };
            var serverError = answer.Status >= 500;
            return new OtpException(serverError ? "Http.ServerError" : "Http.UnexpectedResponse", OtpErrorCategory.InvalidResult,
                $"{provider} answered HTTP {answer.Status} with a body that is not the documented JSON: {Redaction.Body(snippet)}" +
                (isGet ? "" : " The code may have been delivered; it was not resent."))
            { Provider = provider, HttpStatus = answer.Status, MayHaveBeenDelivered = !isGet, SafeToRetry = isGet };
        }
    }
}
