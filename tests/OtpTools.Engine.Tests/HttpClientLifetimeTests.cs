using System;
using System.Threading;
using System.Threading.Tasks;
using OtpTools.Engine.Http;
using OtpTools.Engine.Providers;
using OtpTools.Engine.Providers.OtpBlue;
using OtpTools.Sandbox;
using Xunit;

namespace OtpTools.Engine.Tests
{
    /// <summary>Clients come from the long-lived factory per run, never one client cached for the life of the process.</summary>
    public sealed class HttpClientLifetimeTests : IClassFixture<SandboxFixture>
    {
        private readonly SandboxFixture _f;
        public HttpClientLifetimeTests(SandboxFixture fixture) => _f = fixture;

        [Fact]
        public async Task Each_run_gets_a_client_of_its_own_from_the_factory_and_both_work()
        {
            var provider = new ResolvedProvider("OtpBlue", new OtpBlueProviderType(), new Uri(_f.Sandbox.UriFor("otpblue")));
            var first = OtpHttpClients.For(provider);
            var second = OtpHttpClients.For(provider);
            Assert.NotSame(first, second);
            Assert.True(OtpHttpClients.HandlerLifetime <= TimeSpan.FromMinutes(5), "handlers are recycled, so DNS changes are seen");
            foreach (var http in new[] { first, second })
            {
                _f.OtpBlueService(out var client, http: http);
                Assert.NotEmpty(await client.GetRegionsAsync(CancellationToken.None));
            }
        }

        [Fact]
        public async Task A_client_without_the_modules_handlers_is_refused_rather_than_used_without_cap_or_timeout()
        {
            _f.OtpBlueService(out var client, http: _f.Http);
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetRegionsAsync(CancellationToken.None));
            Assert.Contains("HttpPipeline", error.Message);
        }
    }
}
