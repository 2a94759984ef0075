using System;
using System.IO;
using System.Collections.Generic;
using System.Linq;
using OtpTools.Sandbox;
using OtpTools.Sandbox.Providers.OtpBlue;
using Xunit;

namespace OtpTools.Module.Tests
{
    [Collection(ModuleCollection.Name)]
    public sealed class SecretLeakTests
    {
        private const string WrongKey = "wrong-key-5e1d7c3b9a";
        private readonly ModuleFixture _m;
        public SecretLeakTests(ModuleFixture fixture) => _m = fixture;

        /// <summary>
        /// Every cmdlet with -Verbose -Debug, successes and failures (wrong key, bad input, provider refusal, missing
        /// secret, locked vault, damaged file): no stream, error, exception text or the registrations file shows a key.
        /// </summary>
        [Theory]
        [InlineData("otpiq", "Send-OtpCode -Provider Otpiq -To 9647501234593 -Code 1234 -ApiKey $otpiq -WebhookUrl https://h.example.com/r -WebhookSecret $secret -JournalPath $journal -Debug")]
        [InlineData("otpblue", "Send-OtpCode -Provider OtpBlue -To +61412345677 -Code 1 -ApiKey $otpblue -StatusCallback https://cb.example.com -StatusCallbackHeader $secret -JournalPath $journal -Debug")]
        public void A_secret_option_echoed_by_the_provider_is_masked_in_every_outward_text(string prefix, string command)
        {
            const string secret = "whsec-\"echo\"+me/7731";
            var journal = Path.Combine(Hermetic.Root, "echo-" + Guid.NewGuid().ToString("N") + ".jsonl");
            _m.Sandbox.Faults.Inject(prefix, FaultKind.EchoRequestBody, times: 1);
            ScriptRun run;
            try
            {
                run = _m.Run("$DebugPreference = 'Continue'\n" + command + " -ErrorVariable failed -ErrorAction SilentlyContinue\n" +
                             "$failed | ForEach-Object { $_.Exception.ProviderMessage; $_.Exception.Message; [string]$_.ErrorDetails }\n" +
                             "Get-Content $journal -Raw", new Dictionary<string, object?>
                             {
                                 ["otpiq"] = ModuleFixture.Secure(SandboxKeys.Otpiq),
                                 ["otpblue"] = ModuleFixture.Secure(SandboxKeys.OtpBlue),
                                 ["secret"] = ModuleFixture.Secure(secret),
                                 ["journal"] = journal,
                             });
            }
            finally
            {
                _m.Sandbox.Faults.Clear();
            }
            var receipt = Assert.Single(run.Objects<OtpSendResult>());
            Assert.False(receipt.Success);
            var text = run.AllText() + string.Join("\n", run.Output.Select(o => o.BaseObject?.ToString())) + receipt.ErrorMessage + receipt.Message;
            Assert.Contains("***", text);
            foreach (var form in new[] { secret, System.Text.Json.JsonEncodedText.Encode(secret).ToString(), Uri.EscapeDataString(secret) })
                Assert.DoesNotContain(form, text, StringComparison.Ordinal);
        }

