using System;
using System.IO;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OtpTools.Sandbox;
using Xunit;

namespace OtpTools.Module.Tests
{
    /// <summary>
    /// Where a registered provider's key comes from: -ApiKey/-Credential, then the registration's vault secret (through
    /// Get-Secret, here the SecretManagement stand-in), then OTPTOOLS_&lt;NAME&gt;_APIKEY. Real sends to the sandbox.
    /// </summary>
    [Collection(ModuleCollection.Name)]
    public sealed class CredentialResolutionTests
    {
        private const string Send = "Send-OtpCode -Provider Prod -To +61412345678 -Code 123456";
        private readonly ModuleFixture _m;
        public CredentialResolutionTests(ModuleFixture fixture) => _m = fixture;

        private static Dictionary<string, object?> Vars(object? secret = null) => new Dictionary<string, object?>
        {
            ["key"] = ModuleFixture.Secure(SandboxKeys.OtpBlue),
            ["wrong"] = ModuleFixture.Secure("wrong-key-0000"),
            ["secret"] = secret,
        };

        private static string RegisterProd(string extra = "-Vault CorpVault -SecretName OtpBlueProd") =>
            $"Register-OtpProvider -Name Prod -Type OtpBlue {extra}\n";

        private static void AssertSent(ScriptRun run)
        {
            Assert.Null(run.Terminating);
            Assert.Empty(run.Errors);
            Assert.True(Assert.Single(run.Objects<OtpSendResult>()).Success);
        }

        public static IEnumerable<object[]> Shapes() => new[]
        {
            new object[] { "SecureString", "", ModuleFixture.Secure(SandboxKeys.OtpBlue) },
            new object[] { "string returned as SecureString", "", SandboxKeys.OtpBlue },
            new object[] { "string returned as string", "@{ PlainText = $true }", SandboxKeys.OtpBlue },
            new object[] { "PSCredential (password = key)", "", new PSCredential("otpblue", ModuleFixture.Secure(SandboxKeys.OtpBlue)) },
            new object[] { "hashtable with ApiKey", "", new System.Collections.Hashtable { ["ApiKey"] = ModuleFixture.Secure(SandboxKeys.OtpBlue) } },
        };

        [Theory]
        [MemberData(nameof(Shapes))]
        public void Vault_secret_of_each_shape_sends(string shape, string vaultParameters, object secret)
        {
            using var config = new ConfigScope();
            var run = _m.Run(StandIn.WithVault(vaultParameters == "" ? "@{}" : vaultParameters) +
                "Set-Secret -Vault CorpVault -Name OtpBlueProd -Secret $secret\n" + RegisterProd() + Send + " -Debug", Vars(secret));
            AssertSent(run);
            Assert.Contains(run.Debug, d => d.Contains("credential from vault 'CorpVault' secret 'OtpBlueProd' (Get-Secret)"));
            _ = shape; // names the case in the test output
        }

        public static IEnumerable<object[]> KeyPairShapes() => new[]
        {
            new object[] { "PSCredential (user = dev_key, password = dev_secret)",
                new PSCredential(SandboxKeys.EngageLabDevKey, ModuleFixture.Secure(SandboxKeys.EngageLabDevSecret)) },
            new object[] { "hashtable with DevKey and DevSecret",
                new System.Collections.Hashtable { ["DevKey"] = SandboxKeys.EngageLabDevKey, ["DevSecret"] = ModuleFixture.Secure(SandboxKeys.EngageLabDevSecret) } },
        };

        [Theory]
        [MemberData(nameof(KeyPairShapes))]
        public void EngageLab_key_pair_from_the_vault_sends_in_each_shape(string shape, object secret)
        {
            using var config = new ConfigScope();
            var before = _m.Sandbox.EngageLab.Deliveries.Count;
            var run = _m.Run(StandIn.WithVault("@{}") +
                "Set-Secret -Vault CorpVault -Name EngageLabProd -Secret $secret\n" +
                "Register-OtpProvider -Name Mail -Type EngageLab -Vault CorpVault -SecretName EngageLabProd\n" +
                $"Send-OtpCode -Provider Mail -To 'vault-{before}@example.com' -TemplateId otp-email -Code 4711 -Debug",
                new Dictionary<string, object?> { ["secret"] = secret });
            AssertSent(run);
            Assert.Equal(before + 1, _m.Sandbox.EngageLab.Deliveries.Count);
            Assert.Contains(run.Debug, d => d.Contains("credential from vault 'CorpVault' secret 'EngageLabProd' (Get-Secret)"));
            Assert.DoesNotContain(SandboxKeys.EngageLabDevSecret, run.AllText());
            _ = shape; // names the case in the test output
        }

