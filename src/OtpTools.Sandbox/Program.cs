using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using OtpTools.Sandbox;
using OtpTools.Sandbox.Providers.OtpBlue;

// `dotnet run --project src/OtpTools.Sandbox [-- --port 5080 --seed 250 --latency 300]`: serves the four provider
// APIs on loopback until Ctrl+C, SIGTERM, or (with --until-stdin-closes, for scripts) until standard input closes.
const string Usage = "usage: OtpTools.Sandbox [--port <0-65535, 0 = any free port>] [--seed <history rows>] [--latency <ms>] [--no-imessage-prefix <+digits>] [--otpiq-credit <IQD>] [--engagelab-callback <url> [--engagelab-callback-user <name> --engagelab-callback-secret <secret>]] [--until-stdin-closes]";
var port = 5080;
var seed = 250;
var latency = 0;
var untilStdinCloses = false;
string? noIMessagePrefix = null;
string? callbackUrl = null, callbackUser = null, callbackSecret = null;
var otpiqCredit = OtpTools.Sandbox.Providers.Otpiq.OtpiqSandbox.DefaultCredit;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--port" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= 65535: i++; break;
        case "--seed" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out seed): i++; break;
        case "--latency" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out latency): i++; break;
        case "--no-imessage-prefix" when i + 1 < args.Length && args[i + 1].StartsWith("+", StringComparison.Ordinal): noIMessagePrefix = args[++i]; break;
        case "--otpiq-credit" when i + 1 < args.Length && decimal.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out otpiqCredit): i++; break;
        case "--engagelab-callback" when i + 1 < args.Length && Uri.TryCreate(args[i + 1], UriKind.Absolute, out _): callbackUrl = args[++i]; break;
        case "--engagelab-callback-user" when i + 1 < args.Length: callbackUser = args[++i]; break;
        case "--engagelab-callback-secret" when i + 1 < args.Length: callbackSecret = args[++i]; break;
        case "--until-stdin-closes": untilStdinCloses = true; break;
        default:
            Console.Error.WriteLine($"OtpTools sandbox: '{args[i]}' is not understood here. {Usage}");
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
    server.OtpBlue.SeedHistory(seed, DateTime.UtcNow.Date.AddDays(-29), DateTime.UtcNow.Date.AddDays(-1));
    server.GetOtp.SeedSenders(seed);
    foreach (var prefix in server.Prefixes) server.Faults.SetLatency(prefix, TimeSpan.FromMilliseconds(latency));
    server.OtpBlue.NoIMessagePrefix = noIMessagePrefix;
    server.Otpiq.Credit = otpiqCredit;
    // EngageLab's callback is set in its console, not per send: here, on the command line.
    server.EngageLab.CallbackUrl = callbackUrl;
    server.EngageLab.CallbackUserName = callbackUser;
    server.EngageLab.CallbackSecret = callbackSecret;

    Console.WriteLine($"OtpTools sandbox listening on {server.BaseUri} (process {Environment.ProcessId}{(latency > 0 ? $", {latency} ms latency" : "")})");
    Console.WriteLine($"  $env:OTPTOOLS_OTPBLUE_BASEURI = '{server.UriFor("otpblue")}'");
    Console.WriteLine($"  $env:OTPTOOLS_OTPBLUE_APIKEY  = '{SandboxKeys.OtpBlue}'");
    Console.WriteLine($"  $env:OTPTOOLS_GETOTP_BASEURI  = '{server.UriFor("getotp")}'");
    Console.WriteLine($"  $env:OTPTOOLS_GETOTP_APIKEY   = '{SandboxKeys.GetOtp}'");
    Console.WriteLine($"  OTP Blue scenario recipients: no iMessage {OtpBlueScenarios.NoIMessage}, opted out {OtpBlueScenarios.OptedOut}, no capacity {OtpBlueScenarios.NoCapacity}");
    Console.WriteLine($"  $env:OTPTOOLS_OTPIQ_BASEURI = '{server.UriFor("otpiq")}'");
    Console.WriteLine($"  $env:OTPTOOLS_OTPIQ_APIKEY  = '{SandboxKeys.Otpiq}'");
    Console.WriteLine($"  $env:OTPTOOLS_ENGAGELAB_BASEURI   = '{server.UriFor("engagelab")}'");
    Console.WriteLine($"  $env:OTPTOOLS_ENGAGELAB_DEVKEY    = '{SandboxKeys.EngageLabDevKey}'");
    Console.WriteLine($"  $env:OTPTOOLS_ENGAGELAB_DEVSECRET = '{SandboxKeys.EngageLabDevSecret}'");
    Console.WriteLine("  Delivery webhooks go to the send's callback URL (OTP Blue -StatusCallback, OTPIQ -WebhookUrl) when it is on this machine" +
                      (callbackUrl != null ? $"; EngageLab's to {callbackUrl}" : "") + ".");
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
