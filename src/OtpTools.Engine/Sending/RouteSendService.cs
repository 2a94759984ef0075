using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OtpTools.Engine.Providers;

namespace OtpTools.Engine.Sending
{
    /// <summary>
    /// Failover (<c>-Provider OtpBlue, Otpiq</c>): each row goes to the first provider; when its answer proves that it
    /// cannot deliver to this recipient and that nothing was delivered (<see cref="OtpException.FailOver"/>), the row
    /// moves to the next provider with the same code. Never on "unknown", an opt-out, bad input or a rejected key.
    /// A provider known not to serve the recipient (OTP Blue's restricted regions) is skipped without a call.
    /// </summary>
    public sealed class RouteSendService : IRowSender
    {
        private readonly IReadOnlyList<OtpSendService> _hops;

        public RouteSendService(IReadOnlyList<OtpSendService> hops) => _hops = hops;

        /// <summary>One provider's part of a row: its prepared request, or why it cannot take the row.</summary>
        private sealed class Hop
        {
            public Hop(OtpSendService service, PreparedSend? prepared, OtpException? refusal)
            {
                Service = service;
                Prepared = prepared;
                Refusal = refusal;
            }

            public OtpSendService Service { get; }
            public PreparedSend? Prepared { get; }
            public OtpException? Refusal { get; }
        }

        private sealed class RoutedSend : PreparedSend
        {
            public RoutedSend(OtpSendRequest request, string destination, IReadOnlyList<Hop> hops) : base(request, destination) => Hops = hops;
            public IReadOnlyList<Hop> Hops { get; }
        }

        /// <summary>
        /// Prepares the row for every provider of the route. Bad input for the first provider that would send fails the
        /// row before any call; a parameter that no provider of the route takes is an error too.
        /// </summary>
        public PreparedSend Prepare(OtpSendRequest request)
        {
            var hops = new List<Hop>();
            var droppedEverywhere = (HashSet<string>?)null;
            foreach (var service in _hops)
            {
                var dropped = new List<string>();
                try
                {
                    hops.Add(new Hop(service, service.PrepareForRoute(request, dropped), null));
                }
                catch (OtpException refusal)
                {
                    // The first provider that would send decides about bad input: never fail over on it.
                    if (!refusal.FailOver && hops.All(h => h.Prepared == null)) throw;
                    hops.Add(new Hop(service, null, refusal));
                }
                droppedEverywhere = droppedEverywhere == null ? new HashSet<string>(dropped) : new HashSet<string>(droppedEverywhere.Intersect(dropped));
            }
            var unused = droppedEverywhere?.FirstOrDefault();
            if (unused != null)
                throw Validation.InputRules.Invalid("Validation.UnsupportedParameter", unused, unused,
                    $"-{unused} applies to none of the providers in the route ({string.Join(" > ", _hops.Select(h => h.ProviderType))}).");
            var first = hops.FirstOrDefault(h => h.Prepared != null);
            if (first == null) throw hops.Last().Refusal!;   // no provider of the route can take this recipient
            return new RoutedSend(request, first.Prepared!.Destination, hops);
        }

        public async Task<SendOutcome> SendAsync(PreparedSend prepared, CancellationToken cancellationToken)
        {
            var routed = (RoutedSend)prepared;
            var route = new List<string>();
            var hops = 0;
            var attempts = 0;
            SendOutcome? outcome = null;
            foreach (var hop in routed.Hops)
            {
                if (hop.Prepared == null)
                {
                    route.Add(hop.Service.ProviderType + ":" + Short(hop.Refusal!));
                    outcome = hop.Service.Failed(routed.Request, hop.Refusal!, routed.Destination);
                    if (hop.Refusal!.FailOver) continue;   // skipped without a call
                    break;                                 // this provider cannot take the row's input
                }
                hops++;
                outcome = await hop.Service.SendAsync(hop.Prepared, cancellationToken).ConfigureAwait(false);
                attempts += outcome.Result.Attempts;
                route.Add(hop.Service.ProviderType + ":" + (outcome.Result.Success ? outcome.Result.Status : outcome.Result.ErrorCode ?? Short(outcome.Error!)));
                if (outcome.Result.Success || outcome.Error?.FailOver != true) break;
            }
            var result = outcome!.Result;
            result.Route = string.Join(" > ", route);
            result.Hops = hops;
            result.Attempts = attempts;
            return outcome;
        }

        private static string Short(OtpException error) => error.ProviderCode ?? error.ErrorId.Substring(error.ErrorId.IndexOf('.') + 1);

        public SendOutcome Failed(OtpSendRequest request, OtpException error, string? destination = null) =>
            _hops[0].Failed(request, error, destination);

        public void Stamp(OtpSendResult result, OtpSendRequest request, string? destination) => _hops[0].Stamp(result, request, destination);

        /// <summary>Each provider keeps its own limit.</summary>
        public string? RateNote
        {
            get
            {
                var notes = _hops.Select(h => h.RateNote).Where(n => n != null).ToList();
                return notes.Count == 0 ? null : string.Join("; ", notes);
            }
        }
    }
}
