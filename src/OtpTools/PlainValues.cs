using System.Linq;
using System.Management.Automation;

namespace OtpTools
{
    /// <summary>Values as the engine takes them: no PowerShell wrappers (the engine never sees a PSObject).</summary>
    internal static class PlainValues
    {
        /// <summary>
        /// An option's value without PowerShell's wrappers, for the engine: tables and objects (a [pscustomobject]
        /// payload) become ordered tables of plain values, lists become arrays. Deeper than 16 levels is left as it is.
        /// </summary>
        public static object? Of(object? value, int depth = 0)
        {
            if (value is PSObject wrapped && !(wrapped.BaseObject is PSCustomObject)) value = wrapped.BaseObject;
            if (depth > 16 || value == null || value is string || value is System.Security.SecureString) return value;
            if (value is System.Collections.IDictionary table)
            {
                var plain = new System.Collections.Specialized.OrderedDictionary();
                foreach (System.Collections.DictionaryEntry e in table)
                    plain[Of(e.Key, depth + 1)!] = Of(e.Value, depth + 1);
                return plain;
            }
            if (value is PSObject custom)
            {
                var plain = new System.Collections.Specialized.OrderedDictionary();
                foreach (var property in custom.Properties) plain[property.Name] = Of(property.Value, depth + 1);
                return plain;
            }
            if (value is System.Collections.IEnumerable items) return items.Cast<object?>().Select(i => Of(i, depth + 1)).ToArray();
            return value;
        }
    }
}
