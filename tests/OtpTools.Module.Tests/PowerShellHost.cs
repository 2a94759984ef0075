using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;
using System.Threading.Tasks;
using OtpTools.Sandbox;
using Xunit;

namespace OtpTools.Module.Tests
{
    /// <summary>Where the repository and the built module are.</summary>
    public static class Paths
    {
        public static string RepoRoot { get; } = FindRepoRoot();
        public static string ModuleFolder => Path.Combine(RepoRoot, "out", "OtpTools");
        public static string Manifest => Path.Combine(ModuleFolder, "OtpTools.psd1");

        /// <summary>Debug or Release, as this test assembly was built.</summary>
        public static string Configuration =>
            new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

        private static string FindRepoRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "OtpTools.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("OtpTools.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Everything one script run produced, stream by stream.</summary>
    public sealed class ScriptRun
    {
        public List<PSObject> Output { get; } = new List<PSObject>();
        public List<ErrorRecord> Errors { get; } = new List<ErrorRecord>();
        public List<string> Warnings { get; } = new List<string>();
        public List<string> Verbose { get; } = new List<string>();
        public List<string> Debug { get; } = new List<string>();
        public List<string> Information { get; } = new List<string>();
        public List<ProgressRecord> Progress { get; } = new List<ProgressRecord>();
        /// <summary>A terminating error that ended the script, if any.</summary>
        public Exception? Terminating { get; set; }

        public IEnumerable<T> Objects<T>() => Output.Select(o => o?.BaseObject).OfType<T>();

        public object? Prop(PSObject obj, string name) => obj.Properties[name]?.Value;

        /// <summary>Every piece of text the run produced, for leak checks.</summary>
        public string AllText() => string.Join("\n", Output.Where(o => o != null).Select(o => o.ToString())
            .Concat(Output.Where(o => o != null).SelectMany(o => o.Properties.Select(p => p.Value?.ToString() ?? "")))
            .Concat(Errors.Select(e => e + " " + e.Exception + " " + e.ErrorDetails?.Message + " " + e.TargetObject))
            .Concat(Warnings).Concat(Verbose).Concat(Debug).Concat(Information)
            .Concat(Progress.Select(p => p.Activity + " " + p.StatusDescription + " " + p.CurrentOperation))
            .Append(Terminating?.ToString() ?? ""));
    }

    /// <summary>
    /// One sandbox and one hosted PowerShell per test collection. The provider base URIs point at the sandbox through
    /// the documented environment variables, exactly as a user would set them.
    /// </summary>
    public sealed class ModuleFixture : IAsyncLifetime
    {
        public SandboxServer Sandbox { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Assert.True(File.Exists(Paths.Manifest), $"The module is not built at {Paths.Manifest}: run 'dotnet build' first.");
            Hermetic.ApplyToThisProcess();
            // The test provider from outside src/ is served too; the module knows it only while a test plugs it in.
            Sandbox = await SandboxServer.StartAsync(plugged: new ISandboxProvider[] { new TestProvider.Sandbox.AcmeSandbox() });
            // No test may read or write the user's real registrations file.
            Environment.SetEnvironmentVariable("OTPTOOLS_CONFIG_PATH", Path.Combine(Path.GetTempPath(), "otptools-tests-" + Guid.NewGuid().ToString("N"), "providers.json"));
            // Every provider the sandbox serves, from the sandbox itself: a new provider needs no line here.
            foreach (var (name, value) in Sandbox.ClientVariables.Where(v => v.Name.EndsWith("_BASEURI", StringComparison.Ordinal)))
                Environment.SetEnvironmentVariable(name, value);
        }

        public async Task DisposeAsync() => await Sandbox.DisposeAsync();

        public static SecureString Secure(string text)
        {
            var secure = new SecureString();
            foreach (var c in text) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }

