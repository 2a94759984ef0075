using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using OtpTools.Engine.Http;
using Xunit;

namespace OtpTools.Engine.Tests
{
    public sealed class RepeatedTextConverterTests
    {
        private sealed class Row
        {
            [JsonPropertyName("status"), JsonConverter(typeof(RepeatedTextConverter))] public string? Status { get; set; }
        }

        private static List<Row> Read(string json) => JsonSerializer.Deserialize<List<Row>>(json)!;

        private static string Rows(IEnumerable<string?> values) =>
            "[" + string.Join(",", values.Select(v => v == null ? "{\"status\":null}" : "{\"status\":" + JsonSerializer.Serialize(v) + "}")) + "]";

        [Fact]
        public void A_value_that_repeats_is_one_string_shared_by_every_row()
        {
            var rows = Read(Rows(Enumerable.Repeat("delivered", 1000)));
            Assert.All(rows, r => Assert.Equal("delivered", r.Status));
            Assert.Single(rows.Select(r => r.Status).Distinct(ReferenceComparer.Instance));
        }

        [Fact]
        public void Many_more_values_than_it_remembers_still_read_back_exactly()
        {
            // 40 distinct values (more than the cache holds), repeating, with escapes, nulls, non-ASCII and long ones.
            var values = Enumerable.Range(0, 40).Select(i => i % 10 == 9 ? null : i % 7 == 0 ? "Ünïcödé-" + i : i % 5 == 0 ? new string('x', 40) + i : "v" + i).ToList();
            var sequence = Enumerable.Range(0, 400).Select(i => values[(i * 13) % values.Count]).ToList();
            Assert.Equal(sequence, Read(Rows(sequence)).Select(r => r.Status));
            // The same text written with an escape reads as that text.
            Assert.Equal(new[] { "delivered", "delivered", "de\"li" }, Read("[{\"status\":\"delivered\"},{\"status\":\"\\u0064elivered\"},{\"status\":\"de\\\"li\"}]").Select(r => r.Status));
        }

        [Theory]
        [InlineData("[{\"status\":42}]")]
        [InlineData("[{\"status\":true}]")]
        [InlineData("[{\"status\":{\"a\":1}}]")]
        public void A_value_that_is_not_text_is_a_json_error_like_any_other(string json)
        {
            Assert.Throws<JsonException>(() => Read(json));
        }

        private sealed class ReferenceComparer : IEqualityComparer<string?>
        {
            public static readonly ReferenceComparer Instance = new ReferenceComparer();
            public bool Equals(string? x, string? y) => ReferenceEquals(x, y);
            public int GetHashCode(string? s) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(s!);
        }
    }
}
