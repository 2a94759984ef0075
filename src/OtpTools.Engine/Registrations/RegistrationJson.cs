using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OtpTools.Engine.Registrations
{
    /// <summary>The registrations file: a version and the list of registrations.</summary>
    internal sealed class RegistrationFile
    {
        /// <summary>The format this version writes; a file with a higher one came from a newer OtpTools.</summary>
        public const int CurrentVersion = 1;

        [JsonPropertyName("version")] public int Version { get; set; } = CurrentVersion;
        [JsonPropertyName("providers")] public List<ProviderRegistration>? Providers { get; set; }
        /// <summary>Fields this version does not know, written back as they were read.</summary>
        [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; set; }
    }

    [JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonSerializable(typeof(RegistrationFile))]
    internal sealed partial class RegistrationJsonContext : JsonSerializerContext
    {
    }
}
