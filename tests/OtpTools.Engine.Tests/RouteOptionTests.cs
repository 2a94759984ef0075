using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using OtpTools.Engine.Credentials;
using OtpTools.Engine.Providers;
using OtpTools.Engine.Providers.Otpiq;
using OtpTools.Engine.Sending;
using Xunit;

namespace OtpTools.Engine.Tests
{
    /// <summary>A route gives each provider only the options it declares, read from the declaration, not learnt from refusals.</summary>
    public sealed class RouteOptionTests
    {
        private sealed class CountingSender : IOtpCodeSender
        {
            public List<OtpSendRequest> Prepared { get; } = new List<OtpSendRequest>();

            public PreparedSend Prepare(OtpSendRequest request)
            {
                Prepared.Add(request);
                return new Send(request);
            }

            public Task<OtpSendResult> SendAsync(PreparedSend prepared, CancellationToken cancellationToken) => throw new NotSupportedException();

            private sealed class Send : PreparedSend
            {
                public Send(OtpSendRequest request) : base(request, "+9647501234567") { }
            }
        }

        [Fact]
        public void A_hop_drops_every_option_its_provider_does_not_declare_and_checks_the_row_once()
        {
            var type = new OtpiqProviderType();
            var connection = new OtpConnection(new ResolvedProvider("Otpiq", type, new Uri("https://api.otpiq.com")),
                OtpCredential.FromPlainText("sk_test_route_options", "test"), OtpTools.Engine.Http.HttpPipeline.Client());
            var sender = new CountingSender();
            var request = new OtpSendRequest { Position = 1, To = "+9647501234567", Code = "1234", Sender = "OtpTools", Language = "en" };
            request.Options["StatusCallback"] = "https://h.example.com/cb";   // OTP Blue's
            request.Options["TemplateId"] = "t-1";                          // EngageLab's
            request.Options["Channel"] = "sms";                             // OTPIQ's own
            var dropped = new List<string>();

            new OtpSendService(connection, sender).PrepareForRoute(request, dropped);

            var checkedRow = Assert.Single(sender.Prepared);   // no refusal-and-retry loop
            Assert.Equal(new[] { "StatusCallback", "TemplateId", "Language" }, dropped);
            Assert.Equal("sms", checkedRow.Option("Channel"));
            Assert.Equal("OtpTools", checkedRow.Sender);          // OTPIQ declares -Sender
            Assert.Null(checkedRow.Language);                      // but not -Language
            Assert.Null(checkedRow.Option("TemplateId"));
        }
    }
}
