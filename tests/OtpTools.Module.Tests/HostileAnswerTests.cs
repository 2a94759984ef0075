using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using OtpTools.Sandbox;
using Xunit;

namespace OtpTools.Module.Tests
{
    /// <summary>
    /// A provider (or anything in between) that misbehaves cannot hang the module, flood the terminal or learn the key:
    /// every hostile answer the sandbox can play, against every cmdlet that makes HTTP calls.
    /// </summary>
    [Collection(ModuleCollection.Name)]
    public sealed class HostileAnswerTests : IDisposable
    {
        // Characters that survive only in escaped forms: a quote and a backslash (JSON), + / = (URL, Base64).
        private const string OddKey = "sbx\"odd\\key+with/chars=0123";
        private const string OddSecret = "s3cr\"t\\with+chars/=";
        private readonly ModuleFixture _m;

        public HostileAnswerTests(ModuleFixture fixture)
        {
            _m = fixture;
            _m.Sandbox.Faults.Clear();
            _m.Sandbox.OtpBlue.SeedHistory(2600, new DateTime(2025, 11, 1), new DateTime(2025, 11, 30));
            _m.Sandbox.GetOtp.SeedSenders(2600);
        }

        public void Dispose()
        {
            _m.Sandbox.Faults.Clear();
            _m.Sandbox.OtpBlue.PagingFault = PagingFault.None;
            _m.Sandbox.GetOtp.PagingFault = PagingFault.None;
        }

        private static Dictionary<string, object?> Keys(string key = SandboxKeys.OtpBlue) => new Dictionary<string, object?>
        {
            ["blue"] = ModuleFixture.Secure(key == SandboxKeys.OtpBlue ? SandboxKeys.OtpBlue : key),
            ["iq"] = ModuleFixture.Secure(key == SandboxKeys.OtpBlue ? SandboxKeys.Otpiq : key),
            ["go"] = ModuleFixture.Secure(key == SandboxKeys.OtpBlue ? SandboxKeys.GetOtp : key),
            ["lab"] = new PSCredential(key == SandboxKeys.OtpBlue ? SandboxKeys.EngageLabDevKey : key, ModuleFixture.Secure(key == SandboxKeys.OtpBlue ? SandboxKeys.EngageLabDevSecret : OddSecret)),
        };

        public static IEnumerable<object[]> Senders() => new[]
        {
            new object[] { "otpblue", "Send-OtpCode -Provider OtpBlue -To +61412345678 -Code 1 -ApiKey $blue" },
            new object[] { "otpiq", "Send-OtpCode -Provider Otpiq -To +9647501234567 -Code 1 -ApiKey $iq" },
            new object[] { "engagelab", "Send-OtpCode -Provider EngageLab -To ('+86138001' + (Get-Random -Minimum 10000 -Maximum 99999)) -TemplateId test-template-1 -Credential $lab" },
        };

        public static IEnumerable<object[]> Everything() => Senders().Concat(new[]
        {
            new object[] { "otpblue", "Get-OtpHistory -Provider OtpBlue -From 2025-11-01 -To 2025-11-30 -First 5 -ApiKey $blue" },
            new object[] { "otpblue", "Get-OtpRegion -Provider OtpBlue -ApiKey $blue" },
            new object[] { "getotp", "Get-OtpSender -Provider GetOtp -First 5 -ApiKey $go" },
        });

        // ---- Paging that never ends ----

        [Theory]
        [InlineData("getotp", PagingFault.RepeatPage, "Get-OtpSender -Provider GetOtp -PageSize 100 -ApiKey $go", "Http.PagingLoop")]
        [InlineData("getotp", PagingFault.SameRows, "Get-OtpSender -Provider GetOtp -PageSize 100 -ApiKey $go", "Http.PagingLoop")]
        [InlineData("otpblue", PagingFault.RepeatPage, "Get-OtpHistory -Provider OtpBlue -From 2025-11-01 -To 2025-11-30 -PageSize 100 -ApiKey $blue", "Http.PagingLoop")]
        [InlineData("otpblue", PagingFault.GrowingTotal, "Get-OtpHistory -Provider OtpBlue -From 2025-11-01 -To 2025-11-30 -PageSize 100 -ApiKey $blue", "Http.PagingBeyondTotal")]
        public void Paging_that_would_never_end_stops_with_a_clear_error_and_keeps_the_rows_written(string prefix, PagingFault fault, string command, string errorId)
        {
            if (prefix == "getotp") _m.Sandbox.GetOtp.PagingFault = fault;
            else _m.Sandbox.OtpBlue.PagingFault = fault;
            var before = _m.Sandbox.RequestCount(prefix);
            var error = _m.RunTerminating("$rows = [System.Collections.Generic.List[object]]::new()\n" + command + " | ForEach-Object { $rows.Add($_) }", Keys());
            Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidResult, error.CategoryInfo.Category);
            Assert.InRange(_m.Sandbox.RequestCount(prefix) - before, 2, 5);
            var written = _m.Run("$rows = [System.Collections.Generic.List[object]]::new()\ntry { " + command + " | ForEach-Object { $rows.Add($_) } } catch { }\n$rows.Count", Keys());
            Assert.True((int)written.Output.Last().BaseObject >= 100, "the rows of the pages read before the loop was found are written");
        }

