using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OtpTools.Sandbox;
using Xunit;

namespace OtpTools.Module.Tests
{
    /// <summary>
    /// What every provider must do, checked for each one from what its sandbox declares (a new provider is covered by
    /// adding its folders, with no line here); one test checks that the sandbox's providers are the module's catalog.
    /// For a provider that sends: its sample send, CSV binding, the fault matrix, secrets under -Debug and the hostile
    /// answers every sender must survive. The test provider from outside src/ (Acme, tests/OtpTools.TestProvider) is
    /// plugged in for every run and served by its own sandbox, so it passes the same suite over real HTTP.
    /// </summary>
    [Collection(ModuleCollection.Name)]
    public sealed class ConformanceTests : IDisposable
    {
        private readonly ModuleFixture _m;

        public ConformanceTests(ModuleFixture fixture)
        {
            _m = fixture;
            _m.Sandbox.Faults.Clear();
        }

        public void Dispose() => _m.Sandbox.Faults.Clear();

        private static readonly IReadOnlyList<ISandboxProvider> SandboxProviders =
            SandboxServer.Discover().Append(new TestProvider.Sandbox.AcmeSandbox()).ToList();

        private ScriptRun Run(string script, IDictionary<string, object?>? variables = null) => AcmePlug.Run(_m, script, variables);

        public static IEnumerable<object[]> Senders() =>
            SandboxProviders.Where(p => p.SampleSend != null).Select(p => new object[] { p.TypeName });

        private static ISandboxProvider SandboxOf(string type) => SandboxProviders.Single(p => p.TypeName == type);

        /// <summary>The provider's credential as Send-OtpCode takes it (a key, or EngageLab's key pair), from the keys its sandbox declares.</summary>
        private static (string Argument, Dictionary<string, object?> Variables) Credential(string type)
        {
            var keys = SandboxOf(type).Variables.ToDictionary(v => v.Name, v => v.Value);
            return keys.ContainsKey("DEVKEY")
                ? ("-Credential $cred", new Dictionary<string, object?> { ["cred"] = new PSCredential(keys["DEVKEY"], ModuleFixture.Secure(keys["DEVSECRET"])) })
                : ("-ApiKey $key", new Dictionary<string, object?> { ["key"] = ModuleFixture.Secure(keys["APIKEY"]) });
        }

        private List<string> Completions(string input) =>
            Run($"(TabExpansion2 -inputScript '{input}' -cursorColumn {input.Length}).CompletionMatches.CompletionText")
                .Output.Select(o => o.BaseObject.ToString()!).OrderBy(n => n).ToList();

        [Fact]
        public void The_sandbox_serves_every_provider_type_the_module_knows_and_a_sample_send_for_each_that_sends()
        {
            using var config = new ConfigScope();   // no registration in the completions
            Assert.Equal(Completions("Register-OtpProvider -Name X -Type "), SandboxProviders.Select(p => p.TypeName).OrderBy(n => n).ToList());
            Assert.Equal(Completions("Send-OtpCode -Provider "), Senders().Select(s => (string)s[0]).OrderBy(n => n).ToList());
            Assert.All(SandboxProviders, p => Assert.Contains(_m.Sandbox.ClientVariables, v => v.Name == $"OTPTOOLS_{p.TypeName.ToUpperInvariant()}_BASEURI"));
        }

        [Theory]
        [MemberData(nameof(Senders))]
        public void Every_sender_sends_its_sample_and_writes_one_receipt(string type)
        {
            var (credential, variables) = Credential(type);
            var run = Run($"Send-OtpCode -Provider {type} {SandboxOf(type).SampleSend} {credential}", variables);
            var receipt = Assert.Single(run.Objects<OtpSendResult>());
            Assert.True(receipt.Success, receipt.ErrorMessage);
            Assert.StartsWith("+", receipt.Destination);
        }

