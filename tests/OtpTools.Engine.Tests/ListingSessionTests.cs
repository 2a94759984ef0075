using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OtpTools.Engine.Credentials;
using OtpTools.Engine.Listing;
using OtpTools.Engine.Providers;
using OtpTools.Engine.Providers.OtpBlue;
using OtpTools.Sandbox;
using Xunit;

namespace OtpTools.Engine.Tests
{
    /// <summary>The listing session without PowerShell: windows, filters, totals and one retry layer, over real HTTP.</summary>
    public sealed class ListingSessionTests : IClassFixture<SandboxFixture>, IDisposable
    {
        private static readonly DateTime From = new DateTime(2024, 3, 1);
        private static readonly DateTime To = new DateTime(2024, 3, 31);
        private readonly SandboxFixture _f;

        public ListingSessionTests(SandboxFixture fixture)
        {
            _f = fixture;
            _f.Sandbox.Faults.Clear();
            _f.Sandbox.OtpBlue.SeedHistory(2500, From, To);
        }

        public void Dispose() => _f.Sandbox.Faults.Clear();

        private (OtpBlueClient Client, OtpConnection Connection) Connect(int maxRetry = 3)
        {
            var type = new OtpBlueProviderType();
            var connection = new OtpConnection(new ResolvedProvider("OtpBlue", type, new Uri(_f.Sandbox.UriFor("otpblue"))),
                OtpCredential.FromPlainText(SandboxKeys.OtpBlue, "test"), _f.Client, null,
                new OtpCallOptions { MaxRetry = maxRetry, BaseDelay = TimeSpan.FromMilliseconds(1), Timeout = TimeSpan.FromSeconds(10) });
            return ((OtpBlueClient)type.CreateClient(connection), connection);
        }

        private static async Task<List<T>> All<T>(ListingSession<T> listing) where T : class
        {
            var rows = new List<T>();
            for (var page = await listing.NextAsync(); page != null; page = await listing.NextAsync()) rows.AddRange(page);
            return rows;
        }

        [Fact]
        public async Task A_filtered_listing_counts_skip_first_and_its_total_in_kept_rows()
        {
            var (client, connection) = Connect();
            var window = new ListingWindow { Skip = 10, First = 25, IncludeTotalCount = true };
            var pager = client.History(new OtpHistoryQuery { From = From, To = To, PageSize = 400 });
            static bool Even(OtpHistoryEntry e) => (e.Id![e.Id.Length - 1] - '0') % 2 == 0;
            using var listing = new ListingSession<OtpHistoryEntry>(pager, connection, window, Even, CancellationToken.None);
            var rows = await All(listing);
            var kept = Enumerable.Range(0, 2500).Select(i => _f.Sandbox.OtpBlue.SeededRow(i)).Where(r => (r.Id![r.Id.Length - 1] - '0') % 2 == 0).ToList();
            Assert.Equal(kept.Skip(10).Take(25).Select(r => r.Id), rows.Select(r => r.Id));
            Assert.True(listing.CountsKeptRows);
            Assert.Equal((ulong)kept.Count, listing.KeptCount);
            Assert.False(listing.TakeProviderTotal(out _));
        }

        [Fact]
        public async Task An_unfiltered_listing_reports_the_providers_total_once_after_its_first_page()
        {
            var (client, connection) = Connect();
            var window = new ListingWindow { First = 1200, IncludeTotalCount = true };
            var query = new OtpHistoryQuery { From = From, To = To, PageSize = 500 };
            window.ApplyTo(query);
            using var listing = new ListingSession<OtpHistoryEntry>(client.History(query), connection, window, null, CancellationToken.None);
            Assert.NotNull(await listing.NextAsync());
            Assert.True(listing.TakeProviderTotal(out var total));
            Assert.Equal(2500, total);
            Assert.False(listing.TakeProviderTotal(out _));
            var rest = await All(listing);
            Assert.Equal(700, rest.Count);
        }

        [Fact]
        public async Task A_server_that_drops_every_connection_gets_exactly_MaxRetry_plus_one_requests()
        {
            var (client, connection) = Connect(maxRetry: 2);
            _f.Sandbox.Faults.Inject("otpblue", FaultKind.ResetBeforeRead);
            var before = _f.Sandbox.RequestCount("otpblue");
            using var listing = new ListingSession<OtpHistoryEntry>(client.History(new OtpHistoryQuery { From = From, To = To }), connection,
                new ListingWindow(), null, CancellationToken.None);
            var error = await Assert.ThrowsAsync<OtpException>(() => listing.NextAsync());
            Assert.StartsWith("Http.", error.ErrorId);
            Assert.Equal(3, _f.Sandbox.RequestCount("otpblue") - before);
        }
    }
}
