using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace OtpTools.Engine.Webhooks
{
    /// <summary>A request the listener refuses, with the status it answers.</summary>
    internal sealed class RefusedRequest : Exception
    {
        public RefusedRequest(int status, string reason) : base(reason) => Status = status;
        public int Status { get; }
    }

    /// <summary>
    /// The HTTP/1.1 a webhook needs, read by hand so that the listener decides everything itself: headers first (with
    /// a size cap), the body only after the headers are authenticated, every read bounded by the stop and a timeout.
    /// </summary>
    internal sealed class WebhookHttp
    {
        private readonly Stream _stream;
        private readonly byte[] _buffer;
        private int _start;
        private int _end;

        public WebhookHttp(Stream stream, byte[] buffer)
        {
            _stream = stream;
            _buffer = buffer;
        }

        public string Method { get; private set; } = "";
        public string Target { get; private set; } = "";
        public Dictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        public long? ContentLength { get; private set; }
        public bool Chunked { get; private set; }
        public bool ExpectsContinue { get; private set; }
        /// <summary>HTTP/1.1 without "Connection: close": the sender may send its next request on this connection.</summary>
        public bool KeepAlive { get; private set; }

        /// <summary>
        /// Forgets the request just answered and keeps what the sender has already sent of its next one, so that the
        /// next <see cref="ReadHeadAsync"/> reads it.
        /// </summary>
        public void NextRequest()
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
            Method = Target = "";
            Headers.Clear();
            ContentLength = null;
            Chunked = ExpectsContinue = KeepAlive = false;
        }

        /// <summary>Waits for the first byte of a kept connection's next request; false when the sender closed it first.</summary>
        public async Task<bool> WaitForRequestAsync(CancellationToken cancellationToken)
        {
            if (_end > 0) return true;
            _end = await ReadSomeAsync(_buffer, 0, _buffer.Length, cancellationToken).ConfigureAwait(false);
            return _end > 0;
        }

        /// <summary>Reads the request line and headers (all within the buffer); false when the sender closed before a byte.</summary>
        public async Task<bool> ReadHeadAsync(CancellationToken cancellationToken)
        {
            var scanned = 0;
            while (true)
            {
                var end = IndexOf(_buffer, _end, scanned);
                if (end >= 0)
                {
                    ParseHead(end);
                    _start = end + 4;
                    return true;
                }
                scanned = Math.Max(0, _end - 3);
                if (_end == _buffer.Length) throw new RefusedRequest(431, $"headers over {_buffer.Length} bytes");
                var read = await ReadSomeAsync(_buffer, _end, _buffer.Length - _end, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    if (_end == 0) return false;
                    throw new RefusedRequest(400, "the connection closed inside the headers");
                }
                _end += read;
            }
        }

        private static int IndexOf(byte[] buffer, int length, int from)
        {
            for (var i = from; i + 3 < length; i++)
                if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') return i;
            return -1;
        }

        private void ParseHead(int length)
        {
            string text;
            try
            {
                text = new UTF8Encoding(false, true).GetString(_buffer, 0, length);
            }
            catch (DecoderFallbackException)
            {
                throw new RefusedRequest(400, "the headers are not UTF-8");
            }
            var lines = text.Split(new[] { "\r\n" }, StringSplitOptions.None);
            var parts = lines[0].Split(' ');
            if (parts.Length != 3 || parts[0].Length == 0 || !parts[1].StartsWith("/", StringComparison.Ordinal) || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
                throw new RefusedRequest(400, "not an HTTP/1.1 request line");
            Method = parts[0];
            Target = parts[1];
            for (var i = 1; i < lines.Length; i++)
            {
                var line = lines[i];
                var colon = line.IndexOf(':');
                if (colon <= 0) throw new RefusedRequest(400, "a header line without a name");
                var name = line.Substring(0, colon);
                var value = line.Substring(colon + 1).Trim(' ', '\t');
                foreach (var c in name)
                    if (c <= ' ' || c >= 127 || c == '"' || c == '(' || c == ')' || c == ',' || c == '/' || c == ';' || c == '<' || c == '>' || c == '@' || c == '[' || c == ']' || c == '\\' || c == '{' || c == '}' || c == '=' || c == '?')
                        throw new RefusedRequest(400, "a header name holds a character a name may not");
                // A bare CR, NUL or escape in a value is refused, never compared with it taken out.
                foreach (var c in value)
                    if (c != '\t' && char.IsControl(c))
                        throw new RefusedRequest(400, $"the {name} header holds a control character");
                Headers[name] = Headers.TryGetValue(name, out var earlier) ? earlier + ", " + value : value;
            }
            if (Headers.TryGetValue("Transfer-Encoding", out var encoding))
            {
                if (!string.Equals(encoding, "chunked", StringComparison.OrdinalIgnoreCase) || Headers.ContainsKey("Content-Length"))
                    throw new RefusedRequest(400, "a Transfer-Encoding other than chunked, or one with a Content-Length");
                Chunked = true;
            }
            else if (Headers.TryGetValue("Content-Length", out var declared))
            {
                if (!long.TryParse(declared, NumberStyles.None, CultureInfo.InvariantCulture, out var contentLength))
                    throw new RefusedRequest(400, "a Content-Length that is not one number");
                ContentLength = contentLength;
            }
            ExpectsContinue = Headers.TryGetValue("Expect", out var expect) && string.Equals(expect, "100-continue", StringComparison.OrdinalIgnoreCase);
            KeepAlive = parts[2] == "HTTP/1.1" &&
                        !(Headers.TryGetValue("Connection", out var connection) && connection.IndexOf("close", StringComparison.OrdinalIgnoreCase) >= 0);
        }

        /// <summary>The body as text, at most <paramref name="limit"/> bytes (413 beyond it).</summary>
        public async Task<string> ReadBodyAsync(int limit, CancellationToken cancellationToken)
        {
            if (ContentLength > limit) throw new RefusedRequest(413, $"a body of {ContentLength} bytes, over {limit}");
            var body = new MemoryStream((int)Math.Min(ContentLength ?? 4096, 64 * 1024));
            if (Chunked) await ReadChunksAsync(body, limit, cancellationToken).ConfigureAwait(false);
            else await CopyAsync(body, ContentLength ?? 0, cancellationToken).ConfigureAwait(false);
            try
            {
                return new UTF8Encoding(false, true).GetString(body.GetBuffer(), 0, (int)body.Length);
            }
            catch (DecoderFallbackException)
            {
                throw new RefusedRequest(400, "the body is not UTF-8");
            }
        }

        private async Task CopyAsync(Stream into, long count, CancellationToken cancellationToken)
        {
            while (count > 0)
            {
                if (_start == _end) await FillAsync(cancellationToken).ConfigureAwait(false);
                var take = (int)Math.Min(count, _end - _start);
                into.Write(_buffer, _start, take);
                _start += take;
                count -= take;
            }
        }

        private async Task ReadChunksAsync(MemoryStream into, int limit, CancellationToken cancellationToken)
        {
            while (true)
            {
                var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
                var semicolon = line.IndexOf(';');
                var size = semicolon < 0 ? line : line.Substring(0, semicolon);
                if (!long.TryParse(size.Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var length) || length < 0)
                    throw new RefusedRequest(400, "a chunk size that is not a hex number");
                if (length == 0)
                {
                    while ((await ReadLineAsync(cancellationToken).ConfigureAwait(false)).Length > 0)
                    {
                        // Trailers are not used.
                    }
                    return;
                }
                if (into.Length + length > limit) throw new RefusedRequest(413, $"a chunked body over {limit} bytes");
                await CopyAsync(into, length, cancellationToken).ConfigureAwait(false);
                if ((await ReadLineAsync(cancellationToken).ConfigureAwait(false)).Length != 0) throw new RefusedRequest(400, "a chunk longer than its size");
            }
        }

        /// <summary>One CRLF-ended line of a chunked body, at most 1 KiB.</summary>
        private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
        {
            var line = new StringBuilder();
            while (true)
            {
                if (_start == _end) await FillAsync(cancellationToken).ConfigureAwait(false);
                var b = _buffer[_start++];
                if (b == '\n') return line.Length > 0 && line[line.Length - 1] == '\r' ? line.ToString(0, line.Length - 1) : line.ToString();
                if (line.Length >= 1024) throw new RefusedRequest(400, "a chunk line over 1 KiB");
                line.Append((char)b);
            }
        }

        private async Task FillAsync(CancellationToken cancellationToken)
        {
            _start = 0;
            _end = await ReadSomeAsync(_buffer, 0, _buffer.Length, cancellationToken).ConfigureAwait(false);
            if (_end == 0) throw new RefusedRequest(400, "the connection closed before the whole body arrived");
        }

        /// <summary>A read that ends when the token does, on every runtime (.NET Framework ignores the token once a read started).</summary>
        private async Task<int> ReadSomeAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            var read = _stream.ReadAsync(buffer, offset, count, cancellationToken);
            if (!read.IsCompleted)
            {
                var cancelled = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
                using (cancellationToken.Register(() => cancelled.TrySetCanceled()))
                {
                    if (await Task.WhenAny(read, cancelled.Task).ConfigureAwait(false) != read)
                    {
                        _ = read.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
                        throw new OperationCanceledException(cancellationToken);
                    }
                }
            }
            return await read.ConfigureAwait(false);
        }

        public Task WriteAsync(byte[] bytes, CancellationToken cancellationToken) => _stream.WriteAsync(bytes, 0, bytes.Length, cancellationToken);

        /// <summary>Reads and drops what the sender still sends (at most <paramref name="limit"/> bytes), so it reads the answer rather than a reset.</summary>
        public async Task DiscardAsync(long limit, CancellationToken cancellationToken)
        {
            var scratch = ArrayPool<byte>.Shared.Rent(4096);
            try
            {
                while (limit > 0)
                {
                    var read = await ReadSomeAsync(scratch, 0, (int)Math.Min(scratch.Length, limit), cancellationToken).ConfigureAwait(false);
                    if (read == 0) return;
                    limit -= read;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }
        }

        private static string Reason(int status) => status switch
        {
            100 => "Continue",
            200 => "OK",
            400 => "Bad Request",
            401 => "Unauthorized",
            404 => "Not Found",
            405 => "Method Not Allowed",
            408 => "Request Timeout",
            413 => "Content Too Large",
            431 => "Request Header Fields Too Large",
            503 => "Service Unavailable",
            _ => "Status",
        };

        private static readonly byte[] OkKeptOpen = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

        /// <summary>
        /// The bytes of an answer: no body, Retry-After with 503; the connection closes after it unless
        /// <paramref name="keepOpen"/> (a 200 to a sender that may send again on it).
        /// </summary>
        public static byte[] Answer(int status, int retryAfterSeconds, bool keepOpen = false)
        {
            if (status == 200 && keepOpen) return OkKeptOpen;
            var head = $"HTTP/1.1 {status.ToString(CultureInfo.InvariantCulture)} {Reason(status)}\r\n";
            if (status == 100) return Encoding.ASCII.GetBytes(head + "\r\n");
            head += "Content-Length: 0\r\nConnection: close\r\n";
            if (status == 503) head += $"Retry-After: {retryAfterSeconds.ToString(CultureInfo.InvariantCulture)}\r\n";
            if (status == 405) head += "Allow: POST\r\n";
            return Encoding.ASCII.GetBytes(head + "\r\n");
        }
    }
}
