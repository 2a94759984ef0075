using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Management.Automation;
using System.Management.Automation.Language;
using OtpTools.Engine;
using OtpTools.Engine.Providers;
using OtpTools.Engine.Registrations;

namespace OtpTools
{
    /// <summary>Shared matching and quoting for every completer (SecretManagement's VaultNameCompleter pattern).</summary>
    internal static class Completions
    {
        public static IEnumerable<CompletionResult> Matching(IEnumerable<string> candidates, string? wordToComplete)
        {
            var pattern = WildcardPattern.Get((wordToComplete ?? string.Empty).Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
            return candidates.Distinct(StringComparer.OrdinalIgnoreCase)
                .Where(pattern.IsMatch)
                .OrderBy(c => c, StringComparer.OrdinalIgnoreCase)
                .Select(c => new CompletionResult(Quote(c), c, CompletionResultType.ParameterValue, c));
        }

        private static string Quote(string value) =>
            value.Any(c => char.IsWhiteSpace(c) || "'\"`$(){};,&|@#".IndexOf(c) >= 0) ? "'" + value.Replace("'", "''") + "'" : value;
    }

    /// <summary>What a provider must be able to do for a cmdlet: tab completion and suggestions offer only those.</summary>
    [AttributeUsage(AttributeTargets.Class)]
    public sealed class ProviderCapabilityAttribute : Attribute
    {
        public ProviderCapabilityAttribute(Type capability) => Capability = capability;

        /// <summary>A client interface (IOtpCodeSender...) or IDeliveryWebhook.</summary>
        public Type Capability { get; }

        private static readonly Dictionary<string, Type> ByCommand = typeof(ProviderCapabilityAttribute).Assembly.GetTypes()
            .Select(t => (Cmdlet: t.GetCustomAttribute<CmdletAttribute>(), Needs: t.GetCustomAttribute<ProviderCapabilityAttribute>()))
            .Where(x => x.Cmdlet != null && x.Needs != null)
            .ToDictionary(x => x.Cmdlet!.VerbName + "-" + x.Cmdlet.NounName, x => x.Needs!.Capability, StringComparer.OrdinalIgnoreCase);

        /// <summary>What a provider is and what it serves, for a cmdlet that it cannot serve: "'Prod' is a registered OtpBlue provider, which serves ...".</summary>
        public static string Describe(ResolvedProvider provider)
        {
            // The cmdlets that work with a provider (the registration cmdlets' -Route completion is not serving).
            var serves = ByCommand.Where(c => !c.Key.EndsWith("-OtpProvider", StringComparison.OrdinalIgnoreCase) && ProviderCatalog.Supports(c.Value, provider.Type))
                .Select(c => c.Key).OrderBy(c => c, StringComparer.Ordinal).ToList();
            return (provider.Registration == null ? $"'{provider.Name}' is the {provider.Type.Name} provider type" : $"'{provider.Name}' is a registered {provider.Type.Name} provider") +
                   (serves.Count == 0 ? "" : $", which serves {string.Join(", ", serves)}");
        }

        /// <summary>The capability a command needs; null for a command that is not the module's.</summary>
        public static Type? For(string? commandName) =>
            commandName != null && ByCommand.TryGetValue(commandName, out var capability) ? capability : null;
    }

    /// <summary>
    /// Completes -Provider with the registered names and provider types that can do what the command needs (Get-OtpHistory
    /// offers only OTP Blue); route registrations only where a route can be used.
    /// </summary>
    public sealed class ProviderNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var capability = ProviderCapabilityAttribute.For(commandName);
            bool Serves(IOtpProviderType? type) => type != null && (capability == null || ProviderCatalog.Supports(capability, type));
            var routesWelcome = capability == typeof(IOtpCodeSender);
            var registered = RegisteredNameCompleter.Registrations()
                .Where(r => r.IsRoute ? routesWelcome : Serves(ProviderCatalog.Find(r.Type)))
                .Select(r => r.Name);
            var types = ProviderCatalog.All.Where(Serves).Select(t => t.Name);
            return Completions.Matching(registered.Concat(types), wordToComplete);
        }
    }

    /// <summary>Completes a registration name (Get/Set/Unregister-OtpProvider -Name).</summary>
    public sealed class RegisteredNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completions.Matching(Names(), wordToComplete);

        internal static IEnumerable<string> Names() => Registrations().Select(r => r.Name);

        internal static IReadOnlyList<ProviderRegistration> Registrations()
        {
            try
            {
                return RegistrationStore.ForCurrentUser().Load();
            }
            catch (OtpException)
            {
                // A damaged file must not break tab completion; the cmdlets report it.
                return Array.Empty<ProviderRegistration>();
            }
        }
    }

    /// <summary>Completes -Type with the provider types this version knows (taken from the catalog at run time).</summary>
    public sealed class ProviderTypeCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completions.Matching(ProviderCatalog.All.Select(t => t.Name), wordToComplete);
    }

    /// <summary>
    /// Completes a parameter with the values the chosen provider documents (-Language, -Channel, -Status...);
    /// with no -Provider yet, the values of every provider that has the parameter.
    /// </summary>
    public sealed class ProviderValueCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            // -Provider may be one name or a route (OtpBlue, Otpiq): the values of the providers named, else of all.
            var chosen = (fakeBoundParameters["Provider"] is IEnumerable names && !(names is string)
                    ? names.Cast<object>().Select(n => n?.ToString())
                    : new[] { fakeBoundParameters["Provider"]?.ToString() })
                .Select(n => ProviderCatalog.Find(n) ?? RegisteredType(n)).Where(t => t != null).Select(t => t!).ToList();
            var types = chosen.Count > 0 ? chosen : ProviderCatalog.All.ToList();
            var values = types.SelectMany(t => SendOptionCatalog.CompletionValues(t, parameterName));
            return Completions.Matching(values, wordToComplete);
        }

        private static IOtpProviderType? RegisteredType(string? name)
        {
            if (string.IsNullOrWhiteSpace(name)) return null;
            try
            {
                return ProviderCatalog.Find(RegistrationStore.ForCurrentUser().Find(name)?.Type);
            }
            catch (OtpException)
            {
                return null; // a damaged file must not break tab completion
            }
        }
    }
}
