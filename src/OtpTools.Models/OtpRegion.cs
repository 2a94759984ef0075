namespace OtpTools
{
    /// <summary>A destination region a provider currently accepts.</summary>
    public sealed class OtpRegion
    {
        public string? Name { get; set; }
        /// <summary>ISO 3166-1 alpha-2 code.</summary>
        public string? Code { get; set; }
        public string? Provider { get; set; }
    }
}
