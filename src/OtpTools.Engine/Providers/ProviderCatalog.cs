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
        public static IReadOnlyList<IOtpProviderType> All { get; } = new IOtpProviderType[]
        {
            new OtpBlueProviderType(),
            new GetOtp.GetOtpProviderType(),
            new OtpiqProviderType(),
            new EngageLabProviderType(),
        };

        public static IOtpProviderType? Find(string? name) =>
            All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));

        public static bool Supports<TCapability>(IOtpProviderType type) => typeof(TCapability).IsAssignableFrom(type.ClientType);

        public static IReadOnlyList<string> NamesSupporting<TCapability>() =>
            All.Where(Supports<TCapability>).Select(t => t.Name).ToList();
    }
}
