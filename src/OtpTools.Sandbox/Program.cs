using System;
using System.Threading;
using System.Threading.Tasks;
using OtpTools.Sandbox;
using OtpTools.Sandbox.Providers.OtpBlue;

// `dotnet run --project src/OtpTools.Sandbox [-- --port 5080 --seed 250]`: serves the four provider APIs on loopback
// until Ctrl+C (or until standard input closes, when started by a script with --until-stdin-closes).
var port = 5080;
var seed = 250;
var untilStdinCloses = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--port": port = int.Parse(args[++i]); break;
        case "--seed": seed = int.Parse(args[++i]); break;
        case "--until-stdin-closes": untilStdinCloses = true; break;
    }
}

await using var server = await SandboxServer.StartAsync(port);
server.OtpBlue.SeedHistory(seed, DateTime.UtcNow.Date.AddDays(-29), DateTime.UtcNow.Date.AddDays(-1));
server.GetOtp.SeedSenders(seed);

Console.WriteLine($"OtpTools sandbox listening on {server.BaseUri}");
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
Console.WriteLine("Press Ctrl+C to stop.");
Console.Out.Flush();

var stop = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.TrySetResult(); };
if (untilStdinCloses) _ = Task.Run(() => { while (Console.In.Read() >= 0) { } stop.TrySetResult(); });
await stop.Task;
