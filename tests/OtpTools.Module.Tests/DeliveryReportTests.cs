using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using OtpTools.Sandbox;
using Xunit;

namespace OtpTools.Module.Tests
{
    /// <summary>Receive-OtpDeliveryReport: authenticated webhooks in, one report per event out.</summary>
    [Collection(ModuleCollection.Name)]
    public sealed class DeliveryReportTests
    {
        private const string Token = "hook-token-5521-abcdef";
        private const string CallbackUser = "callback-user";
        private const string CallbackSecret = "callback-secret-7781-xyz";
        private static readonly HttpClient Http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { Timeout = TimeSpan.FromSeconds(30) };
        private readonly ModuleFixture _m;
        public DeliveryReportTests(ModuleFixture fixture) => _m = fixture;

        private static int FreePort() => SandboxServer.FreeLoopbackPort();

        private static Dictionary<string, object?> Vars(string prefix) => new Dictionary<string, object?>
        {
            ["prefix"] = prefix,
            ["secret"] = ModuleFixture.Secure(Token),
            ["pair"] = new PSCredential(CallbackUser, ModuleFixture.Secure(CallbackSecret)),
            ["otpiqKey"] = ModuleFixture.Secure(SandboxKeys.Otpiq),
            ["blueKey"] = ModuleFixture.Secure(SandboxKeys.OtpBlue),
        };

        /// <summary>Waits until the listener answers (a GET is 405), so posts do not race its start.</summary>
        private static void WaitUntilListening(string prefix)
        {
            var until = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < until)
            {
                try
                {
                    using var answer = Http.GetAsync(prefix).GetAwaiter().GetResult();
                    if (answer.StatusCode == HttpStatusCode.MethodNotAllowed) return;
                }
                catch (HttpRequestException)
                {
                }
                Thread.Sleep(50);
            }
            throw new TimeoutException("the listener never started on " + prefix);
        }

        private static int Post(string url, string json, params (string Name, string Value)[] headers) =>
            PostAsync(url, json, headers).GetAwaiter().GetResult();

