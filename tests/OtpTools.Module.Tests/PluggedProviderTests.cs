using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Xunit;

namespace OtpTools.Module.Tests
{
    /// <summary>
    /// A provider from outside src/ (tests/OtpTools.TestProvider) plugged into the loaded module: Send-OtpCode gains
    /// its options as parameters, with completion, validation and redaction, and sends through its own sandbox over
    /// real HTTP; no file of the module changed.
    /// </summary>
    /// <summary>Plugs the test provider (tests/OtpTools.TestProvider) into the module's engine for one run, and out again.</summary>
    public static class AcmePlug
    {
        private static string ProviderAssembly => Path.Combine(Paths.RepoRoot, "tests", "OtpTools.TestProvider", "bin", Paths.Configuration,
            "netstandard2.0", "OtpTools.TestProvider.dll");

        /// <summary>Loads the test provider next to the module's engine (its private load context) and plugs it in for one run.</summary>
        public static ScriptRun Run(ModuleFixture m, string script, IDictionary<string, object?>? variables = null)
        {
            Assert.True(File.Exists(ProviderAssembly), ProviderAssembly);
            // The module's engine is loaded by its first use.
            m.Run("Send-OtpCode -Provider OtpBlue -To +61412345678 -Code 1 -ApiKey (ConvertTo-SecureString k -AsPlainText -Force) -WhatIf | Out-Null");
            // The engine the module runs on: loaded from the module's folder (in its private context on PowerShell 7).
            var engine = AppDomain.CurrentDomain.GetAssemblies()
                .Where(a => a.GetName().Name == "OtpTools.Engine").ToList();
            Assert.True(engine.Count > 0, "no engine loaded: " + string.Join(", ", AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name).Where(n => n!.StartsWith("OtpTools"))));
            var ours = engine.FirstOrDefault(a => a.Location.StartsWith(Paths.ModuleFolder, StringComparison.Ordinal))
                ?? throw new Xunit.Sdk.XunitException("engines: " + string.Join(", ", engine.Select(a => a.Location + " in " + AssemblyLoadContext.GetLoadContext(a)?.Name)));
            var context = AssemblyLoadContext.GetLoadContext(ours)!;
            var plug = context.LoadFromAssemblyPath(ProviderAssembly).GetType("OtpTools.TestProvider.Plug")!;
            plug.GetMethod("In")!.Invoke(null, null);
            try
            {
                return m.Run(script, variables);
            }
            finally
            {
                plug.GetMethod("Out")!.Invoke(null, null);
            }
        }
    }

    [Collection(ModuleCollection.Name)]
    public sealed class PluggedProviderTests
    {
        private readonly ModuleFixture _m;
        public PluggedProviderTests(ModuleFixture fixture) => _m = fixture;

        private ScriptRun WithAcme(string script, Dictionary<string, object?>? variables = null) => AcmePlug.Run(_m, script, variables);

        [Fact]
        public void A_provider_declared_outside_the_module_gets_its_options_as_Send_OtpCode_parameters_that_work()
        {
            var run = WithAcme(@"
(Get-Command Send-OtpCode).Parameters.ContainsKey('Priority')
(TabExpansion2 -inputScript 'Send-OtpCode -Provider Acme -Priority ' -cursorColumn 38).CompletionMatches.CompletionText -join ','
(TabExpansion2 -inputScript 'Send-OtpCode -Provider ' -cursorColumn 23).CompletionMatches.CompletionText -contains 'Acme'
[pscustomobject]@{ Phone = '+61412345678'; Code = '1234'; Priority = 'high' } | Send-OtpCode -Provider Acme -ApiKey $k -AcmeToken (ConvertTo-SecureString 'tok-987654321' -AsPlainText -Force)
Send-OtpCode -Provider Acme -To +61412345678 -Code 1 -ApiKey $k -Priority urgent
Send-OtpCode -Provider OtpBlue -To +61412345678 -Code 1 -ApiKey $k -AcmeToken (ConvertTo-SecureString 'tok-987654321' -AsPlainText -Force)",
                new Dictionary<string, object?> { ["k"] = ModuleFixture.Secure(TestProvider.Sandbox.AcmeSandbox.ApiKey) });
            Assert.Equal(true, run.Output[0].BaseObject);
            Assert.Equal("high,low,normal", run.Output[1].BaseObject);
            Assert.Equal(true, run.Output[2].BaseObject);
            var receipts = run.Objects<OtpSendResult>().ToList();
            Assert.Equal(3, receipts.Count);
            Assert.True(receipts[0].Success, receipts[0].ErrorMessage);
            Assert.Equal("Acme", receipts[0].ProviderType);
            // Over real HTTP to its own sandbox: -Priority bound from the CSV column, the secret option in the body.
            var delivered = _m.Sandbox.Provider<TestProvider.Sandbox.AcmeSandbox>().Deliveries.Single(d => d.Id == receipts[0].MessageId);
            Assert.Equal(("+61412345678", "1234", "high", "tok-987654321"), (delivered.To, delivered.Code, delivered.Priority, delivered.Token));
            Assert.Equal("Validation.PriorityNotSupported", receipts[1].ErrorId);
            Assert.Equal("Validation.UnsupportedParameter", receipts[2].ErrorId);
            // The secret option is named, never echoed.
            var refused = run.Errors.Single(e => e.FullyQualifiedErrorId.StartsWith("Validation.UnsupportedParameter", StringComparison.Ordinal));
            Assert.Equal("***", refused.TargetObject);
            Assert.DoesNotContain("tok-987654321", string.Join("\n", run.Errors.Select(e => e.ToString())) + run.AllText());
        }

        [Fact]
        public void Without_the_plug_the_module_knows_nothing_of_it()
        {
            var run = _m.Run("(Get-Command Send-OtpCode).Parameters.ContainsKey('Priority')");
            Assert.Equal(false, run.Output.Single().BaseObject);
        }
    }
}
