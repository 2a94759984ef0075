using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using OtpTools.Sandbox;

// `dotnet run --project src/OtpTools.Sandbox [-- --port 5080 --seed 250 --latency 300]`: serves every provider API of
// the sandbox on loopback until Ctrl+C, SIGTERM, or (with --until-stdin-closes, for scripts) until standard input closes.
// Each provider's own options (--no-imessage-prefix, --otpiq-credit, --engagelab-callback...) come from its folder;
// --rate-limit otpiq=50/5 makes a prefix answer 429 beyond 50 requests a second (a burst of 5).
var port = 5080;
var seed = 250;
var latency = 0;
var untilStdinCloses = false;
var rateLimits = new List<string>();
var providerOptions = new List<(string Option, string Value)>();
var declared = SandboxServer.DeclaredOptions();
var usage = "usage: OtpTools.Sandbox [--port <0-65535, 0 = any free port>] [--seed <history rows>] [--latency <ms>] " +
            string.Concat(declared.Select(o => $"[{o.Option} {o.Argument}] ")) + "[--rate-limit <prefix>=<per second>[/<burst>]] [--until-stdin-closes]";
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--port" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= 65535: i++; break;
        case "--seed" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out seed): i++; break;
        case "--latency" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out latency): i++; break;
        case "--until-stdin-closes": untilStdinCloses = true; break;
        case "--rate-limit" when i + 1 < args.Length: rateLimits.Add(args[++i]); break;
        case var option when i + 1 < args.Length && declared.Any(o => o.Option == option): providerOptions.Add((option, args[++i])); break;
        default:
            Console.Error.WriteLine($"OtpTools sandbox: '{args[i]}' is not understood here. {usage}");
            return 2;
    }
}

SandboxServer server;
try
{
    server = await SandboxServer.StartAsync(port);
}
catch (IOException e) when (e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase) || e.InnerException is System.Net.Sockets.SocketException)
{
    Console.Error.WriteLine($"OtpTools sandbox: port {port} on 127.0.0.1 is already in use (another sandbox still running?). Stop it, or start with --port <another port>, or --port 0 for any free port.");
    return 1;
}

await using (server)
{
    foreach (var (option, value) in providerOptions)
    {
        if (server.Providers.Any(p => p.Options.Any(o => o.Option == option) && p.TrySetOption(option, value))) continue;
        Console.Error.WriteLine($"OtpTools sandbox: '{option} {value}' is not understood here. {usage}");
        return 2;
    }
    foreach (var limit in rateLimits)
    {
        if (server.RateLimits.TrySet(limit)) continue;
        Console.Error.WriteLine($"OtpTools sandbox: '--rate-limit {limit}' is not understood here (e.g. --rate-limit otpiq=50/5). {usage}");
        return 2;
    }
    foreach (var provider in server.Providers)
    {
        provider.Seed(seed);
        server.Faults.SetLatency(provider.Prefix, TimeSpan.FromMilliseconds(latency));
    }

    Console.WriteLine($"OtpTools sandbox listening on {server.BaseUri} (process {Environment.ProcessId}{(latency > 0 ? $", {latency} ms latency" : "")})");
    var width = server.ClientVariables.Max(v => v.Name.Length);
    foreach (var provider in server.Providers)
    {
        foreach (var (name, value) in server.ClientVariables.Where(v => v.Name.StartsWith($"OTPTOOLS_{provider.TypeName.ToUpperInvariant()}_", StringComparison.Ordinal)))
            Console.WriteLine($"  $env:{name.PadRight(width)} = '{value}'");
        foreach (var note in provider.Notes) Console.WriteLine("  " + note);
    }
    Console.WriteLine("  Delivery webhooks go to the send's callback URL (OTP Blue -StatusCallback, OTPIQ -WebhookUrl) when it is on this machine.");
    Console.WriteLine("Press Ctrl+C to stop.");
    Console.Out.Flush();

    var stop = new TaskCompletionSource();
    // SIGINT (Ctrl+C) and SIGTERM (kill, Stop-Process, service managers) both end the sandbox cleanly.
    using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.TrySetResult(); });
    using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.TrySetResult(); });
    using var onHostStop = server.Stopping.Register(() => stop.TrySetResult());
    if (untilStdinCloses) _ = Task.Run(() => { while (Console.In.Read() >= 0) { } stop.TrySetResult(); });
    await stop.Task;
    Console.WriteLine("OtpTools sandbox stopped.");
}
return 0;