        private static async Task<int> PostAsync(string url, string json, params (string Name, string Value)[] headers)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
            using var answer = await Http.SendAsync(request).ConfigureAwait(false);
            return (int)answer.StatusCode;
        }

        /// <summary>Runs the listener while <paramref name="post"/> talks to it; returns the run and what post returned.</summary>
        private (ScriptRun Run, T Posted) Listen<T>(string arguments, Func<string, T> post, string host = "127.0.0.1")
        {
            var port = FreePort();
            var prefix = $"http://{host}:{port}/hooks/";
            var local = $"http://127.0.0.1:{port}/hooks/";
            T posted = default!;
            var run = _m.Run($"Receive-OtpDeliveryReport -Prefix $prefix {arguments}", Vars(prefix), whileRunning: _ =>
            {
                WaitUntilListening(local);
                posted = post(local);
            });
            return (run, posted);
        }

        private static string OtpiqReport(string smsId, string status = "delivered", bool isFinal = true) =>
            $"{{\"smsId\":\"{smsId}\",\"deliveryReportType\":\"all\",\"isFinal\":{(isFinal ? "true" : "false")},\"channel\":\"sms\",\"status\":\"{status}\"}}";

        [Fact]
        public void Otpiq_reports_with_the_right_secret_are_written_and_a_wrong_or_missing_one_gets_401_and_nothing()
        {
            var (run, statuses) = Listen("-Provider Otpiq -WebhookSecret $secret -Count 1 -Timeout 00:00:30 -Verbose", prefix => new[]
            {
                Post(prefix, OtpiqReport("sms-forged"), ("X-OTPIQ-Webhook-Secret", "not-the-secret")),
                Post(prefix, OtpiqReport("sms-unsigned")),
                Post(prefix, "this is not json", ("X-OTPIQ-Webhook-Secret", Token)),
                Post(prefix, OtpiqReport("sms-good"), ("X-OTPIQ-Webhook-Secret", Token)),
            });
            Assert.Equal(new[] { 401, 401, 400, 200 }, statuses);
            var report = Assert.Single(run.Objects<OtpDeliveryReport>());
            Assert.Equal("sms-good", report.MessageId);
            Assert.Equal("delivered", report.Status);
            Assert.True(report.IsFinal);
            Assert.Equal("sms", report.Channel);
            Assert.Equal("Otpiq", report.Provider);
            Assert.Equal("IQD", report.Currency);
            Assert.Empty(run.Errors);
            // The refusals are explained without the secret.
            Assert.Contains(run.Verbose, v => v.Contains("refused (401)") && v.Contains("does not match"));
            Assert.Contains(run.Verbose, v => v.Contains("answered 400"));
            Assert.DoesNotContain(run.Verbose, v => v.Contains(Token));
        }

        [Fact]
        public void Refused_webhooks_are_a_warning_once_per_cause_and_counted_when_the_listener_stops()
        {
            var (run, statuses) = Listen("-Provider Otpiq -WebhookSecret $secret -Count 1 -Timeout 00:00:30", prefix => new[]
            {
                Post(prefix, OtpiqReport("sms-f1"), ("X-OTPIQ-Webhook-Secret", "guess-1")),
                Post(prefix, OtpiqReport("sms-f2"), ("X-OTPIQ-Webhook-Secret", "guess-2")),
                Post(prefix, OtpiqReport("sms-f3"), ("X-OTPIQ-Webhook-Secret", "guess-3")),
                Post(prefix, OtpiqReport("sms-unsigned")),
                Post(prefix, OtpiqReport("sms-good"), ("X-OTPIQ-Webhook-Secret", Token)),
            });
            Assert.Equal(new[] { 401, 401, 401, 401, 200 }, statuses);
            Assert.Single(run.Warnings, w => w.Contains("does not match"));
            Assert.Single(run.Warnings, w => w.Contains("no X-OTPIQ-Webhook-Secret header"));
            Assert.Single(run.Warnings, w => w.Contains("refused requests: 4 answered 401 (not authentic)"));
            Assert.DoesNotContain(run.Warnings, w => w.Contains("guess") || w.Contains(Token));
        }

        [Fact]
        public void OtpBlue_reports_need_the_Authorization_value_of_the_send()
        {
            var body = "{\"message_id\":\"ac5408f5-d311\",\"contact\":\"+61412345678\",\"status\":\"failed\",\"error_code\":150}";
            var (run, statuses) = Listen("-Provider OtpBlue -WebhookSecret $secret -Count 1 -Timeout 00:00:30", prefix => new[]
            {
                Post(prefix, body, ("Authorization", "Bearer " + Token)),
                Post(prefix, body, ("Authorization", Token)),
            });
            Assert.Equal(new[] { 401, 200 }, statuses);
            var report = Assert.Single(run.Objects<OtpDeliveryReport>());
            Assert.Equal("ac5408f5-d311", report.MessageId);
            Assert.Equal("+61412345678", report.Recipient);
            Assert.Equal("failed", report.Status);
            Assert.Equal("150", report.ErrorCode);
            Assert.Equal(body, report.RawJson);
        }

        private static string EngageLabBody(params string[] ids) =>
            "{\"total\":" + ids.Length + ",\"rows\":[" + string.Join(",", ids.Select(id =>
                "{\"message_id\":\"" + id + "\",\"to\":\"+8613800138000\",\"server\":\"otp\",\"channel\":\"sms\",\"itime\":1725407449," +
                "\"custom_args\":{},\"status\":{\"message_status\":\"delivered\",\"status_data\":{},\"billing\":{\"cost\":0.0035,\"currency\":\"USD\"}," +
                "\"error_code\":0,\"error_detail\":{\"message\":\"\"}}}")) + "]}";

        private static (string, string) Signed(long timestamp, string nonce, string secret = CallbackSecret, string user = CallbackUser) =>
            ("X-CALLBACK-ID", SandboxWebhooks.EngageLabSignature(user, secret, timestamp, nonce));

        [Fact]
        public void EngageLab_callbacks_are_checked_for_signature_age_and_replay_and_the_url_check_is_answered()
        {
            var now = DateTimeOffset.UtcNow;
            var (run, statuses) = Listen("-Provider EngageLab -Credential $pair -Count 3 -Timeout 00:00:30", prefix => new[]
            {
                Post(prefix, "{}"),                                                                         // URL check, unsigned
                Post(prefix, EngageLabBody("m-wrong"), Signed(now.ToUnixTimeSeconds(), "n1", secret: "other-secret")),
                Post(prefix, EngageLabBody("m-user"), Signed(now.ToUnixTimeSeconds(), "n2", user: "someone-else")),
                Post(prefix, EngageLabBody("m-stale"), Signed(now.AddMinutes(-6).ToUnixTimeSeconds(), "n3")),
                Post(prefix, EngageLabBody("m-1", "m-2"), Signed(now.ToUnixTimeSeconds(), "n4")),
                Post(prefix, EngageLabBody("m-replayed"), Signed(now.ToUnixTimeSeconds(), "n4")),   // same nonce again
                Post(prefix, EngageLabBody("m-none")),                                              // no signature at all
                Post(prefix, EngageLabBody("m-3"), Signed(now.ToUnixTimeMilliseconds(), "n5")),     // 13 digits: milliseconds
            });
            Assert.Equal(new[] { 200, 401, 401, 401, 200, 401, 401, 200 }, statuses);
            var reports = run.Objects<OtpDeliveryReport>().ToList();
            Assert.Equal(new[] { "m-1", "m-2", "m-3" }, reports.Select(r => r.MessageId));
            Assert.All(reports, r =>
            {
                Assert.Equal("delivered", r.Status);
                Assert.True(r.IsFinal);
                Assert.Equal(0.0035m, r.Cost);
                Assert.Equal("USD", r.Currency);
                Assert.Null(r.ErrorCode);
            });
        }

        [Fact]
        public void An_oversized_body_gets_413_and_the_listener_goes_on()
        {
            var huge = "{\"smsId\":\"sms-big\",\"status\":\"delivered\",\"pad\":\"" + new string('x', 1_100_000) + "\"}";
            var (run, statuses) = Listen("-Provider Otpiq -WebhookSecret $secret -Count 1 -Timeout 00:00:30", prefix => new[]
            {
                Post(prefix, huge, ("X-OTPIQ-Webhook-Secret", Token)),
                Post(prefix, OtpiqReport("sms-after"), ("X-OTPIQ-Webhook-Secret", Token)),
            });
            Assert.Equal(new[] { 413, 200 }, statuses);
            Assert.Equal("sms-after", Assert.Single(run.Objects<OtpDeliveryReport>()).MessageId);
        }

        [Fact]
        public void A_thousand_concurrent_webhooks_are_each_written_exactly_once()
        {
            var ids = Enumerable.Range(1, 1000).Select(i => $"sms-{i:D5}").ToList();
            var (run, statuses) = Listen("-Provider Otpiq -WebhookSecret $secret -Count 1000 -Timeout 00:02:00", prefix =>
                Task.WhenAll(ids.Select(id => PostAsync(prefix, OtpiqReport(id), ("X-OTPIQ-Webhook-Secret", Token)))).GetAwaiter().GetResult());
            Assert.All(statuses, s => Assert.Equal(200, s));
            var written = run.Objects<OtpDeliveryReport>().Select(r => r.MessageId).ToList();
            Assert.Equal(1000, written.Count);
            Assert.Equal(ids.OrderBy(i => i), written.OrderBy(i => i));
            Assert.Empty(run.Errors);
        }

        [Fact]
        public void Otpiq_send_then_sandbox_webhook_then_report_on_the_pipeline()
        {
            var port = FreePort();
            var prefix = $"http://127.0.0.1:{port}/otpiq/";
            var run = _m.Run(@"
$receipt = Send-OtpCode -Provider Otpiq -ApiKey $otpiqKey -To 9647501234571 -Code 445566 -WebhookUrl $prefix -WebhookSecret $secret
$receipt
Receive-OtpDeliveryReport -Provider Otpiq -Prefix $prefix -WebhookSecret $secret -Count 2 -Timeout 00:00:30", Vars(prefix));
            var receipt = Assert.Single(run.Objects<OtpSendResult>());
            Assert.True(receipt.Success, receipt.ErrorMessage);
            var reports = run.Objects<OtpDeliveryReport>().ToList();
            // "all": sent, then delivered; both join the receipt by MessageId.
            Assert.Equal(new[] { "sent", "delivered" }, reports.Select(r => r.Status));
            Assert.All(reports, r => Assert.Equal(receipt.MessageId, r.MessageId));
            Assert.Equal(new bool?[] { false, true }, reports.Select(r => r.IsFinal));
        }

        [Fact]
        public void OtpBlue_send_then_sandbox_webhook_then_report_on_the_pipeline()
        {
            var prefix = $"http://127.0.0.1:{FreePort()}/otpblue/";
            var run = _m.Run(@"
$receipt = Send-OtpCode -Provider OtpBlue -ApiKey $blueKey -To +61412345990 -Code 7788 -StatusCallback $prefix -StatusCallbackHeader $secret
$receipt
Receive-OtpDeliveryReport -Provider OtpBlue -Prefix $prefix -WebhookSecret $secret -Count 1 -Timeout 00:00:30", Vars(prefix));
            var receipt = Assert.Single(run.Objects<OtpSendResult>());
            Assert.True(receipt.Success, receipt.ErrorMessage);
            var report = Assert.Single(run.Objects<OtpDeliveryReport>());
            Assert.Equal(receipt.MessageId, report.MessageId);
            Assert.Equal("delivered", report.Status);
            Assert.Equal("+61412345990", report.Recipient);
        }

        [Fact]
        public void EngageLab_sandbox_callbacks_reach_the_listener_signed_after_its_url_check()
        {
            var prefix = $"http://127.0.0.1:{FreePort()}/engagelab/";
            var engage = _m.Sandbox.EngageLab;
            int check = 0;
            var run = _m.Run(@"Receive-OtpDeliveryReport -Provider EngageLab -Prefix $prefix -Credential $pair -Count 2 -Timeout 00:00:30",
                Vars(prefix), whileRunning: _ =>
                {
                    WaitUntilListening(prefix);
                    engage.CallbackUrl = prefix;
                    engage.CallbackUserName = CallbackUser;
                    engage.CallbackSecret = CallbackSecret;
                    try
                    {
                        check = engage.CheckCallbackUrlAsync().GetAwaiter().GetResult();
                        var send = _m.Run("Send-OtpCode -Provider EngageLab -To ('+86138004' + (Get-Random -Minimum 10000 -Maximum 99999)) -TemplateId test-template-1 -Credential $c",
                            new Dictionary<string, object?> { ["c"] = new PSCredential(SandboxKeys.EngageLabDevKey, ModuleFixture.Secure(SandboxKeys.EngageLabDevSecret)) });
                        Assert.True(Assert.Single(send.Objects<OtpSendResult>()).Success);
                    }
                    finally
                    {
                        engage.CallbackUrl = null;
                    }
                });
            Assert.Equal(200, check);
            Assert.Equal(new[] { "sent", "delivered" }, run.Objects<OtpDeliveryReport>().Select(r => r.Status));
            Assert.Equal(new bool?[] { false, true }, run.Objects<OtpDeliveryReport>().Select(r => r.IsFinal));
        }

        [Fact]
        public void After_Count_the_port_is_released_and_a_late_webhook_is_refused_rather_than_silently_answered()
        {
            var (run, late) = Listen("-Provider Otpiq -WebhookSecret $secret -Count 1 -Timeout 00:00:30", prefix =>
            {
                Assert.Equal(200, Post(prefix, OtpiqReport("sms-first"), ("X-OTPIQ-Webhook-Secret", Token)));
                // Once the port is closed (an event, not a time), a webhook is refused, never answered 200.
                var port = new Uri(prefix).Port;
                SpinWait.SpinUntil(() =>
                {
                    try
                    {
                        using var probe = new TcpClient();
                        probe.Connect(IPAddress.Loopback, port);
                        return false;
                    }
                    catch (SocketException)
                    {
                        return true;
                    }
                }, TimeSpan.FromSeconds(30));
                try
                {
                    return Post(prefix, OtpiqReport("sms-late"), ("X-OTPIQ-Webhook-Secret", Token));
                }
                catch (HttpRequestException)
                {
                    return 0; // refused: OTPIQ sends it again later
                }
            });
            Assert.NotEqual(200, late);
            Assert.Equal("sms-first", Assert.Single(run.Objects<OtpDeliveryReport>()).MessageId);
        }

        /// <summary>
        /// 16 senders post distinct reports until the listener stops answering them, logging each 200; <paramref name="stop"/>
        /// may stop the run itself (Ctrl+C) once it sees enough acknowledged.
        /// </summary>
        private (ScriptRun Run, List<string> Acknowledged) UnderLoad(string arguments, Action<PowerShell, Func<int>>? stop = null)
        {
            var acknowledged = new System.Collections.Concurrent.ConcurrentBag<string>();
            var prefix = $"http://127.0.0.1:{FreePort()}/hooks/";
            var run = _m.Run($"Receive-OtpDeliveryReport -Provider Otpiq -Prefix $prefix -WebhookSecret $secret {arguments} | ForEach-Object {{ $_ }}",
                Vars(prefix), whileRunning: ps =>
                {
                    WaitUntilListening(prefix);
                    var senders = Enumerable.Range(0, 16).Select(sender => Task.Run(async () =>
                    {
                        for (var i = 0; ; i++)
                        {
                            var id = $"s{sender:D2}-{i:D5}";
                            int status;
                            try
                            {
                                status = await PostAsync(prefix, OtpiqReport(id), ("X-OTPIQ-Webhook-Secret", Token));
                            }
                            catch (HttpRequestException)
                            {
                                return;   // the port is closed: the provider sends again later
                            }
                            if (status == 200) acknowledged.Add(id);
                            else if (status == 503) return;
                            else throw new InvalidOperationException($"answered {status}");
                        }
                    })).ToArray();
                    stop?.Invoke(ps, () => acknowledged.Count);
                    Task.WaitAll(senders);
                });
            return (run, acknowledged.ToList());
        }

        private static void AssertEveryAcknowledgedReportWrittenOnce(ScriptRun run, List<string> acknowledged)
        {
            var written = run.Objects<OtpDeliveryReport>().Select(r => r.MessageId!).ToList();
            Assert.True(acknowledged.Count > 0);
            Assert.Equal(written.Count, written.Distinct().Count());
            var lost = acknowledged.Except(written).ToList();
            Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} reports answered 200 are not in the output: {string.Join(", ", lost.Take(5))}");
        }

        [Fact]
        public void Stopping_at_Count_loses_no_acknowledged_report_and_writes_none_twice()
        {
            var (run, acknowledged) = UnderLoad("-Count 300 -Timeout 00:02:00");
            Assert.Null(run.Terminating);
            Assert.True(run.Objects<OtpDeliveryReport>().Count() >= 300);
            AssertEveryAcknowledgedReportWrittenOnce(run, acknowledged);
        }

        [Fact]
        public void Stopping_at_Timeout_loses_no_acknowledged_report_and_writes_none_twice()
        {
            var (run, acknowledged) = UnderLoad("-Timeout 00:00:03");
            Assert.Null(run.Terminating);
            AssertEveryAcknowledgedReportWrittenOnce(run, acknowledged);
        }

        [Fact]
        public void Ctrl_C_loses_no_acknowledged_report_and_writes_none_twice()
        {
            var (run, acknowledged) = UnderLoad("-Timeout 00:02:00", (ps, count) =>
            {
                SpinWait.SpinUntil(() => count() >= 200, TimeSpan.FromSeconds(60));
                ps.Stop();
            });
            Assert.IsAssignableFrom<PipelineStoppedException>(run.Terminating);
            AssertEveryAcknowledgedReportWrittenOnce(run, acknowledged);
        }

        [Fact]
        public void Recipients_from_a_webhook_body_are_shown_terminal_safe()
        {
            const string hostile = "+61412\\u001b]0;owned\\u0007\\u001b[2J";
            var blue = "{\"message_id\":\"m-esc\",\"contact\":\"" + hostile + "\",\"status\":\"delivered\"}";
            var (run, statuses) = Listen("-Provider OtpBlue -WebhookSecret $secret -Count 1 -Timeout 00:00:30", prefix => new[]
            {
                Post(prefix, blue, ("Authorization", Token)),
            });
            Assert.Equal(new[] { 200 }, statuses);
            var report = Assert.Single(run.Objects<OtpDeliveryReport>());
            Assert.DoesNotContain("\u001b", report.Recipient, StringComparison.Ordinal);
            Assert.DoesNotContain("\u0007", report.Recipient, StringComparison.Ordinal);
            Assert.Equal("+61412\\u001b]0;owned\\u0007\\u001b[2J", report.Recipient);

            var now = DateTimeOffset.UtcNow;
            var lab = EngageLabBody("m-esc").Replace("+8613800138000", hostile);
            var (labRun, labStatuses) = Listen("-Provider EngageLab -Credential $pair -Count 1 -Timeout 00:00:30", prefix => new[]
            {
                Post(prefix, lab, Signed(now.ToUnixTimeSeconds(), "esc-" + Guid.NewGuid().ToString("N"))),
            });
            Assert.Equal(new[] { 200 }, labStatuses);
            Assert.DoesNotContain("\u001b", Assert.Single(labRun.Objects<OtpDeliveryReport>()).Recipient, StringComparison.Ordinal);
        }

        [Fact]
        public void Listening_on_every_interface_warns_once()
        {
            var (run, _) = Listen("-Provider Otpiq -WebhookSecret $secret -Count 1 -Timeout 00:00:30",
                prefix => Post(prefix, OtpiqReport("sms-any"), ("X-OTPIQ-Webhook-Secret", Token)), host: "+");
            Assert.Single(run.Warnings, w => w.Contains("every network interface"));
            Assert.Equal("sms-any", Assert.Single(run.Objects<OtpDeliveryReport>()).MessageId);
        }

        [Fact]
        public void A_registration_keeps_the_webhook_secret_in_its_vault_and_the_listener_reads_it_from_there()
        {
            using var config = new ConfigScope();
            var prefix = $"http://127.0.0.1:{FreePort()}/hooks/";
            string[] statuses = Array.Empty<string>();
            var run = _m.Run(StandIn.WithVault() + @"
Set-Secret -Vault CorpVault -Name IqHook -Secret (ConvertTo-SecureString 'hook-token-5521-abcdef' -AsPlainText -Force)
Register-OtpProvider -Name IqHooks -Type Otpiq -Vault CorpVault -WebhookSecretName IqHook
Get-OtpProvider IqHooks | Export-Csv (Join-Path $folder 'p.csv') -NoTypeInformation
(Import-Csv (Join-Path $folder 'p.csv')).WebhookSecretName
Receive-OtpDeliveryReport -Provider IqHooks -Prefix $prefix -Count 1 -Timeout 00:00:30",
                new Dictionary<string, object?>(Vars(prefix)) { ["folder"] = System.IO.Path.GetDirectoryName(config.File)! },
                whileRunning: _ =>
                {
                    WaitUntilListening(prefix);
                    statuses = new[]
                    {
                        Post(prefix, OtpiqReport("sms-wrong"), ("X-OTPIQ-Webhook-Secret", "guess")).ToString(),
                        Post(prefix, OtpiqReport("sms-vault"), ("X-OTPIQ-Webhook-Secret", Token)).ToString(),
                    };
                });
            Assert.Empty(run.Errors);
            Assert.Equal(new[] { "401", "200" }, statuses);
            Assert.Contains(run.Output, o => "IqHook".Equals(o.BaseObject));
            var report = Assert.Single(run.Objects<OtpDeliveryReport>());
            Assert.Equal("sms-vault", report.MessageId);
            Assert.Equal("IqHooks", report.Provider);
            Assert.DoesNotContain(Token, config.FileText);
        }

        [Theory]
        [InlineData("-Provider Otpiq -Prefix http://127.0.0.1:1/x/", "Webhook.SecretRequired", "-WebhookSecret")]
        [InlineData("-Provider EngageLab -Prefix http://127.0.0.1:1/x/ -WebhookSecret $secret", "Webhook.WrongSecretKind", "-Credential")]
        [InlineData("-Provider GetOtp -Prefix http://127.0.0.1:1/x/ -WebhookSecret $secret", "Provider.NotSupportedByCmdlet", "OtpBlue, Otpiq, EngageLab")]
        [InlineData("-Provider Otpiq -Prefix http://127.0.0.1:1/x -WebhookSecret $secret", "Webhook.InvalidPrefix", "ending in '/'")]
        [InlineData("-Provider Otpiq -Prefix http://127.0.0.1:1/x/ -WebhookSecret $secret -Timeout 0", "Validation.TimeoutNotPositive", "longer than zero")]
        [InlineData("-Provider Otpiq -Prefix https://+:8443/x/ -WebhookSecret $secret", "Webhook.HttpsNotServed", "reverse proxy or tunnel")]
        [InlineData("-Provider Otpiq -Prefix http://0.0.0.0:8080/x/ -WebhookSecret $secret", "Webhook.InvalidPrefix", "http://+:8080/x/")]
        [InlineData("-Provider Otpiq -Prefix http://127.0.0.1:1/x/ -WebhookSecret (New-Object System.Security.SecureString)", "Webhook.SecretEmpty", "empty")]
        public void Listening_without_what_it_needs_is_a_clear_error_before_any_port_is_opened(string arguments, string errorId, string text)
        {
            var error = _m.RunTerminating("Receive-OtpDeliveryReport " + arguments, Vars("unused"));
            Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
            Assert.Contains(text, error.ToString());
            Assert.DoesNotContain(Token, error.ToString());
        }
    }
}
