using System.Net.Http;
using System.Threading.Tasks;
using OtpTools.Sandbox;
using Xunit;

namespace OtpTools.Engine.Tests
{
    /// <summary>One in-process sandbox on a free loopback port, shared by a test class.</summary>
    public sealed class SandboxFixture : IAsyncLifetime
    {
        public SandboxServer Sandbox { get; private set; } = null!;
        public HttpClient Raw { get; } = new HttpClient();

        public async Task InitializeAsync() => Sandbox = await SandboxServer.StartAsync();

        public async Task DisposeAsync()
        {
            Raw.Dispose();
            await Sandbox.DisposeAsync();
        }
    }
}
