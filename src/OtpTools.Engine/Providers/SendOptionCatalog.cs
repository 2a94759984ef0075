using System;
using System.Collections.Generic;
using System.Linq;

namespace OtpTools.Engine.Providers
{
    /// <summary>Every provider's send options together: what Send-OtpCode offers, and what is secret.</summary>
    public static class SendOptionCatalog
    {
        /// <summary>
        /// One declaration per option name that Send-OtpCode makes a parameter of (options the cmdlet declares itself,
        /// such as -Sender, are left out). Where providers share a name (-Channel), the help joins theirs, the value
        /// type is the first one's, and it binds from the pipeline when any of them does; values complete per provider.
        /// </summary>
        public static IReadOnlyList<SendOption> Parameters() =>
            ProviderCatalog.All.SelectMany(t => t.SendOptions).Where(o => !o.DeclaredByCmdlet)
                .GroupBy(o => o.Name, StringComparer.OrdinalIgnoreCase).Select(Merged).ToList();

        private static SendOption Merged(IEnumerable<SendOption> declarations)
        {
            var all = declarations.ToList();
            if (all.Count == 1) return all[0];
            var first = all[0];
            var values = all.Where(o => o.Values != null).SelectMany(o => o.Values!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            return new SendOption(first.Name, string.Join(" ", all.Select(o => o.Help).Distinct()), first.ValueType,
                all.Any(o => o.IsSecret), values.Count > 0 ? values : null,
                all.Any(o => o.FromPipelineByPropertyName), aliases: all.SelectMany(o => o.Aliases).Distinct().ToArray());
        }

        /// <summary>The provider's declaration of an option, or null when the provider does not take it.</summary>
        public static SendOption? Declared(IOtpProviderType type, string name) =>
            type.SendOptions.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase));

        /// <summary>Whether any provider declares the option secret (its value is then never echoed).</summary>
        public static bool IsSecret(string name) =>
            ProviderCatalog.All.SelectMany(t => t.SendOptions).Any(o => o.IsSecret && string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase));

        /// <summary>The values a provider documents for a parameter (send option or read parameter), for tab completion.</summary>
        public static IReadOnlyList<string> CompletionValues(IOtpProviderType type, string parameter) =>
            Declared(type, parameter)?.Values
            ?? (type.ParameterValues.TryGetValue(parameter, out var values) ? values : Array.Empty<string>());
    }
}
