using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using System.Security;
using OtpTools.Engine;
using OtpTools.Engine.Credentials;
using OtpTools.Engine.Providers;
using OtpTools.Engine.Registrations;

namespace OtpTools
{
    /// <summary>
    /// Reads and writes provider secrets through SecretManagement's Get-Secret/Set-Secret, invoked in the caller's
    /// runspace, so the real module (or any module exposing the same commands) serves them and vault prompts reach the
    /// user. SecretManagement's failures are mapped by ErrorId to messages that say what to do.
    /// </summary>
    internal static class VaultSecrets
    {
        public const string InstallHint = "Install-Module Microsoft.PowerShell.SecretManagement";

        public static string Source(ProviderRegistration registration) =>
            $"vault '{registration.Vault}' secret '{registration.SecretName}' (Get-Secret)";

        public static OtpCredential Fetch(PSCmdlet cmdlet, ResolvedProvider provider)
        {
            var registration = provider.Registration!;
            var vault = registration.Vault!;
            var name = registration.SecretName!;
            var secret = FetchObject(cmdlet, provider.Name, vault, name);
            return ToCredential(secret, provider, Source(registration))
                ?? throw new OtpException("Credential.VaultSecretUnusable", OtpErrorCategory.InvalidData,
                    $"Secret '{name}' in vault '{vault}' for provider '{provider.Name}' is a {secret.GetType().Name}, which OtpTools cannot use. " +
                    $"Store the key as a SecureString, string or PSCredential{(provider.Type.CredentialKind == CredentialKind.KeyPair ? ", or a hashtable with DevKey and DevSecret" : "")}: " +
                    $"Set-Secret -Vault {vault} -Name {name} -Secret <key>.")
                { ParameterName = "Provider", TargetValue = provider.Name };
        }

        /// <summary>A secret as Get-Secret returns it (SecureString, string, PSCredential, hashtable...).</summary>
        public static object FetchObject(PSCmdlet cmdlet, string providerName, string vault, string name)
        {
            var result = Invoke(cmdlet, "Get-Secret", providerName, vault, name, ps => ps.AddParameter("Name", name).AddParameter("Vault", vault));
            return result.Select(o => o?.BaseObject).FirstOrDefault(o => o != null) ?? throw SecretNotFound(providerName, vault, name);
        }

        public static void Store(PSCmdlet cmdlet, string providerName, string vault, string name, object secret) =>
            Invoke(cmdlet, "Set-Secret", providerName, vault, name,
                ps => ps.AddParameter("Name", name).AddParameter("Vault", vault).AddParameter("Secret", secret));

        /// <summary>The shapes Get-Secret returns: SecureString, string, PSCredential, or a hashtable.</summary>
        internal static OtpCredential? ToCredential(object secret, ResolvedProvider provider, string source)
        {
            var keyPair = provider.Type.CredentialKind == CredentialKind.KeyPair;
            switch (secret)
            {
                case SecureString secure when !keyPair:
                    return OtpCredential.FromApiKey(secure, source);
                case string text when !keyPair && text.Length > 0:
                    return OtpCredential.FromPlainText(text, source);
                case PSCredential credential when keyPair:
                    return OtpCredential.FromKeyPair(OtpCredential.ToSecure(credential.UserName), credential.Password, source);
                case PSCredential credential:
                    return OtpCredential.FromApiKey(credential.Password, source + " (password)");
                case Hashtable table when keyPair:
                    var devKey = AsSecure(table["DevKey"]);
                    var devSecret = AsSecure(table["DevSecret"]);
                    return devKey == null || devSecret == null ? null : OtpCredential.FromKeyPair(devKey, devSecret, source);
                case Hashtable table:
                    var apiKey = AsSecure(table["ApiKey"]);
                    return apiKey == null ? null : OtpCredential.FromApiKey(apiKey, source + " (ApiKey)");
                default:
                    return null;
            }
        }

        /// <summary>A SecureString, or a non-empty string made one (PSObject wrappers unwrapped); null for anything else.</summary>
        internal static SecureString? AsSecure(object? value) => (value is PSObject ps ? ps.BaseObject : value) switch
        {
            SecureString secure => secure,
            string text when text.Length > 0 => OtpCredential.ToSecure(text),
            _ => null,
        };

