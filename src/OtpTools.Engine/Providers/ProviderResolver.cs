using System;
using System.Linq;

namespace OtpTools.Engine.Providers
{
    /// <summary>Turns a -Provider value into a provider type and base URI.</summary>
    public static class ProviderResolver
    {
        /// <summary>Environment variable that overrides a type's production host, e.g. OTPTOOLS_OTPBLUE_BASEURI.</summary>
        public static string BaseUriVariable(IOtpProviderType type) => $"OTPTOOLS_{type.Name.ToUpperInvariant()}_BASEURI";

        public static ResolvedProvider Resolve(string? name, Func<string, string?>? environment = null)
        {
            environment ??= Environment.GetEnvironmentVariable;
            if (string.IsNullOrWhiteSpace(name))
                throw new OtpException("Provider.NotSpecified", OtpErrorCategory.InvalidArgument,
                    $"No provider was named. Use -Provider with one of: {TypeNames()}.")
                { ParameterName = "Provider" };

            var type = ProviderCatalog.Find(name);
            if (type == null)
                throw new OtpException("Provider.NotFound", OtpErrorCategory.ObjectNotFound,
                    $"Provider '{name}' is not known. Use one of: {TypeNames()}.")
                { ParameterName = "Provider", TargetValue = name };

            var baseUri = type.DefaultBaseUri;
            var overridden = environment(BaseUriVariable(type));
            if (!string.IsNullOrWhiteSpace(overridden))
                baseUri = ParseBaseUri(overridden!, BaseUriVariable(type));
            return new ResolvedProvider(type.Name, type, baseUri);
        }

        /// <summary>HTTPS only, except loopback (the sandbox).</summary>
        public static Uri ParseBaseUri(string value, string source)
        {
            if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != "https" && uri.Scheme != "http"))
                throw new OtpException("Provider.InvalidBaseUri", OtpErrorCategory.InvalidArgument,
                    $"Base URI '{value}' from {source} is not an absolute http(s) URI.")
                { TargetValue = value };
            if (uri.Scheme == "http" && !uri.IsLoopback)
                throw new OtpException("Provider.InsecureBaseUri", OtpErrorCategory.SecurityError,
                    $"Base URI '{value}' from {source} must use https; plain http is allowed only for loopback addresses.")
                { TargetValue = value };
            return uri;
        }

        private static string TypeNames() => string.Join(", ", ProviderCatalog.All.Select(t => t.Name));
    }
}
