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
    }
}
