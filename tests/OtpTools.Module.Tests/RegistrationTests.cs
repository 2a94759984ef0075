using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using Xunit;

namespace OtpTools.Module.Tests
{
    [Collection(ModuleCollection.Name)]
    public sealed class RegistrationTests
    {
        private readonly ModuleFixture _m;
        public RegistrationTests(ModuleFixture fixture) => _m = fixture;

        [Fact]
        public void Registrations_exported_to_csv_and_registered_again_keep_which_one_is_the_default()
        {
            using var scope = new ConfigScope();
            var run = _m.Run(@"
Register-OtpProvider -Name Alpha -Type OtpBlue
Register-OtpProvider -Name Beta -Type Otpiq -Default
Register-OtpProvider -Name Gamma -Type EngageLab
$csv = Join-Path $folder 'providers.csv'
Get-OtpProvider | Export-Csv $csv -NoTypeInformation
Unregister-OtpProvider * -Confirm:$false
Import-Csv $csv | Register-OtpProvider
Get-OtpProvider | ForEach-Object { '{0}={1}' -f $_.Name, $_.IsDefault }", new Dictionary<string, object?> { ["folder"] = scope.Folder });
            Assert.Empty(run.Errors);
            Assert.Equal(new[] { "Alpha=False", "Beta=True", "Gamma=False" }, run.Output.Select(o => (string)o.BaseObject));
        }

        [Fact]
        public void Registration_round_trips_across_runspaces_and_the_file_holds_where_the_secret_is_not_the_secret()
        {
            using var config = new ConfigScope();
            var register = _m.Run(StandIn.WithVault() +
                "Register-OtpProvider -Name Prod -Type otpblue -Vault CorpVault -SecretName OtpBlueProd -ApiKey $key -BaseUri https://otp.example.com/ -Default -PassThru",
                ModuleFixture.OtpBlueKey());
            Assert.Empty(register.Errors);
            Assert.Null(register.Terminating);
            Assert.Equal("Prod", Assert.Single(register.Objects<OtpProviderInfo>()).Name);

            var read = _m.Run("Get-OtpProvider");
            var info = Assert.Single(read.Objects<OtpProviderInfo>());
            Assert.Equal(("Prod", "OtpBlue", "https://otp.example.com/", "CorpVault", "OtpBlueProd", true),
                (info.Name, info.Type, info.BaseUri, info.Vault, info.SecretName, info.IsDefault));
            Assert.Contains("\"secretName\": \"OtpBlueProd\"", config.FileText);
            Assert.DoesNotContain(Sandbox.SandboxKeys.OtpBlue, config.FileText);
            // Only the stored camelCase fields: nothing derived such as HasVaultSecret.
            Assert.DoesNotContain("HasVaultSecret", config.FileText);
        }

        [Fact]
        public void One_line_stores_the_key_in_the_vault_and_registers_the_provider_as_the_README_says()
        {
            using var config = new ConfigScope();
            var run = _m.Run(StandIn.WithVault() + @"
Register-OtpProvider -Name Prod -Type OtpBlue -Vault CorpVault -ApiKey $key -Default
(Get-OtpProvider Prod).SecretName
Send-OtpCode -To +61412345678 -Code 123456", ModuleFixture.OtpBlueKey());
            Assert.Empty(run.Errors);
            Assert.Null(run.Terminating);
            Assert.Contains(run.Output, o => "OtpTools-Prod".Equals(o.BaseObject));
            Assert.True(Assert.Single(run.Objects<OtpSendResult>()).Success);
            Assert.DoesNotContain(Sandbox.SandboxKeys.OtpBlue, config.FileText);
        }

        [Fact]
        public void Verbose_names_the_registrations_file_in_use()
        {
            using var config = new ConfigScope();
            var run = _m.Run("Register-OtpProvider -Name Prod -Type OtpBlue -Verbose; Get-OtpProvider -Verbose");
            Assert.Equal(2, run.Verbose.Count(v => v == $"Provider registrations file: {config.File}"));
        }

        [Fact]
        public void Registering_an_existing_name_needs_Force_and_Force_replaces_it_keeping_its_default_flag()
        {
            using var config = new ConfigScope();
            _m.Run("Register-OtpProvider -Name Prod -Type OtpBlue -Default");
            var again = _m.RunTerminating("Register-OtpProvider -Name prod -Type OtpBlue -BaseUri https://a.example.com");
            Assert.Equal("Registration.Exists,OtpTools.RegisterOtpProviderCommand", again.FullyQualifiedErrorId);

            var forced = _m.Run("Register-OtpProvider -Name prod -Type OtpBlue -BaseUri https://a.example.com -Force; Get-OtpProvider");
            var info = Assert.Single(forced.Objects<OtpProviderInfo>());
            Assert.Equal(("prod", "https://a.example.com/", true), (info.Name, info.BaseUri, info.IsDefault));
        }

        [Theory]
        [InlineData("Register-OtpProvider -Name 'has space' -Type OtpBlue", "Registration.InvalidName")]
        [InlineData("Register-OtpProvider -Name 1st -Type OtpBlue", "Registration.InvalidName")]
        [InlineData("Register-OtpProvider -Name Prod -Type NoSuchType", "Registration.UnknownType")]
        [InlineData("Register-OtpProvider -Name Prod -Type OtpBlue -BaseUri http://otp.example.com", "Provider.InsecureBaseUri")]
        [InlineData("Register-OtpProvider -Name Prod -Type OtpBlue -Vault CorpVault", "Registration.VaultIncomplete")]
        public void Invalid_registration_is_rejected_and_nothing_is_saved(string command, string errorId)
        {
            using var config = new ConfigScope();
            var error = _m.RunTerminating(command);
            Assert.Equal(errorId + ",OtpTools.RegisterOtpProviderCommand", error.FullyQualifiedErrorId);
            Assert.False(File.Exists(config.File));
        }

        [Fact]
        public void A_registration_may_take_its_own_type_name()
        {
            using var config = new ConfigScope();
            var run = _m.Run("Register-OtpProvider -Name OtpBlue -Type OtpBlue -Vault CorpVault -SecretName Key -PassThru");
            Assert.Empty(run.Errors);
            Assert.Equal("OtpBlue", Assert.Single(run.Objects<OtpProviderInfo>()).Name);
        }

        [Fact]
        public void Get_OtpProvider_filters_by_wildcard_and_reports_a_missing_exact_name_as_not_found()
        {
            using var config = new ConfigScope();
            var run = _m.Run(@"
                'ProdA', 'ProdB', 'Test' | ForEach-Object { Register-OtpProvider -Name $_ -Type OtpBlue }
                Get-OtpProvider -Name prod*
                Get-OtpProvider -Name Missing -ErrorAction SilentlyContinue -ErrorVariable missing
                Get-OtpProvider -Name Nothing* 
                $missing[0].FullyQualifiedErrorId
                $missing[0].CategoryInfo.Category.ToString()");
            Assert.Equal(new[] { "ProdA", "ProdB" }, run.Objects<OtpProviderInfo>().Select(i => i.Name));
            Assert.Equal(new object[] { "Registration.NotFound,OtpTools.GetOtpProviderCommand", "ObjectNotFound" },
                run.Output.Where(o => o.BaseObject is string).Select(o => o.BaseObject));
        }

        [Fact]
        public void Set_OtpProvider_changes_only_what_is_given_and_Default_moves_to_one_registration()
        {
            using var config = new ConfigScope();
            var run = _m.Run(@"
                Register-OtpProvider -Name A -Type OtpBlue -Default -BaseUri https://a.example.com -Vault V1 -SecretName S1
                Register-OtpProvider -Name B -Type OtpBlue
                Set-OtpProvider -Name B -Default -Vault V2 -SecretName S2
                Set-OtpProvider -Name A -BaseUri ''
                Get-OtpProvider");
            Assert.Empty(run.Errors);
            var byName = run.Objects<OtpProviderInfo>().ToDictionary(i => i.Name!);
            Assert.Equal((null, "V1", "S1", false), (byName["A"].BaseUri, byName["A"].Vault, byName["A"].SecretName, byName["A"].IsDefault));
            Assert.Equal(("V2", "S2", true), (byName["B"].Vault, byName["B"].SecretName, byName["B"].IsDefault));
        }

        [Fact]
        public void WhatIf_changes_no_registration()
        {
            using var config = new ConfigScope();
            _m.Run("Register-OtpProvider -Name A -Type OtpBlue");
            var before = config.FileText;
            var run = _m.Run(@"
                Register-OtpProvider -Name B -Type OtpBlue -WhatIf
                Set-OtpProvider -Name A -BaseUri https://x.example.com -WhatIf
                Unregister-OtpProvider -Name A -WhatIf");
            Assert.Empty(run.Errors);
            Assert.Equal(before, config.FileText);
        }

        [Fact]
        public void Unregister_takes_names_from_the_pipeline_and_reports_unknown_names()
        {
            using var config = new ConfigScope();
            var run = _m.Run(@"
                'ProdA', 'ProdB', 'Keep' | ForEach-Object { Register-OtpProvider -Name $_ -Type OtpBlue }
                Get-OtpProvider -Name Prod* | Unregister-OtpProvider
                Unregister-OtpProvider -Name Gone -ErrorAction SilentlyContinue -ErrorVariable failed
                (Get-OtpProvider).Name
                $failed[0].FullyQualifiedErrorId");
            Assert.Equal(new object[] { "Keep", "Registration.NotFound,OtpTools.UnregisterOtpProviderCommand" }, run.Output.Select(o => o.BaseObject));
        }

        [Fact]
        public async Task Two_runspaces_registering_at_once_lose_no_registration_and_leave_no_temporary_file()
        {
            using var config = new ConfigScope();
            ScriptRun Register(string prefix) => _m.Run(
                $"1..25 | ForEach-Object {{ Register-OtpProvider -Name ('{prefix}' + $_) -Type OtpBlue -Vault V -SecretName ('{prefix}' + $_) }}");
            var runs = await Task.WhenAll(Task.Run(() => Register("A")), Task.Run(() => Register("B")));
            Assert.All(runs, r => Assert.Empty(r.Errors));
            Assert.All(runs, r => Assert.Null(r.Terminating));

            var names = _m.Run("(Get-OtpProvider).Name").Output.Select(o => (string)o.BaseObject).ToHashSet();
            var expected = Enumerable.Range(1, 25).SelectMany(i => new[] { "A" + i, "B" + i }).ToHashSet();
            Assert.Equal(50, names.Count);
            Assert.True(expected.SetEquals(names));
            Assert.Equal(new[] { "providers.json", "providers.json.lock" },
                Directory.GetFiles(Path.GetDirectoryName(config.File)!).Select(Path.GetFileName).OrderBy(n => n));
        }

        [Fact]
        public void A_damaged_registrations_file_is_a_clear_error_naming_the_file_for_every_cmdlet_that_reads_it()
        {
            using var config = new ConfigScope();
            Directory.CreateDirectory(Path.GetDirectoryName(config.File)!);
            File.WriteAllText(config.File, "{ \"version\": 1, \"providers\": [ { \"name\": \"Prod\", ");

            foreach (var command in new[] { "Get-OtpProvider", "Register-OtpProvider -Name X -Type OtpBlue", "Get-OtpRegion -Provider Prod" })
            {
                var error = _m.RunTerminating(command);
                Assert.StartsWith("Registration.FileDamaged,", error.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
                Assert.Contains($"'{config.File}' is damaged", error.Exception.Message);
                Assert.Contains("Register-OtpProvider", error.Exception.Message);
            }
        }

        [Fact]
        public void Provider_completion_lists_registered_names_and_type_names()
        {
            using var config = new ConfigScope();
            var run = _m.Run(@"
                Register-OtpProvider -Name Prod -Type OtpBlue
                Register-OtpProvider -Name Staging -Type OtpBlue
                (TabExpansion2 -inputScript 'Send-OtpCode -Provider ' -cursorColumn 23).CompletionMatches.CompletionText
                '--'
                (TabExpansion2 -inputScript 'Get-OtpRegion -Provider st' -cursorColumn 26).CompletionMatches.CompletionText");
            var texts = run.Output.Select(o => (string)o.BaseObject).ToList();
            var all = texts.TakeWhile(t => t != "--").ToList();
            Assert.Contains("Prod", all);
            Assert.Contains("Staging", all);
            Assert.Contains("OtpBlue", all);
            Assert.Equal(new[] { "Staging" }, texts.SkipWhile(t => t != "--").Skip(1));
        }

        [Fact]
        public void Unregister_takes_wildcards_as_Get_OtpProvider_does()
        {
            using var config = new ConfigScope();
            var run = _m.Run(@"
                'Blue1', 'Blue2', 'Other' | ForEach-Object { Register-OtpProvider -Name $_ -Type OtpBlue }
                Unregister-OtpProvider -Name 'blue*'
                Unregister-OtpProvider -Name 'nothing*'
                (Get-OtpProvider).Name");
            Assert.Empty(run.Errors);
            Assert.Equal(new[] { "Other" }, run.Output.Select(o => (string)o.BaseObject));
        }

        [Fact]
        public void Registering_a_vault_secret_without_SecretManagement_warns_at_registration_not_at_the_first_send()
        {
            using var config = new ConfigScope();
            var without = _m.Run("Register-OtpProvider -Name VaultOnly -Type OtpBlue -Vault CorpVault -SecretName OtpBlueProd");
            Assert.Empty(without.Errors);
            var warning = Assert.Single(without.Warnings);
            Assert.Contains("Get-Secret", warning);
            Assert.Contains("Install-Module Microsoft.PowerShell.SecretManagement", warning);

            var with = _m.Run(StandIn.WithVault() + "Register-OtpProvider -Name VaultOnly2 -Type OtpBlue -Vault CorpVault -SecretName OtpBlueProd");
            Assert.Empty(with.Warnings);
        }
    }
}
