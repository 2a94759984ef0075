using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using OtpTools.Engine.Credentials;
using OtpTools.Engine.Http;
using OtpTools.Engine.Providers.EngageLab;
using OtpTools.Engine.Providers.Otpiq;
using OtpTools.Engine.Webhooks;
using OtpTools.Sandbox;
using Xunit;

namespace OtpTools.Engine.Tests
{
    /// <summary>Measures allocation of the whole process: runs alone.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class ListenerMemoryCollection
    {
        public const string Name = "listener memory";
    }

    /// <summary>The webhook listener over real sockets: what a sender hears, what reaches the pipeline, what it costs.</summary>
    [Collection(ListenerMemoryCollection.Name)]
    public sealed class DeliveryReportListenerTests
    {
        private const string Token = "hook-token-5521-abcdef";
        private static readonly HttpClient Http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = TimeSpan.Zero })
        { Timeout = TimeSpan.FromSeconds(60) };
        /// <summary>A sender that keeps its connections open between reports, as a provider posting many does.</summary>
        private static readonly HttpClient Reusing = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 })
        { Timeout = TimeSpan.FromSeconds(60) };

        private sealed class Trace : IOtpTrace
        {
            public ConcurrentQueue<string> Lines { get; } = new ConcurrentQueue<string>();
            public bool VerboseEnabled => true;
            public bool DebugEnabled => true;
            public void Verbose(string message) => Lines.Enqueue(message);
            public void Debug(string message) => Lines.Enqueue(message);
            public void Warning(string message) => Lines.Enqueue("WARNING: " + message);
        }

        private static int FreePort() => SandboxServer.FreeLoopbackPort();

        private static DeliveryReportListener Otpiq(out string url, out Trace trace, ListenerLimits? limits = null, string secret = Token)
        {
            var port = FreePort();
            url = $"http://127.0.0.1:{port}/hooks/";
            trace = new Trace();
            var type = new OtpiqProviderType();
            var provider = new ResolvedProvider("Otpiq", type, new Uri("https://api.otpiq.com"));
            var listener = new DeliveryReportListener(url, provider, type.DeliveryWebhook!, new WebhookSecret(OtpCredential.ToSecure(secret)), trace, null, limits);
            listener.Start();
            return listener;
        }

        private static string Report(string id) =>
            $"{{\"smsId\":\"{id}\",\"deliveryReportType\":\"all\",\"isFinal\":true,\"channel\":\"sms\",\"status\":\"delivered\"}}";

        private static async Task<int> PostAsync(string url, string json, string? secret = Token, HttpClient? client = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            if (secret != null) request.Headers.TryAddWithoutValidation(OtpiqWebhook.SecretHeader, secret);
            try
            {
                using var answer = await (client ?? Http).SendAsync(request).ConfigureAwait(false);
                return (int)answer.StatusCode;
            }
            catch (HttpRequestException)
            {
                return 0;   // refused or reset: the provider sends again
            }
        }

        /// <summary>Sends raw bytes on a new connection and returns the connection (for more bytes, or to read the answer).</summary>
        private static async Task<Socket> ConnectAsync(string url, string head, byte[]? body = null)
        {
            var uri = new Uri(url);
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, uri.Port);
            await socket.SendAsync(Encoding.UTF8.GetBytes(head), SocketFlags.None);
            if (body != null) await socket.SendAsync(body, SocketFlags.None);
            return socket;
        }

        /// <summary>The status line of the answer and its headers (waits for the listener's answer, not for a time).</summary>
        private static async Task<string> AnswerOf(Socket socket)
        {
            var received = new MemoryStream();
            var chunk = new byte[4096];
            while (true)
            {
                int read;
                try
                {
                    read = await socket.ReceiveAsync(chunk, SocketFlags.None);
                }
                catch (SocketException)
                {
                    break;
                }
                if (read == 0) break;
                received.Write(chunk, 0, read);
                var text = Encoding.ASCII.GetString(received.ToArray());
                if (text.Contains("\r\n\r\n")) return text;
            }
            return Encoding.ASCII.GetString(received.ToArray());
        }

        private static string Head(string url, string extra, long length) =>
            $"POST {new Uri(url).AbsolutePath} HTTP/1.1\r\nHost: {new Uri(url).Authority}\r\nContent-Type: application/json\r\n{extra}Content-Length: {length}\r\n\r\n";

        /// <summary>
        /// The pipeline: writes each request's reports and acknowledges them, until <paramref name="stopAfter"/> reports;
        /// then (with <paramref name="backlog"/>, once that many requests wait) stops like -Count (<paramref name="drain"/>:
        /// the port closes and what was read is written) or like Ctrl+C (the listener is disposed, nothing more written).
        /// </summary>
        private static async Task<List<string>> ConsumeAsync(DeliveryReportListener listener, int stopAfter, bool drain, int backlog = 0)
        {
            var written = new List<string>();
            while (written.Count < stopAfter)
            {
                var pending = await listener.NextAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
                if (pending == null) continue;
                written.AddRange(pending.Reports.Select(r => r.MessageId!));
                pending.Acknowledge(true);
            }
            for (var i = 0; i < 1200 && listener.Queued < backlog; i++) await Task.Delay(25);
            Assert.True(listener.Queued >= backlog, $"only {listener.Queued} requests waited");
            if (drain)
            {
                foreach (var pending in listener.StopAccepting())
                {
                    written.AddRange(pending.Reports.Select(r => r.MessageId!));
                    pending.Acknowledge(true);
                }
            }
            listener.Dispose();
            return written;
        }

        [Theory]
        [InlineData(true, false)]
        [InlineData(false, false)]
        [InlineData(true, true)]
        [InlineData(false, true)]
        public async Task Every_report_answered_200_is_on_the_pipeline_once_whichever_way_the_listener_stops(bool drain, bool keepConnections)
        {
            var listener = Otpiq(out var url, out _);
            var acknowledged = new ConcurrentBag<string>();
            var refused = 0;
            var consumer = Task.Run(() => ConsumeAsync(listener, stopAfter: 300, drain, backlog: 8));
            // 16 senders post distinct reports until the listener stops answering them.
            var senders = Enumerable.Range(0, 16).Select(sender => Task.Run(async () =>
            {
                for (var i = 0; ; i++)
                {
                    var id = $"s{sender:D2}-{i:D5}";
                    var status = await PostAsync(url, Report(id), client: keepConnections ? Reusing : Http);
                    if (status == 200) acknowledged.Add(id);
                    else if (status == 503 || status == 0)
                    {
                        Interlocked.Increment(ref refused);
                        if (consumer.IsCompleted) return;
                    }
                    else throw new InvalidOperationException($"answered {status}");
                }
            })).ToArray();
            var written = await consumer;
            await Task.WhenAll(senders);
            Assert.True(written.Count >= 300);
            Assert.Equal(written.Count, written.Distinct().Count());
            var missing = acknowledged.Except(written).ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} reports answered 200 never reached the pipeline: {string.Join(", ", missing.Take(5))}");
            // Nothing is written that its sender did not hear 200 for, except when the sender's connection broke first.
            Assert.True(written.Count - acknowledged.Count <= 16, $"{written.Count} written, {acknowledged.Count} acknowledged");
            Assert.True(refused >= 16);
        }

        [Fact]
        public async Task A_sender_that_keeps_its_connection_is_answered_on_it_and_an_idle_one_closes_quietly_at_the_stop()
        {
            var listener = Otpiq(out var url, out _);
            var consumer = Task.Run(() => ConsumeAsync(listener, stopAfter: 4, drain: true));
            var first = Encoding.UTF8.GetBytes(Report("kept-1"));
            var second = Encoding.UTF8.GetBytes(Report("kept-2"));
            var secret = $"{OtpiqWebhook.SecretHeader}: {Token}\r\n";
            using var socket = await ConnectAsync(url, Head(url, secret, first.Length), first);
            var answer = await AnswerOf(socket);
            Assert.StartsWith("HTTP/1.1 200", answer);
            Assert.DoesNotContain("Connection: close", answer);
            // The next report on the same connection, then one that asks to close it.
            await socket.SendAsync(Encoding.UTF8.GetBytes(Head(url, secret, second.Length)).Concat(second).ToArray(), SocketFlags.None);
            Assert.StartsWith("HTTP/1.1 200", await AnswerOf(socket));
            var third = Encoding.UTF8.GetBytes(Report("closed-3"));
            await socket.SendAsync(Encoding.UTF8.GetBytes(Head(url, secret + "Connection: close\r\n", third.Length)).Concat(third).ToArray(), SocketFlags.None);
            var last = await AnswerOf(socket);
            Assert.StartsWith("HTTP/1.1 200", last);
            Assert.Contains("Connection: close", last);
            Assert.Equal(0, await socket.ReceiveAsync(new byte[16], SocketFlags.None));
            // An idle kept connection when the listener stops (after this fourth report): closed without an answer it did not ask for.
            var fourth = Encoding.UTF8.GetBytes(Report("idle-4"));
            using var idle = await ConnectAsync(url, Head(url, secret, fourth.Length), fourth);
            Assert.StartsWith("HTTP/1.1 200", await AnswerOf(idle));
            Assert.Equal(new[] { "kept-1", "kept-2", "closed-3", "idle-4" }, await consumer);
            var rest = new byte[64];
            Assert.Equal(0, await idle.ReceiveAsync(rest, SocketFlags.None));
        }

        [Fact]
        public async Task A_request_whose_body_is_still_arriving_when_the_listener_stops_is_answered_503_with_Retry_After()
        {
            var listener = Otpiq(out var url, out var trace);
            var body = Encoding.UTF8.GetBytes(Report("half-sent"));
            using var socket = await ConnectAsync(url, Head(url, $"{OtpiqWebhook.SecretHeader}: {Token}\r\n", body.Length), body.Take(body.Length - 1).ToArray());
            // The headers are in and authenticated once the listener is reading the body; wait for that, not a time.
            await WaitUntil(() => listener.ReadingBodies == 1);
            var left = listener.StopAccepting();
            Assert.Empty(left);
            var answer = await AnswerOf(socket);
            listener.Dispose();
            Assert.StartsWith("HTTP/1.1 503", answer);
            Assert.Contains("Retry-After: 30", answer);
            Assert.Equal(0, listener.Answered.GetValueOrDefault(200));
        }

        private static async Task WaitUntil(Func<bool> condition)
        {
            for (var i = 0; i < 600 && !condition(); i++) await Task.Delay(50);
            Assert.True(condition());
        }

        [Fact]
        public async Task An_unauthenticated_sender_hears_401_before_it_has_sent_its_body()
        {
            using var listener = Otpiq(out var url, out _);
            // A whole mebibyte declared, not a byte of it sent: the answer comes from the headers alone.
            using var socket = await ConnectAsync(url, Head(url, $"{OtpiqWebhook.SecretHeader}: guess\r\n", DeliveryReportListener.BodyLimit));
            Assert.StartsWith("HTTP/1.1 401", await AnswerOf(socket));
            using var unsigned = await ConnectAsync(url, Head(url, "", DeliveryReportListener.BodyLimit));
            Assert.StartsWith("HTTP/1.1 401", await AnswerOf(unsigned));
        }

        [Fact]
        public async Task Four_hundred_stalled_unauthenticated_senders_cost_little_memory_and_an_authentic_one_is_served_meanwhile()
        {
            var listener = Otpiq(out var url, out _);
            var half = new byte[DeliveryReportListener.BodyLimit / 2];
            Array.Fill(half, (byte)'x');
            GC.Collect();
            var before = GC.GetTotalAllocatedBytes(true);
            var stalled = new List<Socket>();
            try
            {
                for (var i = 0; i < 400; i++)
                    stalled.Add(await ConnectAsync(url, Head(url, i % 2 == 0 ? "" : $"{OtpiqWebhook.SecretHeader}: wrong\r\n", DeliveryReportListener.BodyLimit), half));
                var consumer = Task.Run(() => ConsumeAsync(listener, stopAfter: 1, drain: true));
                Assert.Equal(200, await PostAsync(url, Report("served-meanwhile")));
                Assert.Equal(new[] { "served-meanwhile" }, await consumer);
                var allocated = GC.GetTotalAllocatedBytes(true) - before;
                // 400 × half a MiB sent; the listener reads headers (16 KiB each at most) and drops the rest in 4 KiB pieces.
                Assert.True(allocated < 50L << 20, $"{allocated >> 20} MiB allocated while 400 senders stalled");
                var answers = await Task.WhenAll(stalled.Take(20).Select(AnswerOf));
                Assert.All(answers, a => Assert.Matches("^HTTP/1.1 (401|503)", a));
            }
            finally
            {
                foreach (var socket in stalled) socket.Dispose();
                listener.Dispose();
            }
        }

        [Fact]
        public async Task Connections_beyond_the_bound_are_answered_503()
        {
            // Headers may take a minute here: the four slow senders hold their slots however long the machine takes.
            using var listener = Otpiq(out var url, out _, new ListenerLimits { MaxConnections = 4, HeaderTimeout = TimeSpan.FromMinutes(1) });
            var slow = new List<Socket>();
            for (var i = 0; i < 4; i++) slow.Add(await ConnectAsync(url, "POST /hooks/ HTTP/1.1\r\nHost: x\r\n"));
            try
            {
                await WaitUntil(() => listener.Serving == 4);
                using var over = await ConnectAsync(url, Head(url, $"{OtpiqWebhook.SecretHeader}: {Token}\r\n", 2), Encoding.ASCII.GetBytes("{}"));
                var answer = await AnswerOf(over);
                // The fifth is told to come back: never served past the bound.
                Assert.StartsWith("HTTP/1.1 503", answer);
                Assert.Contains("Retry-After:", answer);
            }
            finally
            {
                foreach (var socket in slow) socket.Dispose();
            }
        }

        [Fact]
        public async Task Headers_that_never_end_are_answered_408()
        {
            using var listener = Otpiq(out var url, out _, new ListenerLimits { HeaderTimeout = TimeSpan.FromMilliseconds(300) });
            using var slow = await ConnectAsync(url, "POST /hooks/ HTTP/1.1\r\nHost: x\r\n");
            Assert.StartsWith("HTTP/1.1 408", await AnswerOf(slow));
        }

        [Fact]
        public async Task An_authenticated_body_that_stops_arriving_is_answered_408_and_never_written()
        {
            var listener = Otpiq(out var url, out _, new ListenerLimits { BodyTimeout = TimeSpan.FromMilliseconds(300) });
            try
            {
                var body = Encoding.UTF8.GetBytes(Report("stalled-body"));
                using var socket = await ConnectAsync(url, Head(url, $"{OtpiqWebhook.SecretHeader}: {Token}\r\n", body.Length), body.Take(10).ToArray());
                Assert.StartsWith("HTTP/1.1 408", await AnswerOf(socket));
                Assert.Equal(0, listener.Queued);
                Assert.Equal(0, listener.Answered.GetValueOrDefault(200));
            }
            finally
            {
                listener.Dispose();
            }
        }

        [Theory]
        [InlineData("abc\rdef")]
        [InlineData("abc\u0000def")]
        [InlineData("abc\u001b[2Jdef")]
        public async Task A_header_value_with_a_control_character_is_refused_not_compared_without_it(string value)
        {
            using var listener = Otpiq(out var url, out _, secret: "abcdef");
            var body = Encoding.UTF8.GetBytes(Report("ctl"));
            using var socket = await ConnectAsync(url, Head(url, $"{OtpiqWebhook.SecretHeader}: {value}\r\n", body.Length), body);
            Assert.StartsWith("HTTP/1.1 400", await AnswerOf(socket));
            Assert.Equal(0, listener.Answered.GetValueOrDefault(200));
        }

        [Fact]
        public async Task A_secret_with_non_ASCII_characters_sent_as_UTF_8_is_accepted()
        {
            const string secret = "clé-秘密-ü";
            var listener = Otpiq(out var url, out _, secret: secret);
            var consumer = Task.Run(() => ConsumeAsync(listener, stopAfter: 1, drain: true));
            var body = Encoding.UTF8.GetBytes(Report("utf8"));
            using var socket = await ConnectAsync(url, Head(url, $"{OtpiqWebhook.SecretHeader}: {secret}\r\n", body.Length), body);
            Assert.StartsWith("HTTP/1.1 200", await AnswerOf(socket));
            Assert.Equal(new[] { "utf8" }, await consumer);
        }

        [Fact]
        public async Task Chunked_bodies_and_Expect_100_continue_are_read_after_the_headers_authenticate()
        {
            var listener = Otpiq(out var url, out _);
            var consumer = Task.Run(() => ConsumeAsync(listener, stopAfter: 2, drain: true));
            var json = Report("chunked");
            var chunked = $"POST /hooks/ HTTP/1.1\r\nHost: x\r\n{OtpiqWebhook.SecretHeader}: {Token}\r\nTransfer-Encoding: chunked\r\n\r\n" +
                          $"{10:x}\r\n{json.Substring(0, 10)}\r\n{json.Length - 10:x}\r\n{json.Substring(10)}\r\n0\r\n\r\n";
            using (var socket = await ConnectAsync(url, chunked)) Assert.StartsWith("HTTP/1.1 200", await AnswerOf(socket));
            var body = Encoding.UTF8.GetBytes(Report("continued"));
            using (var socket = await ConnectAsync(url, Head(url, $"{OtpiqWebhook.SecretHeader}: {Token}\r\nExpect: 100-continue\r\n", body.Length)))
            {
                Assert.StartsWith("HTTP/1.1 100", await AnswerOf(socket));
                await socket.SendAsync(body, SocketFlags.None);
                Assert.StartsWith("HTTP/1.1 200", await AnswerOf(socket));
            }
            Assert.Equal(new[] { "chunked", "continued" }, await consumer);
        }

        [Theory]
        [InlineData("https://+:8443/otpiq/", "Webhook.HttpsNotServed", "reverse proxy")]
        [InlineData("http://0.0.0.0:8080/otpiq/", "Webhook.InvalidPrefix", "http://+:8080/otpiq/")]
        [InlineData("http://hooks.example.com:8080/otpiq/", "Webhook.InvalidPrefix", "localhost")]
        [InlineData("http://localhost:8080/otpiq", "Webhook.InvalidPrefix", "ending in '/'")]
        public void A_prefix_the_listener_cannot_serve_is_refused_naming_the_fix(string prefix, string errorId, string fix)
        {
            var error = Assert.Throws<OtpException>(() => DeliveryReportListener.CheckPrefix(prefix));
            Assert.Equal(errorId, error.ErrorId);
            Assert.Contains(fix, error.Message);
            Assert.Equal("Prefix", error.ParameterName);
        }

        [Fact]
        public void Listening_on_every_interface_says_so_once()
        {
            var port = FreePort();
            var trace = new Trace();
            var type = new OtpiqProviderType();
            using var listener = new DeliveryReportListener($"http://+:{port}/x/", new ResolvedProvider("Otpiq", type, new Uri("https://api.otpiq.com")),
                type.DeliveryWebhook!, new WebhookSecret(OtpCredential.ToSecure(Token)), trace);
            listener.Start();
            Assert.Single(trace.Lines, l => l.StartsWith("WARNING: Listening on every network interface", StringComparison.Ordinal));
        }

        [Fact]
        public async Task An_EngageLab_callback_replayed_to_a_restarted_listener_is_refused()
        {
            var file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "otptools-replay-" + Guid.NewGuid().ToString("N"), "nonces.txt");
            var type = new EngageLabProviderType();
            var provider = new ResolvedProvider("EngageLab", type, new Uri("https://otp.api.engagelab.cc"));
            var pair = new WebhookSecret(OtpCredential.ToSecure("callback-secret"), "callback-user");
            var body = "{\"total\":1,\"rows\":[{\"message_id\":\"m-replay\",\"to\":\"+8613800138000\",\"channel\":\"sms\",\"status\":{\"message_status\":\"delivered\"}}]}";
            var signature = SandboxWebhooks.EngageLabSignature("callback-user", "callback-secret", DateTimeOffset.UtcNow.ToUnixTimeSeconds(), "nonce-77");
            async Task<(string Answer, List<string> Written)> Deliver(bool accepted)
            {
                var port = FreePort();
                var url = $"http://127.0.0.1:{port}/engagelab/";
                var listener = new DeliveryReportListener(url, provider, type.DeliveryWebhook!, pair, new Trace(), new ReplayGuard(file));
                listener.Start();
                var consumer = accepted ? Task.Run(() => ConsumeAsync(listener, stopAfter: 1, drain: true)) : null;
                using var socket = await ConnectAsync(url, Head(url, $"{EngageLabWebhook.SignatureHeader}: {signature}\r\n", Encoding.UTF8.GetByteCount(body)), Encoding.UTF8.GetBytes(body));
                var answer = await AnswerOf(socket);
                if (consumer == null)
                {
                    listener.Dispose();
                    return (answer, new List<string>());
                }
                return (answer, await consumer);
            }
            try
            {
                var first = await Deliver(accepted: true);
                Assert.StartsWith("HTTP/1.1 200", first.Answer);
                Assert.Equal(new[] { "m-replay" }, first.Written);
                var replayed = await Deliver(accepted: false);
                Assert.StartsWith("HTTP/1.1 401", replayed.Answer);
                Assert.Empty(replayed.Written);
            }
            finally
            {
                System.IO.Directory.Delete(System.IO.Path.GetDirectoryName(file)!, true);
            }
        }
    }
}
