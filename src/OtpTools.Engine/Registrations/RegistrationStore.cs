using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using OtpTools.Engine.Providers;

namespace OtpTools.Engine.Registrations
{
    /// <summary>
    /// The registrations file. Reads never lock (writes replace the file atomically, so a reader sees the old or the
    /// new file); each change is a read-modify-write under an exclusive lock file, so concurrent sessions lose nothing.
    /// </summary>
    public sealed class RegistrationStore
    {
        public const string PathVariable = "OTPTOOLS_CONFIG_PATH";
        private static readonly Regex NamePattern = new Regex("^[A-Za-z][A-Za-z0-9_-]{0,63}$", RegexOptions.CultureInvariant);
        private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(15);
        // Same-process writers (several runspaces) also serialise here; the lock file covers other processes.
        private static readonly ConcurrentDictionary<string, object> ProcessLocks = new ConcurrentDictionary<string, object>(StringComparer.Ordinal);

        public RegistrationStore(string path) => Path = System.IO.Path.GetFullPath(path);

        public string Path { get; }
        private string LockPath => Path + ".lock";

        /// <summary>$env:OTPTOOLS_CONFIG_PATH, else the user's configuration folder (XDG on Linux/macOS, %APPDATA% on Windows).</summary>
        public static RegistrationStore ForCurrentUser(Func<string, string?>? environment = null) =>
            new RegistrationStore(DefaultPath(environment ?? Environment.GetEnvironmentVariable));

        public static string DefaultPath(Func<string, string?> environment)
        {
            var overridden = environment(PathVariable);
            if (!string.IsNullOrWhiteSpace(overridden)) return overridden!.Trim();
            string folder;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                folder = environment("APPDATA") is { Length: > 0 } appData ? appData
                    : Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData);
            }
            else
            {
                folder = environment("XDG_CONFIG_HOME") is { Length: > 0 } xdg ? xdg
                    : System.IO.Path.Combine(environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
            }
            return System.IO.Path.Combine(folder, "OtpTools", "providers.json");
        }

        /// <summary>
        /// Letters, digits, '-' and '_', starting with a letter, at most 64 characters (it also names environment
        /// variables such as OTPTOOLS_PROD_APIKEY). A name equal to a type name is allowed only for that type, so
        /// "OtpBlue" can never silently mean another provider.
        /// </summary>
        public static void ValidateName(string? name, IOtpProviderType type)
        {
            if (name == null || !NamePattern.IsMatch(name))
                throw new OtpException("Registration.InvalidName", OtpErrorCategory.InvalidArgument,
                    $"Provider name '{name}' is not valid: use 1 to 64 letters, digits, '-' or '_', starting with a letter.")
                { ParameterName = "Name", TargetValue = name };
            var typeNamed = ProviderCatalog.Find(name);
            if (typeNamed != null && typeNamed != type)
                throw new OtpException("Registration.NameIsTypeName", OtpErrorCategory.InvalidArgument,
                    $"Provider name '{name}' is the name of the {typeNamed.Name} type; a registration may use it only with -Type {typeNamed.Name}. Choose another name.")
                { ParameterName = "Name", TargetValue = name };
        }

        public IReadOnlyList<ProviderRegistration> Load() => Read().Providers!;

        public ProviderRegistration? Find(string? name) =>
            string.IsNullOrWhiteSpace(name) ? null
                : Load().FirstOrDefault(r => string.Equals(r.Name, name!.Trim(), StringComparison.OrdinalIgnoreCase));

        public ProviderRegistration? FindDefault() => Load().FirstOrDefault(r => r.IsDefault);

        /// <summary>Read-modify-write under the lock: the file is re-read inside it, changed, and replaced atomically.</summary>
        public T Update<T>(Func<List<ProviderRegistration>, T> change)
        {
            lock (ProcessLocks.GetOrAdd(Path, _ => new object()))
            {
                using (AcquireFileLock())
                {
                    var file = Read();
                    // Rewriting a newer format could drop what this version cannot see: refuse, and say why.
                    if (file.Version > RegistrationFile.CurrentVersion)
                        throw new OtpException("Registration.NewerFormat", OtpErrorCategory.InvalidOperation,
                            $"The provider registrations file '{Path}' was written by a newer OtpTools (format {file.Version}; this version writes " +
                            $"{RegistrationFile.CurrentVersion}). Nothing was changed: change registrations with that newer version, or update OtpTools.")
                        { TargetValue = Path, RecommendedAction = "Update the OtpTools module (Update-Module OtpTools), then try again." };
                    var result = change(file.Providers!);
                    Write(file);
                    return result;
                }
            }
        }

