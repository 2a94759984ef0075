using System;
using System.Globalization;

namespace OtpTools
{
    /// <summary>
    /// Dates as ISO 8601 UTC text ("2026-12-02T05:50:32Z"): the *Utc twin of each date property, so a CSV sorts as
    /// text and reads back the same on every machine, whatever the culture that wrote it.
    /// </summary>
    internal static class IsoDate
    {
        public static string? Utc(DateTimeOffset? value) =>
            value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }
}