        [Fact]
        public void A_key_with_a_NUL_inside_is_refused_whole_never_cut_short_at_the_NUL_and_sent()
        {
            var before = _m.Sandbox.TotalRequests;
            var error = _m.RunTerminating("Send-OtpCode -Provider OtpBlue -To +61412345678 -Code 1 -ApiKey $k",
                new Dictionary<string, object?> { ["k"] = ModuleFixture.Secure(SandboxKeys.OtpBlue + "\0tail") });
            Assert.StartsWith("Credential.InvalidCharacters,", error.FullyQualifiedErrorId);
            Assert.Equal(before, _m.Sandbox.TotalRequests);
        }

        [Fact]
        public void Vault_secret_of_an_unusable_type_says_which_types_work()
        {
            using var config = new ConfigScope();
            var error = _m.RunTerminating(StandIn.WithVault() + "Set-Secret -Vault CorpVault -Name OtpBlueProd -Secret 42\n" + RegisterProd() + Send, Vars());
            Assert.Equal("Credential.VaultSecretUnusable,OtpTools.SendOtpCodeCommand", error.FullyQualifiedErrorId);
            Assert.Contains("SecureString, string or PSCredential", error.Exception.Message);
        }

        [Fact]
        public void Explicit_ApiKey_beats_the_vault_secret()
        {
            using var config = new ConfigScope();
            var run = _m.Run(StandIn.WithVault() + "Set-Secret -Vault CorpVault -Name OtpBlueProd -Secret $wrong\n" + RegisterProd() + Send + " -ApiKey $key -Debug", Vars());
            AssertSent(run);
            Assert.Contains(run.Debug, d => d.Contains("credential from -ApiKey"));
        }

        [Fact]
        public void Explicit_Credential_beats_the_vault_secret()
        {
            using var config = new ConfigScope();
            var run = _m.Run(StandIn.WithVault() + "Set-Secret -Vault CorpVault -Name OtpBlueProd -Secret $wrong\n" + RegisterProd() +
                Send + " -Credential ([pscredential]::new('x', $key))", Vars());
            AssertSent(run);
        }

        [Fact]
        public void Vault_secret_beats_the_environment_variable()
        {
            using var config = new ConfigScope();
            config.Set("OTPTOOLS_PROD_APIKEY", "wrong-key-from-env");
            var run = _m.Run(StandIn.WithVault() + "Set-Secret -Vault CorpVault -Name OtpBlueProd -Secret $key\n" + RegisterProd() + Send, Vars());
            AssertSent(run);
        }

        [Fact]
        public void Environment_variable_named_after_the_registration_serves_a_registration_without_a_vault()
        {
            using var config = new ConfigScope();
            config.Set("OTPTOOLS_PROD_APIKEY", SandboxKeys.OtpBlue);
            var run = _m.Run(RegisterProd("") + Send + " -Debug", Vars());
            AssertSent(run);
            Assert.Contains(run.Debug, d => d.Contains("credential from environment variable OTPTOOLS_PROD_APIKEY"));
        }

        [Fact]
        public void A_registration_with_no_key_anywhere_says_how_to_add_one_including_a_vault()
        {
            using var config = new ConfigScope();
            var error = _m.RunTerminating(RegisterProd("") + Send, Vars());
            Assert.Equal("Credential.NotFound,OtpTools.SendOtpCodeCommand", error.FullyQualifiedErrorId);
            Assert.Contains("OTPTOOLS_PROD_APIKEY", error.Exception.Message);
            Assert.Contains("Set-OtpProvider -Name Prod -Vault <vault> -SecretName <secret>", error.Exception.Message);
        }

        [Fact]
        public void A_registration_with_a_vault_does_not_fall_back_to_the_environment_when_the_vault_fails()
        {
            using var config = new ConfigScope();
            config.Set("OTPTOOLS_PROD_APIKEY", SandboxKeys.OtpBlue);
            var error = _m.RunTerminating(StandIn.WithVault() + RegisterProd() + Send, Vars());
            Assert.Equal("Credential.SecretNotFound,OtpTools.SendOtpCodeCommand", error.FullyQualifiedErrorId);
        }

