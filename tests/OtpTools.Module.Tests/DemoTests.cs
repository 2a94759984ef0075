using System.Collections.Generic;
using System.IO;
using System.Linq;
using OtpTools.Sandbox;
using Xunit;

namespace OtpTools.Module.Tests
{
    [Collection(ModuleCollection.Name)]
    public sealed class DemoTests
    {
        private readonly ModuleFixture _m;
        public DemoTests(ModuleFixture fixture) => _m = fixture;

        [Fact]
        public void The_readme_demo_script_runs_against_the_sandbox_and_yields_a_complete_receipt()
        {
            var run = _m.Run("& $script -SandboxUri $uri -OtpBlueKey $key -PassThru", new Dictionary<string, object?>
            {
                ["script"] = Path.Combine(Paths.RepoRoot, "demo", "demo.ps1"),
                ["uri"] = _m.Sandbox.BaseUri.ToString(),
                ["key"] = ModuleFixture.Secure(SandboxKeys.OtpBlue),
            });
            Assert.Null(run.Terminating);
            Assert.Empty(run.Errors);
            // Results stream in completion order; Position joins them back to the input.
            var receipt = run.Objects<OtpSendResult>().OrderBy(r => r.Position).ToList();
            Assert.Equal(new[] { 1, 2, 3, 4 }, receipt.Select(r => r.Position));
            Assert.Equal(new[] { true, false, false, true }, receipt.Select(r => r.Success));
            Assert.Equal("OtpBlue.NoIMessage", receipt[1].ErrorId);
            Assert.Contains(run.Output, o => o.BaseObject is string s && s.StartsWith("2 sent, 2 failed"));
        }
    }
}
