using System;
using System.Collections.Generic;
using System.Linq;
using OtpTools.Engine.Providers.EngageLab;
using OtpTools.Engine.Providers.OtpBlue;
using OtpTools.Engine.Providers.Otpiq;

namespace OtpTools.Engine.Providers
{
    /// <summary>Every provider type the module knows: one line each.</summary>
    public static class ProviderCatalog
    {
        private static IReadOnlyList<IOtpProviderType> _all = new IOtpProviderType[]
        {
            new OtpBlueProviderType(),
            new GetOtp.GetOtpProviderType(),
            new OtpiqProviderType(),
            new EngageLabProviderType(),
        };

        public static IReadOnlyList<IOtpProviderType> All => _all;

        /// <summary>Plugs in a provider defined outside this assembly (the tests' Acme); the list is replaced, never changed in place.</summary>
        internal static void Add(IOtpProviderType type) => _all = _all.Concat(new[] { type }).ToList();

        internal static void Remove(IOtpProviderType type) => _all = _all.Where(t => t != type).ToList();

        public static IOtpProviderType? Find(string? name) =>
            All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));

        public static bool Supports<TCapability>(IOtpProviderType type) => Supports(typeof(TCapability), type);

        /// <summary>
        /// Whether a provider type can do what a capability names: a client interface (IOtpCodeSender...), or
        /// IDeliveryWebhook for a provider whose delivery webhooks can be received.
        /// </summary>
        public static bool Supports(Type capability, IOtpProviderType type) =>
            capability == typeof(Webhooks.IDeliveryWebhook) ? type.DeliveryWebhook != null : capability.IsAssignableFrom(type.ClientType);

        public static IReadOnlyList<string> NamesSupporting<TCapability>() => NamesSupporting(typeof(TCapability));

        public static IReadOnlyList<string> NamesSupporting(Type capability) =>
            All.Where(t => Supports(capability, t)).Select(t => t.Name).ToList();
    }
}
