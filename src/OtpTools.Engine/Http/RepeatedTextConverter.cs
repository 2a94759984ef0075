using System;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OtpTools.Engine.Http
{
    /// <summary>
    /// For a listing's fields that take a handful of values over and over (a region, a status, a language): a value
    /// read recently on this thread is handed out again instead of a new string per row. A million history rows then
    /// carry four strings fewer each, which is memory a long listing does not have to collect.
    /// </summary>
    internal sealed class RepeatedTextConverter : JsonConverter<string>
    {
        private const int Slots = 16;
        /// <summary>Longer values are read as they are: the cache is for short, repeated words.</summary>
        private const int LongestCached = 32;

        private sealed class Slot
        {
            public byte[] Utf8 = Array.Empty<byte>();
            public string Text = "";
        }

        [ThreadStatic] private static Slot[]? _slots;
        [ThreadStatic] private static int _next;

        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null) return null;
            if (reader.TokenType != JsonTokenType.String) throw new JsonException($"Expected a string, not {reader.TokenType}.");
            if (reader.HasValueSequence || reader.ValueSpan.Length > LongestCached) return reader.GetString();
            // The raw bytes (escapes and all) are the key: the same bytes always read as the same text.
            var raw = reader.ValueSpan;
            var slots = _slots ??= NewSlots();
            foreach (var slot in slots)
                if (raw.SequenceEqual(slot.Utf8)) return slot.Text;
            var text = reader.GetString()!;
            var taken = slots[_next];
            _next = (_next + 1) % Slots;
            taken.Utf8 = raw.ToArray();
            taken.Text = text;
            return text;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

        private static Slot[] NewSlots()
        {
            var slots = new Slot[Slots];
            for (var i = 0; i < Slots; i++) slots[i] = new Slot();
            return slots;
        }
    }
}