        // ---- The key never leaks, in any form ----

        [Theory]
        [MemberData(nameof(Everything))]
        public void A_provider_that_echoes_the_credential_never_gets_it_shown_exported_or_thrown(string prefix, string command)
        {
            _m.Sandbox.Faults.Inject(prefix, FaultKind.EchoCredential);
            using var config = new ConfigScope();
            Directory.CreateDirectory(config.Folder);
            var csv = Path.Combine(config.Folder, "out.csv");
            var run = _m.Run("$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'\n" +
                             "$out = @(try { " + command + " -MaxRetry 0 } catch { $_ })\n" +
                             "$out | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] } | Export-Csv -Path $csv -NoTypeInformation\n" +
                             "$out | ConvertTo-Json -Depth 3\n" +
                             "$Error | ForEach-Object { $_.Exception.ToString(); $_.Exception.InnerException | Format-List * -Force | Out-String }\n" +
                             "$out | Format-List * -Force | Out-String",
                new Dictionary<string, object?>(Keys(OddKey)) { ["csv"] = csv });
            var text = run.AllText() + (File.Exists(csv) ? File.ReadAllText(csv) : "");
            Assert.Contains("***", text);   // the echo arrived, masked
            foreach (var form in Forms())
                Assert.False(text.Contains(form, StringComparison.Ordinal), $"the secret leaked as '{form}'");
        }

        private static IEnumerable<string> Forms()
        {
            foreach (var secret in new[] { OddKey, OddSecret })
            {
                yield return secret;
                yield return System.Text.Json.JsonEncodedText.Encode(secret).ToString();
                yield return Uri.EscapeDataString(secret);
                yield return Convert.ToBase64String(Encoding.UTF8.GetBytes(secret));
                yield return secret.Substring(0, secret.Length / 2 + 2);   // a half is a leak too
            }
            yield return Convert.ToBase64String(Encoding.UTF8.GetBytes(OddKey + ":" + OddSecret));
        }

        [Theory]
        [InlineData("-ApiKey $bad", null)]
        [InlineData("", "OTPTOOLS_OTPBLUE_APIKEY")]
        public void A_credential_with_a_line_break_is_refused_before_any_call_naming_its_source_not_its_value(string parameter, string? variable)
        {
            using var config = new ConfigScope();
            if (variable != null) config.Set(variable, "sbx-otpblue\r\nX-Injected: yes");
            var before = _m.Sandbox.TotalRequests;
            var error = _m.RunTerminating("Send-OtpCode -Provider OtpBlue -To +61412345678 -Code 1 " + parameter,
                new Dictionary<string, object?> { ["bad"] = ModuleFixture.Secure("sbx-otpblue\r\nX-Injected: yes") });
            Assert.StartsWith("Credential.InvalidCharacters,", error.FullyQualifiedErrorId);
            Assert.Contains(variable ?? "-ApiKey", error.Exception.Message);
            Assert.DoesNotContain("X-Injected", error.ToString());
            Assert.Equal(before, _m.Sandbox.TotalRequests);
        }

        // ---- Bounded size ----

        public static IEnumerable<object[]> BombsEverywhere() =>
            from fault in new[] { FaultKind.DecompressionBomb, FaultKind.EndlessBody }
            from target in Everything()
            select new object[] { fault, target[0], target[1] };

        [Theory]
        [MemberData(nameof(BombsEverywhere))]
        public void A_bomb_or_an_endless_answer_ends_in_bounded_memory_with_a_clear_error(FaultKind fault, string prefix, string command)
        {
            _m.Sandbox.Faults.Inject(prefix, fault, times: 1);
            var allocated = GC.GetTotalAllocatedBytes(true);
            var run = _m.Run("try { " + command + " -MaxRetry 0 } catch { $_ }", Keys());
            var used = GC.GetTotalAllocatedBytes(true) - allocated;

            var receipt = run.Objects<OtpSendResult>().SingleOrDefault();
            var error = run.Errors.Concat(run.Objects<ErrorRecord>()).First();
            Assert.StartsWith("Http.AnswerTooLarge,", error.FullyQualifiedErrorId);
            // A send was processed before its answer blew up: unknown, never resent.
            if (receipt != null) Assert.Equal("unknown", receipt.Status);
            // 1 MiB for a send, 32 MiB for a read, read in chunks: far below the 512 MiB (or endless) answer.
            Assert.True(used < 400L << 20, $"{used >> 20} MiB allocated");
        }

