using System;
using System.Buffers;
using System.Net.Http;
using System.Net.Http.Headers;
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
    /// Sends one attempt through the handlers (<see cref="HttpPipeline"/>) and classifies answers the provider's
    /// documented shapes do not explain.
    /// </summary>
    public static class HttpCall
    {
        /// <summary>The most a send's answer may hold once decoded (the documented answers are a few hundred bytes).</summary>
        public const int SendAnswerLimit = 1 << 20;
        /// <summary>The most a read's answer (a history or sender page of up to 1,000 rows) may hold once decoded.</summary>
        public const int PageAnswerLimit = 32 << 20;

        public static HttpRequestMessage Json(HttpMethod method, Uri uri, string json) =>
            new HttpRequestMessage(method, uri) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

        /// <summary>
        /// Sends one attempt through the connection's client, whose handlers (<see cref="HttpPipeline"/>) trace it, time it
        /// out and read the answer up to its cap; the answer's bytes come back in a pooled buffer.
        /// </summary>
        public static async Task<HttpAnswer> SendAsync(OtpConnection connection, HttpRequestMessage request,
            CancellationToken cancellationToken)
        {
            new HttpCallContext(connection, request).AttachTo(request);
            using var response = await connection.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!(response.Content is PooledAnswerContent body))
                throw new InvalidOperationException("This connection's HttpClient does not pass the OtpTools handlers (HttpPipeline): its answers would have no cap or timeout.");
            // The one point where provider text enters: an answer that echoes the credential (some APIs echo the
            // Authorization header) is read only through its redacted text, before any message, field or trace line is
            // made from it. The usual answer, which holds no form of it, is parsed from its bytes.
            var mediaType = body.Headers.ContentType?.MediaType;
            var utf8 = body.Take();
            var credential = connection.Credential;
            return new HttpAnswer(request.Method, (int)response.StatusCode, utf8.Array!, utf8.Count, utf8.Array!.Length > 0,
                credential.AppearsIn(utf8.Array!, utf8.Count), credential.Redact, mediaType, response.Headers);
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