        private static System.Collections.ObjectModel.Collection<PSObject> Invoke(PSCmdlet cmdlet, string commandName,
            string providerName, string vault, string name, Action<PowerShell> parameters)
        {
            var command = cmdlet.InvokeCommand.GetCommand(commandName, CommandTypes.Cmdlet | CommandTypes.Function | CommandTypes.Alias);
            if (command == null)
                throw new OtpException("Credential.SecretManagementNotInstalled", OtpErrorCategory.NotInstalled,
                    $"Provider '{providerName}' keeps its key in vault '{vault}', but the {commandName} command of SecretManagement is not available. " +
                    $"Install it: {InstallHint} (plus a vault extension, e.g. Install-Module Microsoft.PowerShell.SecretStore), then register the vault with Register-SecretVault.")
                { ParameterName = "Provider", TargetValue = providerName, RecommendedAction = InstallHint };

            using var ps = PowerShell.Create(RunspaceMode.CurrentRunspace);
            ps.AddCommand(command.Name);
            parameters(ps);
            // Errors come back to us as records whatever the caller's $ErrorActionPreference, so they are mapped the same way.
            ps.AddParameter("ErrorAction", ActionPreference.Continue);
            System.Collections.ObjectModel.Collection<PSObject> output;
            try
            {
                output = ps.Invoke();
            }
            catch (RuntimeException e)
            {
                throw Map(e.ErrorRecord, e, providerName, vault, name, commandName);
            }
            var error = ps.Streams.Error.FirstOrDefault();
            if (error != null) throw Map(error, error.Exception, providerName, vault, name, commandName);
            return output;
        }

        private static OtpException Map(ErrorRecord? record, Exception exception, string provider, string vault, string name, string commandName)
        {
            var id = (record?.FullyQualifiedErrorId ?? "").Split(',')[0];
            var text = string.Join(" ", new[] { exception.Message, exception.InnerException?.Message, record?.ErrorDetails?.Message }.Where(t => !string.IsNullOrEmpty(t)));
            if (id == "GetSecretVaultNotFound" || id == "SetSecretVaultNotFound" || text.IndexOf("Vault not found in registry", StringComparison.OrdinalIgnoreCase) >= 0)
                return new OtpException("Credential.VaultNotFound", OtpErrorCategory.ObjectNotFound,
                    $"Vault '{vault}' (for provider '{provider}') is not registered with SecretManagement. Register it with " +
                    $"Register-SecretVault -Name {vault} -ModuleName <vault module>, or point the provider at another vault: Set-OtpProvider -Name {provider} -Vault <vault>.")
                { ParameterName = "Provider", TargetValue = provider, RecommendedAction = $"Register-SecretVault -Name {vault} -ModuleName <vault module>" };
            if (id == "GetSecretNotFound")
                return SecretNotFound(provider, vault, name);
            if (LooksLocked(text))
                return new OtpException("Credential.VaultLocked", OtpErrorCategory.PermissionDenied,
                    $"Vault '{vault}' is locked, so secret '{name}' for provider '{provider}' could not be read. Unlock it first: " +
                    $"Unlock-SecretVault -Name {vault} (in a runbook: Unlock-SecretVault -Name {vault} -Password $password), then run the command again.")
                { ParameterName = "Provider", TargetValue = provider, RecommendedAction = $"Unlock-SecretVault -Name {vault}" };
            return new OtpException("Credential.VaultError", OtpErrorCategory.ReadError,
                $"{commandName} failed for secret '{name}' in vault '{vault}' (provider '{provider}'): {exception.Message}")
            { ParameterName = "Provider", TargetValue = provider };
        }

        private static bool LooksLocked(string text) =>
            new[] { "locked", "unlock", "password is required", "requires a password" }
                .Any(w => text.IndexOf(w, StringComparison.OrdinalIgnoreCase) >= 0);

        private static OtpException SecretNotFound(string provider, string vault, string name) =>
            new OtpException("Credential.SecretNotFound", OtpErrorCategory.ObjectNotFound,
                $"Secret '{name}' was not found in vault '{vault}' (provider '{provider}'). Store the key there: " +
                $"Set-Secret -Vault {vault} -Name {name} -Secret (Read-Host -AsSecureString), or point the provider at the right secret: Set-OtpProvider -Name {provider} -SecretName <name>.")
            { ParameterName = "Provider", TargetValue = provider, RecommendedAction = $"Set-Secret -Vault {vault} -Name {name} -Secret (Read-Host -AsSecureString)" };
    }
}
