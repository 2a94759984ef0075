using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace OtpTools.Engine.Webhooks
{
    /// <summary>
    /// A listener prefix as people write it for HttpListener (<c>http://+:8080/otpiq/</c>): where to bind and which
    /// paths to answer. Plain http only: TLS belongs to a reverse proxy or tunnel in front.
    /// </summary>
    public sealed class ListenerPrefix
    {
        private ListenerPrefix(string text, IReadOnlyList<IPAddress> addresses, int port, string path, bool everyInterface)
        {
            Text = text;
            Addresses = addresses;
            Port = port;
            Path = path;
            EveryInterface = everyInterface;
        }

        public string Text { get; }
        public IReadOnlyList<IPAddress> Addresses { get; }
        public int Port { get; }
        /// <summary>The path requests must start with, ending in '/'.</summary>
        public string Path { get; }
        /// <summary>True for + and *: anyone who can reach this machine's port can post.</summary>
        public bool EveryInterface { get; }

        public static ListenerPrefix Parse(string? prefix)
        {
            var text = prefix ?? "";
            if (text.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
                throw Invalid(text, "Webhook.HttpsNotServed",
                    $"-Prefix '{text}': Receive-OtpDeliveryReport serves plain http only, because it has no certificate to serve TLS with. " +
                    "Providers post webhooks to https URLs: put an https reverse proxy or tunnel (nginx, Caddy, IIS, a cloud tunnel) in front, " +
                    "and give the local address it forwards to, e.g. -Prefix http://localhost:8080/otpiq/.");
            var probe = text.Replace("://+", "://wildcard.invalid").Replace("://*", "://wildcard.invalid");
            if (!Uri.TryCreate(probe, UriKind.Absolute, out var uri) || uri.Scheme != "http" || !text.EndsWith("/", StringComparison.Ordinal)
                || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
                throw Invalid(text, "Webhook.InvalidPrefix",
                    $"-Prefix '{text}' is not an HTTP listener prefix: give scheme, host, port and a path ending in '/', " +
                    "e.g. http://+:8080/otpiq/ (all addresses) or http://localhost:8080/otpiq/.");
            var port = uri.Port;
            var path = Uri.UnescapeDataString(uri.AbsolutePath);
            if (uri.Host == "wildcard.invalid")
                return new ListenerPrefix(text, Socket.OSSupportsIPv6 ? new[] { IPAddress.IPv6Any } : new[] { IPAddress.Any }, port, path, true);
            if (string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase))
                return new ListenerPrefix(text, Socket.OSSupportsIPv6 ? new[] { IPAddress.Loopback, IPAddress.IPv6Loopback } : new[] { IPAddress.Loopback }, port, path, false);
            if (!IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address))
                throw Invalid(text, "Webhook.InvalidPrefix",
                    $"-Prefix '{text}': give localhost, an IP address of this machine, or + (every interface) as the host; " +
                    $"'{uri.Host}' is a name, and a listener binds to addresses.");
            if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
                throw Invalid(text, "Webhook.InvalidPrefix",
                    $"-Prefix '{text}': to listen on every interface write + as the host, e.g. http://+:{port.ToString(CultureInfo.InvariantCulture)}{uri.AbsolutePath}.");
            return new ListenerPrefix(text, new[] { address }, port, path, false);
        }

        /// <summary>Whether a request target (path and query) falls under this prefix (case-insensitive, as HttpListener).</summary>
        public bool Covers(string target)
        {
            var query = target.IndexOf('?');
            var path = query < 0 ? target : target.Substring(0, query);
            try
            {
                path = Uri.UnescapeDataString(path);
            }
            catch (UriFormatException)
            {
                return false;
            }
            return path.StartsWith(Path, StringComparison.OrdinalIgnoreCase) ||
                   string.Equals(path + "/", Path, StringComparison.OrdinalIgnoreCase);
        }

        private static OtpException Invalid(string prefix, string errorId, string message) =>
            new OtpException(errorId, OtpErrorCategory.InvalidArgument, message) { ParameterName = "Prefix", TargetValue = prefix };
    }
}