        [Fact]
        public void No_key_appears_in_any_stream_error_exception_or_the_registrations_file()
        {
            using var config = new ConfigScope();
            var vars = new Dictionary<string, object?>
            {
                ["key"] = ModuleFixture.Secure(SandboxKeys.OtpBlue),
                ["wrong"] = ModuleFixture.Secure(WrongKey),
                ["uri"] = _m.Sandbox.UriFor("otpblue"),
                ["noImessage"] = OtpBlueScenarios.NoIMessage,
            };
            // Each statement in its own try, so a terminating failure does not skip the rest.
            const string everything = @"
                $all = @(
                    { Register-OtpProvider -Name Prod -Type OtpBlue -Vault CorpVault -SecretName OtpBlueProd -ApiKey $key -Default -PassThru }
                    { Register-OtpProvider -Name Cred -Type OtpBlue -Vault CorpVault -SecretName OtpBlueCred -Credential ([pscredential]::new('u', $key)) -PassThru }
                    { Register-OtpProvider -Name Missing -Type OtpBlue -Vault CorpVault -SecretName Nope -PassThru }
                    { Register-OtpProvider -Name Prod -Type OtpBlue -ApiKey $key }
                    { Register-OtpProvider -Name Prod -Type OtpBlue }
                    { Get-OtpProvider }
                    { Get-OtpProvider -Name NotThere }
                    { Set-OtpProvider -Name Prod -BaseUri $uri -PassThru }
                    { Send-OtpCode -To +61412345678 -Code 123456 }
                    { Send-OtpCode -Provider Cred -To +61412345678 -Code 123456 }
                    { Send-OtpCode -Provider Prod -To $noImessage -Code 123456 }
                    { Send-OtpCode -Provider Prod -To +61412345678 -Code 12345678901234 }
                    { Send-OtpCode -Provider Prod -To 'not a number' -Code 1 }
                    { Send-OtpCode -Provider OtpBlue -To +61412345678 -Code 1 -ApiKey $key }
                    { Send-OtpCode -Provider OtpBlue -To +61412345678 -Code 1 -ApiKey $wrong }
                    { Send-OtpCode -Provider Missing -To +61412345678 -Code 1 }
                    { Get-OtpHistory -Provider Prod -First 3 }
                    { Get-OtpHistory -Provider Prod -ApiKey $wrong }
                    { Get-OtpRegion }
                    { Get-OtpRegion -Provider OtpBlue -ApiKey $wrong }
                    { Get-OtpRegion -Provider Missing }
                    { Unregister-OtpProvider -Name Cred }
                )
                foreach ($step in $all) {
                    try { & $step } catch { 'caught: ' + $_ + ' ' + $_.Exception + ' ' + $_.ErrorDetails }
                }
                foreach ($e in $Error) { $e.FullyQualifiedErrorId; $e.ToString(); $e.Exception.ToString(); [string]$e.ErrorDetails; [string]$e.TargetObject; $e.ScriptStackTrace }";
            // The preferences reach every cmdlet inside the blocks, as -Verbose -Debug would.
            var verbose = _m.Run("$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'\n" + StandIn.WithVault() + everything, vars);
            var locked = _m.Run("$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'\n" + StandIn.WithVault("@{ Password = 'pw' }") +
                "try { Send-OtpCode -To +61412345678 -Code 1 -Verbose -Debug } catch { $_.FullyQualifiedErrorId + ' ' + $_ + ' ' + $_.Exception }", vars);
            System.IO.File.WriteAllText(config.File, "{ damaged");
            var damaged = _m.Run("try { Get-OtpProvider -Verbose -Debug } catch { $_.FullyQualifiedErrorId + ' ' + $_ }; try { Send-OtpCode -To 1 -Code 1 -Verbose -Debug } catch { $_.FullyQualifiedErrorId + ' ' + $_ }");

            // The runs did exercise what they claim: sends, a refusal, errors of each kind, verbose and debug text.
            Assert.Contains(verbose.Objects<OtpSendResult>(), r => r.Success);
            Assert.Contains(verbose.Objects<OtpSendResult>(), r => r.ErrorId == "OtpBlue.NoIMessage");
            Assert.Contains(verbose.Objects<OtpSendResult>(), r => r.ErrorId == "OtpBlue.InvalidApiKey");
            Assert.Contains(verbose.Objects<OtpHistoryEntry>(), _ => true);
            Assert.Contains(verbose.Objects<OtpRegion>(), _ => true);
            Assert.Contains(verbose.Debug, d => d.Contains("credential from vault 'CorpVault'"));
            Assert.Contains(verbose.Verbose, v => v.Contains("/otp/send/"));
            var text = verbose.AllText();
            foreach (var id in new[] { "Credential.SecretNotFound", "Registration.Exists", "Registration.NotFound", "Validation." })
                Assert.Contains(id, text);
            Assert.Contains("Credential.VaultLocked", locked.AllText());
            Assert.Contains("Registration.FileDamaged", damaged.AllText());

            foreach (var captured in new[] { text, locked.AllText(), damaged.AllText(), config.FileText })
            {
                Assert.DoesNotContain(SandboxKeys.OtpBlue, captured);
                Assert.DoesNotContain(SandboxKeys.OtpBlue.Substring(SandboxKeys.OtpBlue.Length - 10), captured);
                Assert.DoesNotContain(WrongKey, captured);
            }
        }

