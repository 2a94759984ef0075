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
    /// For a provider that sends: its sample send, and the hostile answers every sender must survive.
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

        private static readonly IReadOnlyList<ISandboxProvider> SandboxProviders = SandboxServer.Discover().ToList();

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
            _m.Run($"(TabExpansion2 -inputScript '{input}' -cursorColumn {input.Length}).CompletionMatches.CompletionText")
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
            var run = _m.Run($"Send-OtpCode -Provider {type} {SandboxOf(type).SampleSend} {credential}", variables);
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
            var run = _m.Run($"$DebugPreference = 'Continue'\nSend-OtpCode -Provider {type} {SandboxOf(type).SampleSend} {credential} -MaxRetry 0 -ErrorVariable failed -ErrorAction SilentlyContinue\n" +
                             "$failed | ForEach-Object { $_.Exception.ProviderMessage; $_.Exception.Message }", variables);
            var text = run.AllText() + string.Join("\n", run.Output.Select(o => o.BaseObject?.ToString()));
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
                var run = _m.Run($"Send-OtpCode -Provider {type} {SandboxOf(type).SampleSend} {credential} -MaxRetry 0 -ErrorVariable failed -ErrorAction SilentlyContinue\n" +
                                 "$failed | ForEach-Object { $_.Exception.ProviderMessage; $_.Exception.Message }", variables);
                var text = run.AllText() + string.Join("\n", run.Output.Select(o => o.BaseObject?.ToString()));
                foreach (var raw in new[] { "\u001b", "\u0007", "\u202E" })
                    Assert.DoesNotContain(raw, text, StringComparison.Ordinal);
            }
        }
    }
}
