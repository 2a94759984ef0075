using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace OtpTools.Engine.Registrations
{
    /// <summary>The registrations file: a version and the list of registrations.</summary>
    internal sealed class RegistrationFile
    {
        [JsonPropertyName("version")] public int Version { get; set; } = 1;
        [JsonPropertyName("providers")] public List<ProviderRegistration>? Providers { get; set; }
    }

    [JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonSerializable(typeof(RegistrationFile))]
    internal sealed partial class RegistrationJsonContext : JsonSerializerContext
    {
    }
}