        /// <summary>
        /// The other providers' secrets: GetOTP and OTPIQ keys, EngageLab's key pair (and its Basic header form),
        /// webhook secrets and header values, through every cmdlet that uses them, successes and failures.
        /// </summary>
        [Fact]
        public void No_other_provider_secret_appears_in_any_stream_or_error()
        {
            const string webhookSecret = "whsec-leakcheck-6d1f0a";
            const string callbackHeader = "Bearer cbh-leakcheck-93e2";
            _m.Sandbox.GetOtp.SeedSenders(20);
            var pair = new System.Management.Automation.PSCredential(SandboxKeys.EngageLabDevKey, ModuleFixture.Secure(SandboxKeys.EngageLabDevSecret));
            var vars = new Dictionary<string, object?>
            {
                ["getotp"] = ModuleFixture.Secure(SandboxKeys.GetOtp),
                ["otpiq"] = ModuleFixture.Secure(SandboxKeys.Otpiq),
                ["otpblue"] = ModuleFixture.Secure(SandboxKeys.OtpBlue),
                ["pair"] = pair,
                ["wrongPair"] = new System.Management.Automation.PSCredential("wrong-devkey-1234", ModuleFixture.Secure(SandboxKeys.EngageLabDevSecret)),
                ["secret"] = ModuleFixture.Secure(webhookSecret),
                ["header"] = ModuleFixture.Secure(callbackHeader),
                ["headerWithLf"] = ModuleFixture.Secure(callbackHeader + "\n"),
            };
            var run = _m.Run(@"
                $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'
                $all = @(
                    { Get-OtpSender -Provider GetOtp -First 3 -ApiKey $getotp }
                    { Get-OtpSender -Provider GetOtp -Status Nope -ApiKey $getotp }
                    { Get-OtpSender -Provider GetOtp -ApiKey $otpiq }
                    { Send-OtpCode -Provider Otpiq -To 9647501234590 -Code 1234 -ApiKey $otpiq -WebhookUrl https://h.example.com/r -WebhookSecret $secret }
                    { Send-OtpCode -Provider Otpiq -To 9647501234591 -Code 1234 -ApiKey $getotp }
                    { Send-OtpCode -Provider Otpiq -To 9647501234592 -Code 1234 -ApiKey $otpiq -WebhookUrl http://insecure.example.com -WebhookSecret $secret }
                    { Send-OtpCode -Provider EngageLab -To leak@example.com -TemplateId otp-email -Code 1234 -Credential $pair }
                    { Send-OtpCode -Provider EngageLab -To leak2@example.com -TemplateId otp-email -Code 1234 -Credential $wrongPair }
                    { Send-OtpCode -Provider EngageLab -To leak3@example.com -TemplateId no-such-template -Credential $pair }
                    { Send-OtpCode -Provider OtpBlue -To +61412345678 -Code 1 -ApiKey $otpblue -StatusCallback https://cb.example.com -StatusCallbackHeader $header }
                    { Send-OtpCode -Provider OtpBlue -To +61412345678 -Code 1 -ApiKey $otpblue -StatusCallbackHeader $headerWithLf }
                )
                foreach ($step in $all) {
                    try { & $step } catch { 'caught: ' + $_ + ' ' + $_.Exception + ' ' + $_.ErrorDetails }
                }
                foreach ($e in $Error) { $e.FullyQualifiedErrorId; $e.ToString(); $e.Exception.ToString(); [string]$e.ErrorDetails; [string]$e.TargetObject }", vars);

            // The run exercised successes, provider refusals and input errors for each provider.
            Assert.Contains(run.Objects<OtpSender>(), _ => true);
            Assert.Contains(run.Objects<OtpSendResult>(), r => r.Success && r.ProviderType == "Otpiq");
            Assert.Contains(run.Objects<OtpSendResult>(), r => r.Success && r.ProviderType == "EngageLab");
            Assert.Contains(run.Objects<OtpSendResult>(), r => r.ErrorId == "EngageLab.AuthenticationFailed");
            Assert.Contains(run.Objects<OtpSendResult>(), r => r.ErrorId == "Otpiq.Unauthorized");
            Assert.Contains(run.Objects<OtpSendResult>(), r => r.ErrorId == "Validation.InvalidCharacters");
            Assert.Contains(run.Debug, d => d.Contains("request body"));

            var captured = run.AllText();
            var basic = System.Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(SandboxKeys.EngageLabDevKey + ":" + SandboxKeys.EngageLabDevSecret));
            foreach (var secret in new[] { SandboxKeys.GetOtp, SandboxKeys.Otpiq, SandboxKeys.OtpBlue, SandboxKeys.EngageLabDevSecret, basic, webhookSecret, callbackHeader })
                Assert.DoesNotContain(secret, captured);
        }
    }
}