        [Fact]
        public void Registered_provider_backed_by_a_vault_secret_works_for_every_api_cmdlet()
        {
            using var config = new ConfigScope();
            var run = _m.Run(StandIn.WithVault() + "Set-Secret -Vault CorpVault -Name OtpBlueProd -Secret $key\n" + RegisterProd() + @"
                Send-OtpCode -Provider Prod -To +61412345678 -Code 111
                Get-OtpHistory -Provider Prod -First 1
                Get-OtpRegion -Provider Prod", Vars());
            Assert.Null(run.Terminating);
            Assert.Empty(run.Errors);
            Assert.Single(run.Objects<OtpSendResult>());
            Assert.Single(run.Objects<OtpHistoryEntry>());
            Assert.NotEmpty(run.Objects<OtpRegion>());
        }

        public static IEnumerable<object[]> VaultFailures() => new[]
        {
            new object[] { "", "Credential.SecretManagementNotInstalled", ErrorCategory.NotInstalled,
                new[] { "SecretManagement is not available", "Install-Module Microsoft.PowerShell.SecretManagement" } },
            new object[] { $"Import-Module '{StandIn.Manifest}'\n", "Credential.VaultNotFound", ErrorCategory.ObjectNotFound,
                new[] { "Vault 'CorpVault'", "is not registered with SecretManagement", "Register-SecretVault -Name CorpVault" } },
            new object[] { StandIn.WithVault("@{ Password = 'pw' }"),
                "Credential.VaultLocked", ErrorCategory.PermissionDenied,
                new[] { "Vault 'CorpVault' is locked", "Unlock-SecretVault -Name CorpVault" } },
            new object[] { StandIn.WithVault(), "Credential.SecretNotFound", ErrorCategory.ObjectNotFound,
                new[] { "Secret 'OtpBlueProd' was not found in vault 'CorpVault'", "Set-Secret -Vault CorpVault -Name OtpBlueProd" } },
        };

        [Theory]
        [MemberData(nameof(VaultFailures))]
        public void Vault_failure_says_exactly_what_is_wrong_and_how_to_fix_it(string setup, string errorId, ErrorCategory category, string[] phrases)
        {
            using var config = new ConfigScope();
            var error = _m.RunTerminating(setup + RegisterProd() + Send, Vars());
            Assert.Equal(errorId + ",OtpTools.SendOtpCodeCommand", error.FullyQualifiedErrorId);
            Assert.Equal(category, error.CategoryInfo.Category);
            foreach (var phrase in phrases) Assert.Contains(phrase, error.Exception.Message);
        }

        [Fact]
        public void A_secretmanagement_installed_on_the_machine_does_not_change_what_the_tests_see()
        {
            using var config = new ConfigScope();
            config.Set("PSModulePath", RealPwsh.DecoySecretManagement() + Path.PathSeparator + Environment.GetEnvironmentVariable("PSModulePath"));
            var error = _m.RunTerminating(RegisterProd() + Send, Vars());
            Assert.Equal("Credential.SecretManagementNotInstalled,OtpTools.SendOtpCodeCommand", error.FullyQualifiedErrorId);
        }

        [Fact]
        public void Vault_failures_map_the_same_when_the_caller_prefers_Stop()
        {
            using var config = new ConfigScope();
            var error = _m.RunTerminating("$ErrorActionPreference = 'Stop'\n" + StandIn.WithVault() + RegisterProd() + Send, Vars());
            Assert.Equal("Credential.SecretNotFound,OtpTools.SendOtpCodeCommand", error.FullyQualifiedErrorId);
        }

        [Fact]
        public void Unlocking_the_vault_as_the_error_advises_lets_the_send_through()
        {
            using var config = new ConfigScope();
            var run = _m.Run(StandIn.WithVault("@{ Password = 'pw' }") + @"
                $pw = [System.Net.NetworkCredential]::new('', 'pw').SecurePassword
                Unlock-SecretVault -Name CorpVault -Password $pw
                Set-Secret -Vault CorpVault -Name OtpBlueProd -Secret $key
                " + RegisterProd() + Send, Vars());
            AssertSent(run);
        }

        [Fact]
        public void Register_with_ApiKey_stores_the_key_in_the_vault_and_the_provider_then_sends()
        {
            using var config = new ConfigScope();
            var run = _m.Run(StandIn.WithVault() + RegisterProd("-Vault CorpVault -SecretName OtpBlueProd -ApiKey $key") + @"
                (Get-Secret -Vault CorpVault -Name OtpBlueProd -AsPlainText) -eq $expected
                " + Send, new Dictionary<string, object?>(Vars()) { ["expected"] = SandboxKeys.OtpBlue });
            Assert.Equal(true, run.Output[0].BaseObject);
            Assert.True(Assert.Single(run.Objects<OtpSendResult>()).Success);
            Assert.DoesNotContain(SandboxKeys.OtpBlue, config.FileText);
        }

        [Fact]
        public void Register_with_ApiKey_into_a_missing_vault_fails_and_saves_nothing()
        {
            using var config = new ConfigScope();
            var error = _m.RunTerminating($"Import-Module '{StandIn.Manifest}'\n" + RegisterProd("-Vault CorpVault -SecretName OtpBlueProd -ApiKey $key"), Vars());
            Assert.Equal("Credential.VaultNotFound,OtpTools.RegisterOtpProviderCommand", error.FullyQualifiedErrorId);
            Assert.Equal("", config.FileText);
        }

        [Fact]
        public void The_default_registration_is_used_when_Provider_is_omitted()
        {
            using var config = new ConfigScope();
            var run = _m.Run(StandIn.WithVault() + "Set-Secret -Vault CorpVault -Name OtpBlueProd -Secret $key\n" +
                RegisterProd("-Vault CorpVault -SecretName OtpBlueProd -Default") + "Send-OtpCode -To +61412345678 -Code 123456 -Debug", Vars());
            AssertSent(run);
            Assert.Contains(run.Debug, d => d.StartsWith("Prod: OtpBlue"));
        }

        [Fact]
        public void Without_a_default_registration_an_omitted_Provider_is_still_an_error()
        {
            using var config = new ConfigScope();
            var error = _m.RunTerminating(RegisterProd() + "Send-OtpCode -To +61412345678 -Code 123456 -ApiKey $key", Vars());
            Assert.Equal("Provider.NotSpecified,OtpTools.SendOtpCodeCommand", error.FullyQualifiedErrorId);
            Assert.Contains("Set-OtpProvider -Name <name> -Default", error.Exception.Message);
        }

        [Fact]
        public void Registered_names_resolve_case_insensitively_and_unknown_names_are_not_found()
        {
            using var config = new ConfigScope();
            config.Set("OTPTOOLS_PROD_APIKEY", SandboxKeys.OtpBlue);
            var ok = _m.Run(RegisterProd("") + "Send-OtpCode -Provider pROD -To +61412345678 -Code 1", Vars());
            AssertSent(ok);
            var error = _m.RunTerminating("Send-OtpCode -Provider Nope -To +61412345678 -Code 1 -ApiKey $key", Vars());
            Assert.Equal("Provider.NotFound,OtpTools.SendOtpCodeCommand", error.FullyQualifiedErrorId);
        }

        [Fact]
        public void A_registrations_BaseUri_beats_the_environment_variable_which_serves_the_bare_type_and_registrations_without_one()
        {
            using var config = new ConfigScope();
            var sandbox = _m.Sandbox.UriFor("otpblue");
            // The variable points at a path the sandbox does not serve, so only the registration's own URI works.
            config.Set("OTPTOOLS_OTPBLUE_BASEURI", sandbox.TrimEnd('/') + "/not-here");
            var run = _m.Run($@"
                Register-OtpProvider -Name Own -Type OtpBlue -BaseUri '{sandbox}'
                Register-OtpProvider -Name NoUri -Type OtpBlue
                (Get-OtpRegion -Provider Own -ApiKey $key).Count -gt 0
                foreach ($p in 'OtpBlue', 'NoUri') {{
                    try {{ Get-OtpRegion -Provider $p -ApiKey $key; 'reached' }} catch {{ 'failed' }}
                }}", Vars());
            Assert.Equal(new object[] { true, "failed", "failed" }, run.Output.Select(o => o.BaseObject));
        }
    }
}
