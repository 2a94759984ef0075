using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using OtpTools.Engine;
using OtpTools.Engine.Providers;
using OtpTools.Engine.Registrations;

namespace OtpTools
{
    /// <summary>
    /// Lets a switch bind from CSV text: Import-Csv gives "True"/"False" strings, which PowerShell otherwise refuses
    /// for a switch (and a plain cast would turn "False" into true).
    /// </summary>
    public sealed class BooleanTextAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (!(value is string text)) return inputData;
            text = text.Trim();
            if (text.Length == 0 || string.Equals(text, "False", StringComparison.OrdinalIgnoreCase) || text == "0") return new SwitchParameter(false);
            if (string.Equals(text, "True", StringComparison.OrdinalIgnoreCase) || text == "1") return new SwitchParameter(true);
            throw new ArgumentTransformationMetadataException($"'{text}' is not True or False.");
        }
    }

    /// <summary>Shared by the registration cmdlets: the store, engine errors as ErrorRecords, output objects.</summary>
    public abstract class OtpRegistrationCmdlet : PSCmdlet
    {
        private RegistrationStore? _store;

        /// <summary>The registrations file, found once per command; -Verbose names it.</summary>
        internal RegistrationStore Store
        {
            get
            {
                if (_store != null) return _store;
                _store = RegistrationStore.ForCurrentUser();
                WriteVerbose($"Provider registrations file: {_store.Path}");
                return _store;
            }
        }

        internal static OtpProviderInfo ToInfo(ProviderRegistration r) => new OtpProviderInfo
        {
            Name = r.Name,
            Type = r.Type,
            BaseUri = r.BaseUri,
            Vault = r.Vault,
            SecretName = r.SecretName,
            Route = r.IsRoute ? string.Join(", ", r.Route!) : null,
            WebhookSecretName = r.WebhookSecretName,
            IsDefault = r.IsDefault,
        };

        internal void Fail(OtpException error, object? target) => ThrowTerminatingError(OtpErrors.ToRecord(error, target));

        internal void WriteFailure(OtpException error, object? target) => WriteError(OtpErrors.ToRecord(error, target));

        internal static OtpException NotFound(string name, RegistrationStore store) =>
            new OtpException("Registration.NotFound", OtpErrorCategory.ObjectNotFound,
                $"No provider named '{name}' is registered (registrations file '{store.Path}'). Get-OtpProvider lists them; Register-OtpProvider adds one.")
            { ParameterName = "Name", TargetValue = name };

        internal static string? CheckBaseUri(string? value) =>
            string.IsNullOrWhiteSpace(value) ? null : ProviderResolver.ParseBaseUri(value!, "-BaseUri").AbsoluteUri;

        internal static void CheckVault(string? vault, string? secretName, string? webhookSecretName = null)
        {
            var noSecret = string.IsNullOrEmpty(secretName) && string.IsNullOrEmpty(webhookSecretName);
            if (string.IsNullOrEmpty(vault) != noSecret)
                throw new OtpException("Registration.VaultIncomplete", OtpErrorCategory.InvalidArgument,
                    "-Vault goes with -SecretName (the API key) or -WebhookSecretName (the webhook secret): name the vault and a secret in it, or neither.")
                { ParameterName = string.IsNullOrEmpty(vault) ? "Vault" : "SecretName" };
        }

        /// <summary>Only one registration is the default.</summary>
        internal static void MakeDefault(List<ProviderRegistration> all, ProviderRegistration chosen)
        {
            foreach (var r in all) r.IsDefault = false;
            chosen.IsDefault = true;
        }
    }

    /// <summary>
    /// Registers a named provider: its type, optional base URI, and the vault secret that holds its key. With -ApiKey or
    /// -Credential the key is first stored in the vault through Set-Secret. The registrations file never holds a secret.
    /// </summary>
    [ProviderCapability(typeof(IOtpCodeSender))]
    [Cmdlet(VerbsLifecycle.Register, "OtpProvider", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(OtpProviderInfo))]
    public sealed class RegisterOtpProviderCommand : OtpRegistrationCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        public string Name { get; set; } = "";

        /// <summary>OtpBlue, GetOtp, Otpiq or EngageLab (the types this version knows; tab completion lists them); "Route" or none with -Route.</summary>
        // Not mandatory to PowerShell: a route has no type, and one parameter set keeps a Get-OtpProvider CSV (Type and Route columns) binding.
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ProviderTypeCompleter))]
        public string Type { get; set; } = "";

        /// <summary>
        /// A route instead of one provider: the providers (types or registration names) Send-OtpCode tries in order,
        /// moving on only when an answer proves nothing was delivered. "OtpBlue, Otpiq" in one string works too (a CSV cell).
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ProviderNameCompleter))]
        [AllowEmptyString, AllowEmptyCollection, AllowNull]
        public string?[]? Route { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? BaseUri { get; set; }

        /// <summary>The SecretManagement vault that holds the key.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Vault { get; set; }

        /// <summary>The secret's name in the vault.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? SecretName { get; set; }

        /// <summary>The secret in the same vault that Receive-OtpDeliveryReport checks the provider's webhooks against.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? WebhookSecretName { get; set; }

        /// <summary>Stores this key in the vault (Set-Secret) before saving the registration.</summary>
        [Parameter]
        public SecureString? ApiKey { get; set; }

        /// <summary>Stores this credential in the vault (EngageLab: user name = dev_key, password = dev_secret).</summary>
        [Parameter]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>Use this provider when -Provider is omitted; binds from a Get-OtpProvider CSV's IsDefault column.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("IsDefault")]
        [BooleanText]
        public SwitchParameter Default { get; set; }

        /// <summary>Replace an existing registration of the same name.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var hops = (Route ?? new string?[0]).SelectMany(r => (r ?? "").Split(',')).Select(h => h.Trim()).Where(h => h.Length > 0).ToList();
            if (hops.Count > 0 && (string.IsNullOrEmpty(Type) || string.Equals(Type, ProviderRegistration.RouteType, StringComparison.OrdinalIgnoreCase)))
            {
                RegisterRoute(hops);
                return;
            }
            var store = Store;
            try
            {
                if (hops.Count > 0)
                    throw new OtpException("Registration.TypeAndRoute", OtpErrorCategory.InvalidArgument,
                        $"Give -Type for one provider or -Route for a route, not both (-Type {Type} -Route {string.Join(", ", hops)}).")
                    { ParameterName = "Route", TargetValue = Type };
                if (string.IsNullOrEmpty(Type) || string.Equals(Type, ProviderRegistration.RouteType, StringComparison.OrdinalIgnoreCase))
                    throw new OtpException("Registration.TypeRequired", OtpErrorCategory.InvalidArgument,
                        $"Say what '{Name}' is: -Type {string.Join(" | ", ProviderCatalog.All.Select(t => t.Name))}, or -Route <providers> for a route.")
                    { ParameterName = "Type", TargetValue = Name };
                var type = ProviderCatalog.Find(Type)
                    ?? throw new OtpException("Registration.UnknownType", OtpErrorCategory.InvalidArgument,
                        $"Provider type '{Type}' is not known. Use one of: {string.Join(", ", ProviderCatalog.All.Select(t => t.Name))}.")
                    { ParameterName = "Type", TargetValue = Type };
                RegistrationStore.ValidateName(Name, type);
                // -ApiKey (or -Credential) with -Vault and no -SecretName: the key is stored under a name made from the
                // registration's, so one line stores the key and registers the provider.
                if ((ApiKey != null || Credential != null) && !string.IsNullOrEmpty(Vault) && string.IsNullOrEmpty(SecretName))
                    SecretName = "OtpTools-" + Name;
                CheckVault(Vault, SecretName, WebhookSecretName);
                if (ApiKey != null && Credential != null)
                    throw new OtpException("Registration.SecretTwice", OtpErrorCategory.InvalidArgument,
                        "Give either -ApiKey or -Credential, not both.") { ParameterName = "Credential" };
                if ((ApiKey != null || Credential != null) && string.IsNullOrEmpty(Vault))
                    throw new OtpException("Registration.SecretWithoutVault", OtpErrorCategory.InvalidArgument,
                        "-ApiKey and -Credential are stored in a SecretManagement vault: add -Vault <vault> -SecretName <name>. " +
                        "The registrations file never holds a secret.") { ParameterName = "Vault" };
                var registration = new ProviderRegistration
                {
                    Name = Name,
                    Type = type.Name,
                    BaseUri = CheckBaseUri(BaseUri),
                    Vault = string.IsNullOrEmpty(Vault) ? null : Vault,
                    SecretName = string.IsNullOrEmpty(SecretName) ? null : SecretName,
                    WebhookSecretName = string.IsNullOrEmpty(WebhookSecretName) ? null : WebhookSecretName,
                };
                if (!Force && store.Find(Name) != null) throw Exists();
                if (!ShouldProcess($"{Name} ({type.Name}) in {store.Path}", "Register OTP provider")) return;

                var secret = (object?)ApiKey ?? Credential;
                if (secret != null) VaultSecrets.Store(this, Name, Vault!, SecretName!, secret);

                Save(store, registration);
                // Said now rather than at the first send: a vault secret needs Get-Secret in every session that sends.
                if (registration.HasVaultSecret && InvokeCommand.GetCommand("Get-Secret", CommandTypes.Cmdlet | CommandTypes.Function | CommandTypes.Alias) == null)
                    WriteWarning($"'{Name}' reads its key from vault '{Vault}' with Get-Secret, which this session does not have: sends through it will fail " +
                                 "until SecretManagement is installed (Install-Module Microsoft.PowerShell.SecretManagement) and the vault registered.");
                if (PassThru) WriteObject(ToInfo(registration));
            }
            catch (OtpException e)
            {
                Fail(e, Name);
            }
        }

        /// <summary>A route holds names only: each hop must be a sending provider (a type or a registration) that is not a route.</summary>
        private void RegisterRoute(List<string> hops)
        {
            var store = Store;
            try
            {
                if (ProviderCatalog.Find(Name) != null)
                    throw new OtpException("Registration.NameIsTypeName", OtpErrorCategory.InvalidArgument,
                        $"Provider name '{Name}' is the name of a provider type; a route needs a name of its own.")
                    { ParameterName = "Name", TargetValue = Name };
                RegistrationStore.ValidateName(Name, ProviderCatalog.All[0]);
                if (!string.IsNullOrEmpty(Vault) || !string.IsNullOrEmpty(SecretName) || ApiKey != null || Credential != null)
                    throw new OtpException("Registration.SecretOnRoute", OtpErrorCategory.InvalidArgument,
                        $"A route has no key of its own: each of its providers ({string.Join(", ", hops)}) keeps its own. " +
                        "Register them with their vault secrets, then the route by their names.")
                    { ParameterName = !string.IsNullOrEmpty(Vault) ? "Vault" : ApiKey != null ? "ApiKey" : Credential != null ? "Credential" : "SecretName" };
                foreach (var hop in hops)
                {
                    if (string.Equals(hop, Name, StringComparison.OrdinalIgnoreCase) || store.Find(hop)?.IsRoute == true)
                        throw new OtpException("Registration.NestedRoute", OtpErrorCategory.InvalidArgument,
                            $"-Route '{hop}' is a route itself; a route lists providers only.") { ParameterName = "Route", TargetValue = hop };
                    var provider = ProviderResolver.Resolve(hop, store: store);
                    if (!ProviderCatalog.Supports<IOtpCodeSender>(provider.Type))
                        throw new OtpException("Registration.RouteHopCannotSend", OtpErrorCategory.InvalidArgument,
                            $"-Route '{hop}' is {provider.Type.Name}, which cannot send codes; a route's providers must be " +
                            $"{string.Join(", ", ProviderCatalog.NamesSupporting<IOtpCodeSender>())} types or registrations.")
                        { ParameterName = "Route", TargetValue = hop };
                }
                var registration = new ProviderRegistration { Name = Name, Type = ProviderRegistration.RouteType, Route = hops };
                if (!Force && store.Find(Name) != null) throw Exists();
                if (!ShouldProcess($"{Name} (route {string.Join(" > ", hops)}) in {store.Path}", "Register OTP provider route")) return;
                Save(store, registration);
                if (PassThru) WriteObject(ToInfo(registration));
            }
            catch (OtpException e)
            {
                Fail(e, e.TargetValue ?? Name);
            }
        }

        /// <summary>Adds the registration, or with -Force replaces the one of the same name (keeping whether it is the default).</summary>
        private void Save(RegistrationStore store, ProviderRegistration registration) =>
            store.Update(all =>
            {
                var existing = all.FindIndex(r => string.Equals(r.Name, Name, StringComparison.OrdinalIgnoreCase));
                if (existing >= 0)
                {
                    if (!Force) throw Exists();
                    registration.IsDefault = all[existing].IsDefault;
                    all.RemoveAt(existing);
                }
                all.Add(registration);
                if (Default) MakeDefault(all, registration);
                return registration;
            });

        private OtpException Exists() =>
            new OtpException("Registration.Exists", OtpErrorCategory.InvalidOperation,
                $"A provider named '{Name}' is already registered. Use -Force to replace it, or Set-OtpProvider to change it.")
            { ParameterName = "Name", TargetValue = Name };
    }

    /// <summary>Lists registered providers (never their secrets).</summary>
    [Cmdlet(VerbsCommon.Get, "OtpProvider")]
    [OutputType(typeof(OtpProviderInfo))]
    public sealed class GetOtpProviderCommand : OtpRegistrationCmdlet
    {
        /// <summary>Wildcards allowed; all registrations when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(RegisteredNameCompleter))]
        [SupportsWildcards]
        public string[]? Name { get; set; }

        protected override void ProcessRecord()
        {
            var store = Store;
            try
            {
                var all = store.Load().OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase).ToList();
                if (Name == null || Name.Length == 0)
                {
                    foreach (var r in all) WriteObject(ToInfo(r));
                    return;
                }
                foreach (var name in Name)
                {
                    var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
                    var matches = all.Where(r => pattern.IsMatch(r.Name)).ToList();
                    if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
                        WriteFailure(NotFound(name, store), name);
                    foreach (var r in matches) WriteObject(ToInfo(r));
                }
            }
            catch (OtpException e)
            {
                Fail(e, Name);
            }
        }
    }

    /// <summary>Changes a registration's base URI, vault, secret name or default flag.</summary>
    [Cmdlet(VerbsCommon.Set, "OtpProvider", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(OtpProviderInfo))]
    public sealed class SetOtpProviderCommand : OtpRegistrationCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(RegisteredNameCompleter))]
        public string Name { get; set; } = "";

        /// <summary>An empty string removes the registration's own base URI.</summary>
        [Parameter]
        [AllowEmptyString]
        public string? BaseUri { get; set; }

        /// <summary>An empty string (with an empty -SecretName) removes the vault secret.</summary>
        [Parameter]
        [AllowEmptyString]
        public string? Vault { get; set; }

        [Parameter]
        [AllowEmptyString]
        public string? SecretName { get; set; }

        /// <summary>The vault secret for delivery webhooks; an empty string removes it.</summary>
        [Parameter]
        [AllowEmptyString]
        public string? WebhookSecretName { get; set; }

        /// <summary>-Default makes this the default provider; -Default:$false stops it being the default.</summary>
        [Parameter]
        public SwitchParameter Default { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var store = Store;
            var bound = MyInvocation.BoundParameters;
            try
            {
                var baseUri = bound.ContainsKey(nameof(BaseUri)) ? CheckBaseUri(BaseUri) : null;
                if (store.Find(Name) == null) throw NotFound(Name, store);
                if (!ShouldProcess($"{Name} in {store.Path}", "Change OTP provider registration")) return;
                var changed = store.Update(all =>
                {
                    var r = all.FirstOrDefault(x => string.Equals(x.Name, Name, StringComparison.OrdinalIgnoreCase))
                        ?? throw NotFound(Name, store);
                    if (bound.ContainsKey(nameof(BaseUri))) r.BaseUri = baseUri;
                    if (bound.ContainsKey(nameof(Vault))) r.Vault = string.IsNullOrEmpty(Vault) ? null : Vault;
                    if (bound.ContainsKey(nameof(SecretName))) r.SecretName = string.IsNullOrEmpty(SecretName) ? null : SecretName;
                    if (bound.ContainsKey(nameof(WebhookSecretName))) r.WebhookSecretName = string.IsNullOrEmpty(WebhookSecretName) ? null : WebhookSecretName;
                    CheckVault(r.Vault, r.SecretName, r.WebhookSecretName);
                    if (bound.ContainsKey(nameof(Default)))
                    {
                        if (Default) MakeDefault(all, r);
                        else r.IsDefault = false;
                    }
                    return r.Copy();
                });
                if (PassThru) WriteObject(ToInfo(changed));
            }
            catch (OtpException e)
            {
                WriteFailure(e, Name);
            }
        }
    }

    /// <summary>Removes registrations. The vault secret stays where it is (Remove-Secret removes it).</summary>
    [Cmdlet(VerbsLifecycle.Unregister, "OtpProvider", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    public sealed class UnregisterOtpProviderCommand : OtpRegistrationCmdlet
    {
        /// <summary>Wildcards allowed (as Get-OtpProvider takes them); each matching registration is asked about with -Confirm.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(RegisteredNameCompleter))]
        [SupportsWildcards]
        public string Name { get; set; } = "";

        protected override void ProcessRecord()
        {
            var store = Store;
            try
            {
                var pattern = WildcardPattern.Get(Name, WildcardOptions.IgnoreCase);
                var matches = store.Load().Where(r => pattern.IsMatch(r.Name)).Select(r => r.Name).ToList();
                // A literal name that matches nothing is an error; a wildcard that matches nothing stays silent.
                if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(Name)) throw NotFound(Name, store);
                foreach (var name in matches)
                {
                    if (!ShouldProcess($"{name} in {store.Path}", "Unregister OTP provider")) continue;
                    store.Update(all =>
                    {
                        if (all.RemoveAll(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase)) == 0) throw NotFound(name, store);
                        return true;
                    });
                }
            }
            catch (OtpException e)
            {
                WriteFailure(e, Name);
            }
        }
    }
}
