using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Linq.Expressions;
using System.Reflection;
using System.Text;

namespace OtpTools.Engine.Http
{
    /// <summary>
    /// Provider text made safe for a terminal: control characters (ESC, BEL, NUL, C1), bidirectional overrides and
    /// isolates, zero-width characters and lone surrogates are shown escaped (<c>\u001b</c>), never interpreted, so an
    /// answer cannot clear the screen, retitle the window or disguise what it says.
    /// </summary>
    public static class TerminalText
    {
        private static readonly ConcurrentDictionary<Type, TextProperty[]> StringProperties = new ConcurrentDictionary<Type, TextProperty[]>();
        private static readonly ConcurrentDictionary<Type, TextProperty[]> StringPropertiesButRecipient = new ConcurrentDictionary<Type, TextProperty[]>();

        /// <summary>A string property read and written through compiled delegates: a listing cleans every row.</summary>
        private sealed class TextProperty
        {
            public TextProperty(PropertyInfo property)
            {
                var item = Expression.Parameter(typeof(object));
                var value = Expression.Parameter(typeof(string));
                var typed = Expression.Convert(item, property.DeclaringType!);
                Get = Expression.Lambda<Func<object, string?>>(Expression.Property(typed, property), item).Compile();
                Set = Expression.Lambda<Action<object, string>>(Expression.Assign(Expression.Property(typed, property), value), item, value).Compile();
            }

            public Func<object, string?> Get { get; }
            public Action<object, string> Set { get; }
        }

        /// <summary>True for a character shown escaped: it could act on a terminal or hide text.</summary>
        public static bool IsUnsafe(char c) =>
            char.IsControl(c) ||                       // C0, DEL, C1 (ESC, BEL, NUL, CSI...)
            (c >= '\u202A' && c <= '\u202E') ||        // bidi embeddings and overrides
            (c >= '\u2066' && c <= '\u2069') ||        // bidi isolates
            c == '\u200E' || c == '\u200F' || c == '\u061C' ||   // directional marks
            (c >= '\u200B' && c <= '\u200D') || c == '\u2060' || c == '\uFEFF' ||   // zero-width characters
            c == '\u2028' || c == '\u2029';            // line and paragraph separators

        /// <summary>The text with every unsafe character (and lone surrogate) as <c>\uXXXX</c>; the same instance when none.</summary>
        public static string Safe(string text)
        {
            if (string.IsNullOrEmpty(text)) return text;
            var i = 0;
            // Printable ASCII, nearly all provider text, is safe as it is: the full check only from the first other character.
            while (i < text.Length && text[i] >= ' ' && text[i] <= '~') i++;
            while (i < text.Length && !NeedsEscape(text, i)) i++;
            if (i == text.Length) return text;
            var safe = new StringBuilder(text.Length + 16).Append(text, 0, i);
            for (; i < text.Length; i++)
            {
                if (NeedsEscape(text, i)) safe.Append("\\u").Append(((int)text[i]).ToString("x4"));
                else
                {
                    safe.Append(text[i]);
                    if (char.IsHighSurrogate(text[i])) safe.Append(text[++i]);   // a valid pair stays whole
                }
            }
            return safe.ToString();
        }

        private static bool NeedsEscape(string text, int i)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c)) return i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]);
            if (char.IsLowSurrogate(c)) return i == 0 || !char.IsHighSurrogate(text[i - 1]);
            return IsUnsafe(c);
        }

        /// <summary>
        /// Makes every settable string property of an output object safe, in place; returns the object. With
        /// <paramref name="recipientIsCallers"/> (a send receipt), Recipient is the caller's own input, kept exactly as
        /// given so the receipt joins back to its row; a Recipient from anywhere else (a provider, a webhook, a journal
        /// file) is made safe like every other field.
        /// </summary>
        public static T Clean<T>(T item, bool recipientIsCallers = false) where T : class => Clean(item, recipientIsCallers, null);

        /// <summary>As <see cref="Clean{T}(T, bool)"/>, each value passing <paramref name="redact"/> first (the outward gate's secrets).</summary>
        internal static T Clean<T>(T item, bool recipientIsCallers, Func<string, string>? redact) where T : class
        {
            var cache = recipientIsCallers ? StringPropertiesButRecipient : StringProperties;
            foreach (var property in cache.GetOrAdd(item.GetType(), type =>
                         type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                             .Where(p => p.PropertyType == typeof(string) && p.CanRead && p.CanWrite && p.GetIndexParameters().Length == 0 &&
                                         !(recipientIsCallers && p.Name == nameof(OtpSendResult.Recipient)))
                             .Select(p => new TextProperty(p)).ToArray()))
            {
                if (property.Get(item) is string text)
                {
                    var safe = Safe(redact == null ? text : redact(text));
                    if (!ReferenceEquals(safe, text)) property.Set(item, safe);
                }
            }
            return item;
        }
    }
}
