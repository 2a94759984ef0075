using System;
using System.Diagnostics;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace OtpTools.Engine.Http
{
    /// <summary>What came back from one HTTP call.</summary>
    public sealed class HttpAnswer
    {
        public HttpAnswer(int status, string body, string? mediaType, HttpResponseHeaders headers)
        {
            Status = status;
            Body = body;
            MediaType = mediaType;
            Headers = headers;
        }

        public int Status { get; }
        public string Body { get; }
        public string? MediaType { get; }
        public HttpResponseHeaders Headers { get; }
        public bool IsSuccess => Status >= 200 && Status < 300;
    }

    /// <summary>Sends one request: timing, redacted trace lines, and transport failures as <see cref="OtpException"/>.</summary>
    public static class HttpCall
    {
        public static HttpRequestMessage Json(HttpMethod method, Uri uri, string json) =>
            new HttpRequestMessage(method, uri) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

        public static async Task<HttpAnswer> SendAsync(OtpConnection connection, HttpRequestMessage request,
            CancellationToken cancellationToken)
        {
            var provider = connection.Provider.Name;
            var trace = connection.Trace;
            var url = Redaction.Url(request.RequestUri!);
            if (request.Content != null)
                trace.Debug($"{provider} {request.Method} {url} request body: " +
                            Redaction.Body(await request.Content.ReadAsStringAsync().ConfigureAwait(false)));
            request.Headers.Accept.ParseAdd("application/json");

            var watch = Stopwatch.StartNew();
            HttpResponseMessage response;
            try
            {
                response = await connection.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                trace.Verbose($"{provider} {request.Method} {url} -> cancelled after {watch.ElapsedMilliseconds} ms");
                throw;
            }
            catch (Exception e) when (e is HttpRequestException || e is OperationCanceledException)
            {
                trace.Verbose($"{provider} {request.Method} {url} -> failed after {watch.ElapsedMilliseconds} ms: {e.GetBaseException().Message}");
                throw new OtpException("Http.ConnectionFailed", OtpErrorCategory.ConnectionError,
                    $"{provider}: the call to {url} failed: {e.GetBaseException().Message}", e)
                { Provider = provider, MayHaveBeenDelivered = request.Method != HttpMethod.Get };
            }

            using (response)
            {
                string body;
                try
                {
                    body = response.Content == null ? string.Empty
                        : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested &&
                                          (e is HttpRequestException || e is System.IO.IOException || e is OperationCanceledException))
                {
                    trace.Verbose($"{provider} {request.Method} {url} -> {(int)response.StatusCode}, body cut off after {watch.ElapsedMilliseconds} ms");
                    throw new OtpException("Http.ResponseTruncated", OtpErrorCategory.ProtocolError,
                        $"{provider}: the answer from {url} was cut off ({e.GetBaseException().Message}).", e)
                    { Provider = provider, HttpStatus = (int)response.StatusCode, MayHaveBeenDelivered = true };
                }

                var status = (int)response.StatusCode;
                trace.Verbose($"{provider} {request.Method} {url} -> {status} {response.ReasonPhrase} in {watch.ElapsedMilliseconds} ms");
                trace.Debug($"{provider} {request.Method} {url} response body: {Redaction.Body(body)}");
                return new HttpAnswer(status, body, response.Content?.Headers.ContentType?.MediaType, response.Headers);
            }
        }

        /// <summary>The error for an answer that is not the JSON the docs describe (an HTML error page, a cut body).</summary>
        public static OtpException Unexpected(string provider, HttpAnswer answer, Exception? inner = null)
        {
            var snippet = answer.Body.Length > 120 ? answer.Body.Substring(0, 120) + "..." : answer.Body;
            return new OtpException("Http.UnexpectedResponse", OtpErrorCategory.InvalidResult,
                $"{provider} answered HTTP {answer.Status} with a body that is not the documented JSON: {Redaction.Body(snippet)}",
                inner)
            { Provider = provider, HttpStatus = answer.Status, MayHaveBeenDelivered = true };
        }
    }
}