        /// <summary>
        /// Runs script text in a fresh runspace that has imported the module by its manifest. Variables are set first,
        /// e.g. ("key", Secure(...)). With <paramref name="import"/> false the script imports (or not) by itself.
        /// </summary>
        public ScriptRun Run(string script, IDictionary<string, object?>? variables = null, bool import = true,
            Action<PowerShell>? whileRunning = null, System.Management.Automation.Host.PSHost? host = null)
        {
            var state = InitialSessionState.CreateDefault2();
            if (import) state.ImportPSModule(new[] { Paths.Manifest });
            using var runspace = host == null ? RunspaceFactory.CreateRunspace(state) : RunspaceFactory.CreateRunspace(host, state);
            runspace.Open();
            Hermetic.ResetModulePath();
            foreach (var v in variables ?? new Dictionary<string, object?>())
                runspace.SessionStateProxy.SetVariable(v.Key, v.Value);
            using var ps = PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddScript(script);
            var run = new ScriptRun();
            ps.Streams.Error.DataAdded += (s, e) => run.Errors.Add(ps.Streams.Error[e.Index]);
            ps.Streams.Warning.DataAdded += (s, e) => run.Warnings.Add(ps.Streams.Warning[e.Index].Message);
            ps.Streams.Verbose.DataAdded += (s, e) => run.Verbose.Add(ps.Streams.Verbose[e.Index].Message);
            ps.Streams.Debug.DataAdded += (s, e) => run.Debug.Add(ps.Streams.Debug[e.Index].Message);
            ps.Streams.Information.DataAdded += (s, e) => run.Information.Add(ps.Streams.Information[e.Index].MessageData?.ToString() ?? "");
            ps.Streams.Progress.DataAdded += (s, e) => run.Progress.Add(ps.Streams.Progress[e.Index]);
            var output = new PSDataCollection<PSObject>();
            output.DataAdded += (s, e) => { lock (run.Output) run.Output.Add(output[e.Index]); };
            try
            {
                var handle = ps.BeginInvoke<PSObject, PSObject>(null, output);
                whileRunning?.Invoke(ps);
                ps.EndInvoke(handle);
            }
            catch (RuntimeException e)
            {
                // Includes PipelineStoppedException (Ctrl+C) and ActionPreferenceStopException (-ErrorAction Stop).
                run.Terminating = e;
            }
            return run;
        }

        /// <summary>
        /// Runs a command that must fail with a terminating error (statement- or script-terminating), caught as a
        /// user's try/catch would catch it; non-terminating errors do not count.
        /// </summary>
        public ErrorRecord RunTerminating(string command, IDictionary<string, object?>? variables = null)
        {
            var run = Run("try { " + command + "\n'<<completed>>' } catch { $_ }", variables);
            Assert.DoesNotContain(run.Output, o => "<<completed>>".Equals(o.BaseObject));
            return Assert.IsType<ErrorRecord>(Assert.Single(run.Output).BaseObject);
        }

        /// <summary>
        /// Runs a single-row send that must be rejected before any HTTP call: one failed receipt with no attempt, one
        /// InvalidArgument ErrorRecord whose target is the offending value and whose text names the limit.
        /// </summary>
        public ScriptRun AssertRejectedBeforeHttp(string prefix, string script, IDictionary<string, object?> variables,
            string errorId, string? offending, string limitText)
        {
            var before = Sandbox.RequestCount(prefix);
            var run = Run(script, variables);

            Assert.Equal(before, Sandbox.RequestCount(prefix));
            var result = Assert.Single(run.Objects<OtpSendResult>());
            Assert.False(result.Success);
            Assert.Equal(errorId, result.ErrorId);
            Assert.Equal(0, result.Attempts);
            var error = Assert.Single(run.Errors);
            Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Equal(offending, error.TargetObject as string);
            Assert.Contains(limitText, error.ToString());
            return run;
        }

        /// <summary>Variables for a script that sends through OTP Blue with the sandbox key.</summary>
        public static Dictionary<string, object?> OtpBlueKey() =>
            new Dictionary<string, object?> { ["key"] = Secure(SandboxKeys.OtpBlue) };
    }

    [CollectionDefinition(Name)]
    public sealed class ModuleCollection : ICollectionFixture<ModuleFixture>
    {
        /// <summary>One collection: the tests share environment variables and the sandbox, so they run one at a time.</summary>
        public const string Name = "Module";
    }
}
