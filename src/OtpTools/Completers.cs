using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
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

    /// <summary>Completes -Provider with registered provider names and the provider types.</summary>
    public sealed class ProviderNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completions.Matching(RegisteredNameCompleter.Names().Concat(ProviderCatalog.All.Select(t => t.Name)), wordToComplete);
    }

    /// <summary>Completes a registration name (Get/Set/Unregister-OtpProvider -Name).</summary>
    public sealed class RegisteredNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completions.Matching(Names(), wordToComplete);

        internal static IEnumerable<string> Names()
        {
            try
            {
                return RegistrationStore.ForCurrentUser().Load().Select(r => r.Name).ToList();
            }
            catch (OtpException)
            {
                // A damaged file must not break tab completion; the cmdlets report it.
                return Array.Empty<string>();
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
            var chosen = fakeBoundParameters["Provider"] as string;
            var type = ProviderCatalog.Find(chosen) ?? RegisteredType(chosen);
            var types = type != null ? new[] { type } : ProviderCatalog.All.ToArray();
            var values = types.SelectMany(t => t.ParameterValues.TryGetValue(parameterName, out var v) ? v : Array.Empty<string>());
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
