using System;
using System.Collections.Generic;
using System.Linq;
using OtpTools.Engine.Registrations;

namespace OtpTools.Engine.Providers
{
    /// <summary>Turns a -Provider value into a provider type and base URI.</summary>
    public static class ProviderResolver
    {
        /// <summary>Environment variable that overrides a type's production host, e.g. OTPTOOLS_OTPBLUE_BASEURI.</summary>
        public static string BaseUriVariable(IOtpProviderType type) => $"OTPTOOLS_{type.Name.ToUpperInvariant()}_BASEURI";

        /// <summary>
        /// A registered name first (case-insensitive), else a type name; with no name, the registration marked
        /// default. A registration's own base URI wins over OTPTOOLS_&lt;TYPE&gt;_BASEURI, which serves the bare type
        /// and registrations that set none.
        /// </summary>
        /// <param name="capability">What the caller needs (IOtpCodeSender...): the types an error suggests are those that have it.</param>
        public static ResolvedProvider Resolve(string? name, Func<string, string?>? environment = null, RegistrationStore? store = null, Type? capability = null)
        {
            string TypeNames() => string.Join(", ", capability == null ? ProviderCatalog.All.Select(t => t.Name) : ProviderCatalog.NamesSupporting(capability));
            environment ??= Environment.GetEnvironmentVariable;
            store ??= RegistrationStore.ForCurrentUser(environment);
            ProviderRegistration? registration;
            if (string.IsNullOrWhiteSpace(name))
            {
                registration = store.FindDefault()
                    ?? throw new OtpException("Provider.NotSpecified", OtpErrorCategory.InvalidArgument,
                        $"No provider was named and none is registered as the default. Use -Provider with a registered name or one of: {TypeNames()}, " +
                        "or mark a registration as the default (Set-OtpProvider -Name <name> -Default).")
                    { ParameterName = "Provider" };
            }
            else
            {
                registration = store.Find(name);
            }

            if (registration != null && registration.IsRoute)
            {
                // The hint names a member that can do what was asked (a route's first hop may not: OTP Blue has no balance).
                IOtpProviderType? HopType(string hop) => ProviderCatalog.Find(store.Find(hop)?.Type ?? hop);
                var able = registration.Route!.FirstOrDefault(hop => HopType(hop) is IOtpProviderType t && (capability == null || ProviderCatalog.Supports(capability, t)));
                throw new OtpException("Provider.IsRoute", OtpErrorCategory.InvalidOperation,
                    $"'{registration.Name}' is a route ({string.Join(" > ", registration.Route!)}): only Send-OtpCode sends along a route. " +
                    (able != null ? $"Name the provider to ask here (-Provider {able})."
                        : $"None of its providers can do this; name a provider of type {TypeNames()}."))
                { ParameterName = "Provider", TargetValue = registration.Name };
            }

            if (registration != null)
            {
                var registeredType = ProviderCatalog.Find(registration.Type)
                    ?? throw new OtpException("Registration.UnknownType", OtpErrorCategory.InvalidData,
                        $"Provider '{registration.Name}' is registered with type '{registration.Type}', which this version of OtpTools does not know " +
                        $"(known: {string.Join(", ", ProviderCatalog.All.Select(t => t.Name))}). Update OtpTools, or re-register it: Register-OtpProvider -Name {registration.Name} -Type <type> -Force.")
                    { ParameterName = "Provider", TargetValue = registration.Name };
                var registeredUri = string.IsNullOrWhiteSpace(registration.BaseUri)
                    ? TypeBaseUri(registeredType, environment)
                    : ParseBaseUri(registration.BaseUri!, $"the registration '{registration.Name}' in {store.Path}");
                return new ResolvedProvider(registration.Name, registeredType, registeredUri, registration);
            }

            var type = ProviderCatalog.Find(name);
            if (type == null)
                throw new OtpException("Provider.NotFound", OtpErrorCategory.ObjectNotFound,
                    $"Provider '{name}' is neither a registered provider nor a provider type. Use one of: {TypeNames()}, " +
                    "or register it with Register-OtpProvider (Get-OtpProvider lists the registered ones).")
                { ParameterName = "Provider", TargetValue = name };
            return new ResolvedProvider(type.Name, type, TypeBaseUri(type, environment));
        }

        /// <summary>
        /// The providers a send goes through, in order: each name as given, a route registration replaced by its hops;
        /// with no name, the default registration (a route or one provider). A route inside a route is refused.
        /// </summary>
        public static IReadOnlyList<string?> ExpandRoute(IReadOnlyList<string>? names, Func<string, string?>? environment = null, RegistrationStore? store = null)
        {
            store ??= RegistrationStore.ForCurrentUser(environment ?? Environment.GetEnvironmentVariable);
            if (names == null || names.Count == 0)
            {
                var fallback = store.FindDefault();
                return fallback?.IsRoute == true ? fallback.Route!.Cast<string?>().ToList() : new string?[] { null };
            }
            var hops = new List<string?>();
            foreach (var name in names)
            {
                var registration = store.Find(name);
                if (registration?.IsRoute != true)
                {
                    hops.Add(name);
                    continue;
                }
                foreach (var hop in registration.Route!)
                {
                    if (store.Find(hop)?.IsRoute == true)
                        throw new OtpException("Registration.NestedRoute", OtpErrorCategory.InvalidData,
                            $"Route '{registration.Name}' names '{hop}', which is a route too; a route lists providers only. " +
                            $"Re-register it: Register-OtpProvider -Name {registration.Name} -Route <providers> -Force.")
                        { ParameterName = "Provider", TargetValue = registration.Name };
                    hops.Add(hop);
                }
            }
            return hops;
        }

        private static Uri TypeBaseUri(IOtpProviderType type, Func<string, string?> environment)
        {
            var overridden = environment(BaseUriVariable(type));
            return string.IsNullOrWhiteSpace(overridden) ? type.DefaultBaseUri : ParseBaseUri(overridden!, BaseUriVariable(type));
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

    }
}