        [Theory]
        [MemberData(nameof(Senders))]
        public void Every_sender_masks_an_echoed_credential_under_Debug(string type)
        {
            var (credential, variables) = Credential(type);
            var secrets = SandboxOf(type).Variables.Select(v => v.Value).ToList();
            _m.Sandbox.Faults.Inject(SandboxOf(type).Prefix, FaultKind.EchoCredential, times: 1);
            var run = Run($"$DebugPreference = 'Continue'\nSend-OtpCode -Provider {type} {SandboxOf(type).SampleSend} {credential} -MaxRetry 0 -ErrorVariable failed -ErrorAction SilentlyContinue\n" +
                             "$failed | ForEach-Object { $_.Exception.ProviderMessage; $_.Exception.Message }", variables);
            var text = run.AllText() + string.Join("\n", run.Output.Select(o => o?.BaseObject?.ToString()));
            Assert.Contains("***", text);
            foreach (var secret in secrets) Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }

        [Theory]
        [MemberData(nameof(Senders))]
        public void Every_sender_shows_escape_sequences_from_its_answers_escaped(string type)
        {
            var (credential, variables) = Credential(type);
            foreach (var fault in new[] { FaultKind.EscapeSequences, FaultKind.EscapeSequencesInError })
            {
                _m.Sandbox.Faults.Inject(SandboxOf(type).Prefix, fault, times: 1);
                var run = Run($"Send-OtpCode -Provider {type} {SandboxOf(type).SampleSend} {credential} -MaxRetry 0 -ErrorVariable failed -ErrorAction SilentlyContinue\n" +
                                 "$failed | ForEach-Object { $_.Exception.ProviderMessage; $_.Exception.Message }", variables);
                var text = run.AllText() + string.Join("\n", run.Output.Select(o => o?.BaseObject?.ToString()));
                foreach (var raw in new[] { "\u001b", "\u0007", "\u202E" })
                    Assert.DoesNotContain(raw, text, StringComparison.Ordinal);
            }
        }

        public static IEnumerable<object[]> FaultMatrix() =>
            from sender in Senders()
            from fault in new (FaultKind Kind, string Status, int Requests)[]
            {
                // Not processed, and the answer says so: sent again, within -MaxRetry.
                (FaultKind.TooManyRequests, "sent", 2), (FaultKind.ServiceUnavailable, "sent", 2),
                // Read by the provider, or the client cannot tell (a reset once the request has left looks the same
                // whether or not the server read it): the code may have arrived, so it is never sent again.
                (FaultKind.ResetBeforeRead, "unknown", 1), (FaultKind.ResetAfterRead, "unknown", 1), (FaultKind.MalformedJson, "unknown", 1), (FaultKind.TruncatedBody, "unknown", 1),
                (FaultKind.EmptySuccess, "unknown", 1), (FaultKind.ServerError, "unknown", 1), (FaultKind.HtmlErrorPage, "unknown", 1),
                (FaultKind.DecompressionBomb, "unknown", 1), (FaultKind.EndlessBody, "unknown", 1),
            }
            select new object[] { sender[0], fault.Kind, fault.Status, fault.Requests };

        [Theory]
        [MemberData(nameof(FaultMatrix))]
        public void Every_sender_retries_only_what_was_not_processed_and_never_sends_a_code_twice(string type, FaultKind fault, string status, int requests)
        {
            var (credential, variables) = Credential(type);
            var prefix = SandboxOf(type).Prefix;
            _m.Sandbox.Faults.Inject(prefix, fault, times: 1, retryAfter: "0");
            var before = _m.Sandbox.RequestCount(prefix);
            var run = Run($"Send-OtpCode -Provider {type} {SandboxOf(type).SampleSend} {credential} -MaxRetry 2", variables);
            var receipt = Assert.Single(run.Objects<OtpSendResult>());
            if (status == "sent") Assert.True(receipt.Success, receipt.ErrorMessage);
            else Assert.Equal(status, receipt.Status);
            Assert.Equal(requests, _m.Sandbox.RequestCount(prefix) - before);
            Assert.Equal(requests, receipt.Attempts);
            if (status == "unknown") Assert.Single(run.Errors);
        }

