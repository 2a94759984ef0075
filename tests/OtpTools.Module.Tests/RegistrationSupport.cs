using System;
using System.Collections.Generic;
using System.IO;

namespace OtpTools.Module.Tests
{
    /// <summary>
    /// A registrations file of the test's own (OTPTOOLS_CONFIG_PATH), plus environment variables the test changes,
    /// all restored on dispose: the Module tests share one process.
    /// </summary>
    public sealed class ConfigScope : IDisposable
    {
        private readonly Dictionary<string, string?> _saved = new Dictionary<string, string?>();

        public ConfigScope()
        {
            Folder = Path.Combine(Path.GetTempPath(), "otptools-config-" + Guid.NewGuid().ToString("N"));
            File = Path.Combine(Folder, "OtpTools", "providers.json");
            Set("OTPTOOLS_CONFIG_PATH", File);
        }

        public string Folder { get; }
        public string File { get; }
        public string FileText => System.IO.File.Exists(File) ? System.IO.File.ReadAllText(File) : "";

        public void Set(string name, string? value)
        {
            if (!_saved.ContainsKey(name)) _saved[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }

        public void Dispose()
        {
            foreach (var saved in _saved) Environment.SetEnvironmentVariable(saved.Key, saved.Value);
            if (Directory.Exists(Folder)) Directory.Delete(Folder, true);
        }
    }

    /// <summary>The SecretManagement stand-in (see its .psm1): the real module is a drop-in for it.</summary>
    public static class StandIn
    {
        public static string Manifest { get; } =
            Path.Combine(AppContext.BaseDirectory, "SecretManagementStandIn", "Microsoft.PowerShell.SecretManagement.psd1");

        /// <summary>Script prefix: imports the stand-in and registers vault CorpVault.</summary>
        public static string WithVault(string vaultParameters = "@{}") =>
            $"Import-Module '{Manifest}'\nRegister-SecretVault -Name CorpVault -ModuleName Microsoft.PowerShell.SecretStore -VaultParameters {vaultParameters}\n";
    }
}
