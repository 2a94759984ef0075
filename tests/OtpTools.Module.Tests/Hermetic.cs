using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;

namespace OtpTools.Module.Tests
{
    /// <summary>
    /// The machine the tests run on must not change a result: every hosted runspace and every process the tests start
    /// gets a HOME, XDG folders, config path and module path of its own. The machine's installed modules (a real
    /// SecretManagement among them), profiles and registrations stay out of reach.
    /// </summary>
    public static class Hermetic
    {
        private static readonly string OriginalHome = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

        /// <summary>One folder per test run, holding the private HOME and config folders.</summary>
        public static string Root { get; } = CreateRoot();

        public static string Home => Path.Combine(Root, "home");

        /// <summary>Pester and nothing else the machine has (the built-in modules come with the engine itself).</summary>
        public static string ModulePath => Path.Combine(Paths.RepoRoot, "out", "tools");

        /// <summary>The variables that decide where PowerShell and OtpTools look for profiles, modules and registrations.</summary>
        public static IReadOnlyDictionary<string, string> Variables { get; } = new Dictionary<string, string>
        {
            // dotnet itself (the pwsh tool, PackModule builds) keeps the machine's package cache: nothing to download.
            ["NUGET_PACKAGES"] = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(OriginalHome, ".nuget", "packages"),
            ["DOTNET_CLI_HOME"] = Environment.GetEnvironmentVariable("DOTNET_CLI_HOME") ?? OriginalHome,
            ["HOME"] = Home,
            ["USERPROFILE"] = Home,
            ["XDG_CONFIG_HOME"] = Path.Combine(Home, ".config"),
            ["XDG_DATA_HOME"] = Path.Combine(Home, ".local", "share"),
            ["XDG_CACHE_HOME"] = Path.Combine(Home, ".cache"),
            ["APPDATA"] = Path.Combine(Home, "AppData", "Roaming"),
            ["LOCALAPPDATA"] = Path.Combine(Home, "AppData", "Local"),
            ["OTPTOOLS_CONFIG_PATH"] = Path.Combine(Home, ".config", "OtpTools", "providers.json"),
            ["POWERSHELL_TELEMETRY_OPTOUT"] = "1",
            ["POWERSHELL_UPDATECHECK"] = "Off",
        };

        /// <summary>Points this process (and so its hosted runspaces) at the private folders.</summary>
        public static void ApplyToThisProcess()
        {
            foreach (var variable in Variables) Environment.SetEnvironmentVariable(variable.Key, variable.Value);
        }

        /// <summary>
        /// PowerShell adds the user's and the machine's module folders to PSModulePath whenever a runspace opens;
        /// this puts the private path back (call it after opening).
        /// </summary>
        public static void ResetModulePath() => Environment.SetEnvironmentVariable("PSModulePath", ModulePath);

        /// <summary>
        /// A process start with the private folders and no OTPTOOLS_* variable of the caller's (base URIs, keys).
        /// <paramref name="extraModulePath"/> lands in the inherited PSModulePath, as a machine's installed modules do.
        /// </summary>
        public static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> arguments, string? extraModulePath = null)
        {
            var start = new ProcessStartInfo(fileName)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = Encoding.UTF8,
                StandardErrorEncoding = Encoding.UTF8,
                WorkingDirectory = Paths.RepoRoot,
                UseShellExecute = false,
            };
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("OTPTOOLS_", StringComparison.OrdinalIgnoreCase)).ToList())
                start.Environment.Remove(name);
            foreach (var variable in Variables) start.Environment[variable.Key] = variable.Value;
            start.Environment["PSModulePath"] = extraModulePath == null ? ModulePath : extraModulePath + Path.PathSeparator + ModulePath;
            return start;
        }

        private static string CreateRoot()
        {
            var root = Path.Combine(Path.GetTempPath(), "otptools-hermetic-" + Guid.NewGuid().ToString("N"));
            foreach (var folder in new[] { ".config", ".local/share", ".cache", "AppData/Roaming", "AppData/Local" })
                Directory.CreateDirectory(Path.Combine(root, "home", folder));
            return root;
        }
    }
}