        // ---- Terminal escapes ----

        [Theory]
        [MemberData(nameof(Senders))]
        public void Escape_sequences_in_provider_text_are_shown_escaped_never_raw(string prefix, string command)
        {
            _m.Sandbox.Faults.Inject(prefix, FaultKind.EscapeSequences, times: 1);
            var run = _m.Run("$DebugPreference = 'Continue'\n" + command, Keys());
            var receipt = Assert.Single(run.Objects<OtpSendResult>());
            var text = run.AllText();
            foreach (var raw in new[] { "\u001b", "\u0007", "\u0000", "\u202E", "\u200B" })
            {
                var at = text.IndexOf(raw, StringComparison.Ordinal);
                Assert.True(at < 0, $"raw U+{(int)raw[0]:X4} in: " + (at < 0 ? "" : text.Substring(Math.Max(0, at - 80), Math.Min(160, text.Length - Math.Max(0, at - 80))).Replace(raw, "<RAW>")));
            }
            Assert.Contains("\\u001b", (receipt.MessageId ?? "") + receipt.Message);
            Assert.Contains(run.Debug, d => d.Contains("\\u001b", StringComparison.Ordinal) || d.Contains("\\\\u001b", StringComparison.Ordinal) || d.Contains("\\u001B", StringComparison.Ordinal));
        }

        [Theory]
        [MemberData(nameof(Senders))]
        public void Escape_sequences_in_a_provider_error_are_escaped_in_the_exception_properties_too(string prefix, string command)
        {
            _m.Sandbox.Faults.Inject(prefix, FaultKind.EscapeSequencesInError, times: 1);
            var run = _m.Run(command + " -ErrorVariable failed -ErrorAction SilentlyContinue\n" +
                             "$e = $failed[0].Exception; '{0}|{1}|{2}' -f $e.ProviderMessage, $e.ProviderCode, $e.Message", Keys());
            var shown = Assert.Single(run.Output.Select(o => o.BaseObject).OfType<string>());
            Assert.Contains("\\u001b", shown);
            foreach (var raw in new[] { "\u001b", "\u0007", "\u0000", "\u202E", "\u200B" })
                Assert.DoesNotContain(raw, shown, StringComparison.Ordinal);
        }

        // ---- An empty success ----

        [Theory]
        [MemberData(nameof(Senders))]
        public void A_success_without_the_documented_fields_is_unknown_not_delivered(string prefix, string command)
        {
            _m.Sandbox.Faults.Inject(prefix, FaultKind.EmptySuccess, times: 1);
            var run = _m.Run(command, Keys());
            var receipt = Assert.Single(run.Objects<OtpSendResult>());
            Assert.False(receipt.Success);
            Assert.Equal("unknown", receipt.Status);
            Assert.Equal("Http.IncompleteAnswer", receipt.ErrorId);
            Assert.Null(receipt.MessageId);
        }

        // ---- One retry layer ----

        [Theory]
        [InlineData("Get-OtpRegion -Provider OtpBlue -ApiKey $blue -MaxRetry 2", "otpblue")]
        [InlineData("Get-OtpSender -Provider GetOtp -First 1 -ApiKey $go -MaxRetry 2", "getotp")]
        public void A_server_that_closes_without_answering_gets_at_most_MaxRetry_plus_one_requests(string command, string prefix)
        {
            _m.Sandbox.Faults.Inject(prefix, FaultKind.ResetBeforeRead);
            var before = _m.Sandbox.RequestCount(prefix);
            _m.RunTerminating(command, Keys());
            Assert.Equal(3, _m.Sandbox.RequestCount(prefix) - before);
        }

        [Fact]
        public void A_Retry_After_date_in_the_past_is_retried_with_the_normal_backoff_and_bounded_attempts()
        {
            _m.Sandbox.Faults.Inject("otpblue", FaultKind.ServiceUnavailable, retryAfter: "Wed, 21 Oct 2015 07:28:00 GMT");
            var before = _m.Sandbox.RequestCount("otpblue");
            var error = _m.RunTerminating("Get-OtpRegion -Provider OtpBlue -ApiKey $blue -MaxRetry 2", Keys());
            Assert.StartsWith("Http.ServiceUnavailable,", error.FullyQualifiedErrorId);
            Assert.Equal(3, _m.Sandbox.RequestCount("otpblue") - before);
        }
    }
}