        [Theory]
        [MemberData(nameof(Senders))]
        public void Every_sender_binds_CSV_rows_by_the_usual_column_names_and_writes_one_receipt_per_row(string type)
        {
            var (credential, variables) = Credential(type);
            // The sample's own -To and -Code become each row's columns; its other arguments stay on the command line.
            var sample = SandboxOf(type).SampleSend!;
            var to = System.Text.RegularExpressions.Regex.Match(sample, @"-To (\(.*\)|\S+)").Groups[1].Value;
            var code = System.Text.RegularExpressions.Regex.Match(sample, @"-Code (\S+)").Groups[1].Value;
            var rest = sample.Replace("-To " + to, "").Replace("-Code " + code, "");
            // Text columns, as Import-Csv gives them.
            var codeColumn = code.Length == 0 ? "" : $"; Otp = '{code}'";
            var run = Run($"$rows = foreach ($column in 'Phone', 'Mobile', 'PhoneNumber') {{ [pscustomobject]@{{ $column = [string]({to}){codeColumn} }} }}\n" +
                          $"$rows | Send-OtpCode -Provider {type} {rest} {credential} -ThrottleLimit 2", variables);
            Assert.Empty(run.Errors);
            var receipts = run.Objects<OtpSendResult>().OrderBy(r => r.Position).ToList();
            Assert.Equal(new[] { 1, 2, 3 }, receipts.Select(r => r.Position));
            Assert.All(receipts, r => Assert.True(r.Success, r.ErrorMessage));
        }

        public static IEnumerable<object[]> ErrorScenarios() =>
            from provider in SandboxProviders
            from scenario in provider.ErrorScenarios
            select new object[] { provider.TypeName, scenario.Arguments, scenario.Code };

        [Theory]
        [MemberData(nameof(ErrorScenarios))]
        public void Every_sender_reports_each_documented_error_its_sandbox_plays_under_its_own_ErrorId(string type, string arguments, string code)
        {
            var (credential, variables) = Credential(type);
            var run = Run($"Send-OtpCode -Provider {type} {arguments} {credential} -MaxRetry 0 -ErrorAction SilentlyContinue", variables);
            var receipt = Assert.Single(run.Objects<OtpSendResult>());
            Assert.False(receipt.Success);
            Assert.Equal(code, receipt.ErrorCode);
            Assert.Equal(1, receipt.Attempts);   // the provider's answer, not the module's own check
            Assert.StartsWith(type + ".", receipt.ErrorId);
            Assert.DoesNotContain("Unknown", receipt.ErrorId);
            Assert.NotEqual(type + ".Error", receipt.ErrorId);
        }

        public static IEnumerable<object[]> PagingFaults() =>
            from provider in SandboxProviders
            where provider.SampleListing != null
            from fault in provider.PagingFaults
            select new object[] { provider.TypeName, fault };

        [Theory]
        [MemberData(nameof(PagingFaults))]
        public void Every_listing_stops_paging_that_would_never_end_with_a_clear_error_after_a_few_pages(string type, PagingFault fault)
        {
            var (credential, variables) = Credential(type);
            var served = _m.Sandbox.Providers.Single(p => p.TypeName == type);
            served.Seed(2600);
            served.PlayPagingFault(fault);
            try
            {
                var before = _m.Sandbox.RequestCount(served.Prefix);
                var error = _m.RunTerminating($"{served.SampleListing} -Provider {type} {credential} | Out-Null", variables);
                Assert.StartsWith("Http.Paging", error.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.InvalidResult, error.CategoryInfo.Category);
                Assert.InRange(_m.Sandbox.RequestCount(served.Prefix) - before, 2, 5);
            }
            finally
            {
                served.PlayPagingFault(PagingFault.None);
            }
        }
    }
}