        /// <summary>The file as read, its providers never null; fields this version does not know are kept for the rewrite.</summary>
        private RegistrationFile Read()
        {
            string text;
            try
            {
                using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream, Encoding.UTF8);
                text = reader.ReadToEnd();
            }
            catch (FileNotFoundException) { return new RegistrationFile { Providers = new List<ProviderRegistration>() }; }
            catch (DirectoryNotFoundException) { return new RegistrationFile { Providers = new List<ProviderRegistration>() }; }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new OtpException("Registration.FileUnreadable", OtpErrorCategory.ReadError,
                    $"The provider registrations file '{Path}' cannot be read: {e.Message}", e) { TargetValue = Path };
            }

            if (string.IsNullOrWhiteSpace(text)) return new RegistrationFile { Providers = new List<ProviderRegistration>() };
            RegistrationFile? file;
            try
            {
                file = JsonSerializer.Deserialize(text, RegistrationJsonContext.Default.RegistrationFile);
            }
            catch (JsonException e)
            {
                throw Damaged(e.LineNumber is long line ? $"invalid JSON at line {line + 1}" : "invalid JSON", e);
            }
            file ??= new RegistrationFile();
            file.Providers ??= new List<ProviderRegistration>();
            if (file.Providers.Any(r => r == null || string.IsNullOrWhiteSpace(r.Name) || string.IsNullOrWhiteSpace(r.Type)))
                throw Damaged("an entry has no name or type", null);
            return file;
        }

        private OtpException Damaged(string what, Exception? inner) =>
            new OtpException("Registration.FileDamaged", OtpErrorCategory.InvalidData,
                $"The provider registrations file '{Path}' is damaged ({what}). Fix the file, or delete it and register the " +
                "providers again with Register-OtpProvider (it holds no secrets; those stay in their vaults).", inner)
            {
                TargetValue = Path,
                RecommendedAction = $"Repair or delete '{Path}', then run Register-OtpProvider again.",
            };

        private void Write(RegistrationFile file)
        {
            var folder = System.IO.Path.GetDirectoryName(Path)!;
            Directory.CreateDirectory(folder);
            file.Providers = file.Providers!.OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase).ToList();
            var json = JsonSerializer.Serialize(file, RegistrationJsonContext.Default.RegistrationFile);
            // Written beside the target so the final rename stays on one volume and is atomic.
            var temp = System.IO.Path.Combine(folder, "." + System.IO.Path.GetFileName(Path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            try
            {
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    var bytes = new UTF8Encoding(false).GetBytes(json + "\n");
                    stream.Write(bytes, 0, bytes.Length);
                    stream.Flush(true);
                }
                if (File.Exists(Path)) File.Replace(temp, Path, null, true);
                else File.Move(temp, Path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new OtpException("Registration.FileUnwritable", OtpErrorCategory.WriteError,
                    $"The provider registrations file '{Path}' cannot be written: {e.Message}", e) { TargetValue = Path };
            }
            finally
            {
                if (File.Exists(temp)) File.Delete(temp);
            }
        }

        /// <summary>An exclusive lock file (FileShare.None), retried with a short randomised backoff.</summary>
        private IDisposable AcquireFileLock()
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            var random = new Random();
            var deadline = DateTime.UtcNow + LockTimeout;
            var delay = 5;
            while (true)
            {
                try
                {
                    return new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                }
                catch (IOException) when (DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(delay + random.Next(delay));
                    delay = Math.Min(delay * 2, 100);
                }
                catch (IOException e)
                {
                    throw new OtpException("Registration.FileLocked", OtpErrorCategory.ResourceBusy,
                        $"The provider registrations file '{Path}' stayed locked by another session for {LockTimeout.TotalSeconds:0} seconds " +
                        $"(lock file '{LockPath}'). Try again; if no other session is running, delete the lock file.", e) { TargetValue = Path };
                }
            }
        }
    }
}
