using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net;
using System.Net.Http;
using System.Security;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using OtpTools.Sandbox;

// Each figure is a ratio of OtpTools against a baseline measured side by side in this one run, against the
// in-process sandbox on loopback. Child processes (this program in another mode) measure what needs a fresh process.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var root = FindRoot();
var manifest = Path.Combine(root, "out", "OtpTools", "OtpTools.psd1");

switch (args.FirstOrDefault())
{
    case "--import":
        Console.WriteLine(ChildImport(args[1]).ToString("0.###", CultureInfo.InvariantCulture));
        return 0;
    case "--history":
    case "--history-out-null":
        Console.WriteLine(ChildHistory(manifest, args[1], long.Parse(args[2]), Window(args), args[0] == "--history-out-null" ? " | Out-Null" : " > $null"));
        return 0;
    case "--history-raw":
        Console.WriteLine(await ChildHistoryRaw(args[1], long.Parse(args[2]), Window(args)));
        return 0;
    case "--profile-sends":
        // Benchmark 1's module side alone, for a profiler: dotnet-trace collect -- dotnet OtpTools.Bench.dll --profile-sends 20000
        await ProfileSends(manifest, int.Parse(args[1]));
        return 0;
    case "--bulk":
        Console.WriteLine(ChildBulk(args[1], args[2], int.Parse(args[3]), int.Parse(args[4])).ToString("0.####", CultureInfo.InvariantCulture));
        return 0;
}

// Benchmark 7's other side: a build of the module before the rate gate (39ee591), e.g.
// git worktree add /tmp/otptools-pregate 39ee591 && (cd /tmp/otptools-pregate && dotnet build -c Release)
// then --baseline /tmp/otptools-pregate/out/OtpTools/OtpTools.psd1
var baselineIndex = Array.IndexOf(args, "--baseline");
var baselineManifest = baselineIndex >= 0 && baselineIndex + 1 < args.Length ? Path.GetFullPath(args[baselineIndex + 1]) : null;

var quick = args.Contains("--quick");
int Scale(int n) => quick ? Math.Max(1, n / 10) : n;
var results = new List<(string Name, string OtpTools, string Baseline, double Ratio, string Target, bool Met, string Note)>();

await using (var sandbox = await SandboxServer.StartAsync())
{
    Environment.SetEnvironmentVariable("OTPTOOLS_OTPBLUE_BASEURI", sandbox.UriFor("otpblue"));
    var key = Secure(SandboxKeys.OtpBlue);

    // 1. Per-send overhead.
    {
        var n = Scale(5000);
        using var runspace = OpenRunspace(manifest);
        // Equal warm-up on both sides, so that neither is measured while the JIT is still tiering its code up.
        RunScript(runspace, "$warm = 1..1000 | ForEach-Object { [pscustomobject]@{ Phone = '+61412345678'; Otp = '1' } }; $warm | Send-OtpCode -Provider OtpBlue -ApiKey $key -ThrottleLimit 1 | Out-Null", ("key", key));
        RunScript(runspace, RowsScript(n));
        var ps = Time(() => RunScript(runspace, "$rows | Send-OtpCode -Provider OtpBlue -ApiKey $key -ThrottleLimit 1 | Out-Null", ("key", key)));
        // The share of binding and validation: the same rows with -WhatIf, which stops before HTTP.
        var dry = Time(() => RunScript(runspace, "$rows | Send-OtpCode -Provider OtpBlue -ApiKey $key -WhatIf 6>$null | Out-Null", ("key", key)));
        using var http = new HttpClient();
        await RawSends(http, sandbox, 1000);
        var raw = await TimeAsync(() => RawSends(http, sandbox, n));
        var ratio = ps.TotalSeconds / raw.TotalSeconds;
        results.Add(($"1. {n:N0} sequential sends: Send-OtpCode (hosted PowerShell) vs raw HttpClient POST loop",
            $"{ps.TotalMilliseconds / n:0.000} ms/send", $"{raw.TotalMilliseconds / n:0.000} ms/send", ratio, "≤ 1.3×", ratio <= 1.3,
            $"of which pipeline binding and validation (-WhatIf, no HTTP): {dry.TotalMilliseconds / n:0.000} ms/row"));
    }

    // 2. Concurrency: 2,000 sends, 50 ms latency, -ThrottleLimit 16, against the ideal N·L/C.
    {
        var n = Scale(2000);
        const int limit = 16;
        var latency = TimeSpan.FromMilliseconds(50);
        using var runspace = BulkRunspace(manifest, n, key);
        sandbox.Faults.SetLatency("otpblue", latency);
        var wall = Time(() => RunScript(runspace, $"$rows | Send-OtpCode -Provider OtpBlue -ApiKey $key -ThrottleLimit {limit} | Out-Null", ("key", key)));
        sandbox.Faults.Clear();
        var ideal = TimeSpan.FromTicks(latency.Ticks * n / limit);
        var ratio = wall.TotalSeconds / ideal.TotalSeconds;
        results.Add(($"2. {n:N0} sends, 50 ms latency, -ThrottleLimit {limit}: wall time vs ideal N·L/C",
            $"{wall.TotalSeconds:0.00} s", $"{ideal.TotalSeconds:0.00} s", ratio, "≤ 1.15×", ratio <= 1.15, ""));
    }

    // 6. A provider's rate limit: the same kind of bulk run against a sandbox allowing 50 requests a second (burst 5),
    // against N / limit; and without the limit against N·L/C, to show what pacing costs when there is nothing to pace.
    {
        var n = Scale(2000);
        const int throttle = 16;
        const double perSecond = 50;
        var latency = TimeSpan.FromMilliseconds(20);
        using var runspace = BulkRunspace(manifest, n, key);
        sandbox.Faults.SetLatency("otpblue", latency);
        var send = $"$global:failedRows = @($rows | Send-OtpCode -Provider OtpBlue -ApiKey $key -ThrottleLimit {throttle} -ErrorAction SilentlyContinue | Where-Object {{ -not $_.Success }}).Count";
        var free = Time(() => RunScript(runspace, send, ("key", key)));
        var freeIdeal = TimeSpan.FromTicks(latency.Ticks * n / throttle);
        sandbox.RateLimits.Set("otpblue", perSecond, burst: 5);
        var requestsBefore = sandbox.RequestCount("otpblue");
        var wall = Time(() => RunScript(runspace, send, ("key", key)));
        var failed = (int)runspace.SessionStateProxy.GetVariable("failedRows");
        var requests = sandbox.RequestCount("otpblue") - requestsBefore;
        var refused = sandbox.RateLimits.Refused;
        sandbox.RateLimits.Clear();
        sandbox.Faults.Clear();
        var ideal = TimeSpan.FromSeconds(n / perSecond);
        var ratio = wall.TotalSeconds / ideal.TotalSeconds;
        var share = requests == 0 ? 0 : (double)refused / requests;
        results.Add(($"6. {n:N0} sends, 20 ms latency, -ThrottleLimit {throttle}, the provider allowing {perSecond:0}/s: wall time vs N / limit",
            $"{wall.TotalSeconds:0.00} s", $"{ideal.TotalSeconds:0.00} s", ratio, "≤ 1.15×, 0 failed, 429s ≤ 5 %", ratio <= 1.15 && failed == 0 && share <= 0.05,
            $"failed rows: {failed}; 429s: {refused} of {requests} requests ({share:P1})"));
        var freeRatio = free.TotalSeconds / freeIdeal.TotalSeconds;
        if (baselineManifest == null)
        {
            results.Add(($"7. the same {n:N0} sends without a limit: wall time vs ideal N·L/C",
                $"{free.TotalSeconds:0.00} s", $"{freeIdeal.TotalSeconds:0.00} s", freeRatio, "≤ 1.15× (benchmark 2's)", freeRatio <= 1.15,
                "run with --baseline <the pre-gate build's OtpTools.psd1> to compare with the code before the rate gate"));
        }
        else
        {
            // The code before the rate gate cannot be loaded beside this one: each side runs in a child process of its
            // own, alternately, three pairs against this sandbox; the medians are compared.
            sandbox.Faults.SetLatency("otpblue", latency);
            var baseUri = sandbox.UriFor("otpblue");
            var ours = new List<double>();
            var before = new List<double>();
            for (var pair = 0; pair < 3; pair++)
            {
                ours.Add(double.Parse(Child("--bulk", manifest, baseUri, n.ToString(CultureInfo.InvariantCulture), throttle.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture));
                before.Add(double.Parse(Child("--bulk", baselineManifest, baseUri, n.ToString(CultureInfo.InvariantCulture), throttle.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture));
            }
            sandbox.Faults.Clear();
            var oursMedian = ours.OrderBy(x => x).ElementAt(1);
            var beforeMedian = before.OrderBy(x => x).ElementAt(1);
            var versusBefore = oursMedian / beforeMedian;
            results.Add(($"7. the same {n:N0} sends without a limit: this code vs the code before the rate gate (39ee591), child processes, median of three alternating",
                $"{oursMedian:0.00} s", $"{beforeMedian:0.00} s", versusBefore, "≤ 1.05×", versusBefore <= 1.05,
                $"this code {string.Join(" / ", ours.Select(x => x.ToString("0.00")))} s, before {string.Join(" / ", before.Select(x => x.ToString("0.00")))} s; " +
                $"in-process against the ideal N·L/C: {free.TotalSeconds:0.00} s vs {freeIdeal.TotalSeconds:0.00} s ({freeRatio:0.00}×)"));
        }
    }

    // 9. The journal's cost: 400 sends at 50 ms, -ThrottleLimit 16, with -JournalPath and without (the faster of two each).
    {
        var n = Scale(400);
        using var runspace = BulkRunspace(manifest, n, key);
        sandbox.Faults.SetLatency("otpblue", TimeSpan.FromMilliseconds(50));
        var folder = Directory.CreateTempSubdirectory("otptools-bench-journal").FullName;
        var plain = new List<TimeSpan>();
        var journaled = new List<TimeSpan>();
        for (var i = 0; i < 2; i++)
        {
            plain.Add(Time(() => RunScript(runspace, "$rows | Send-OtpCode -Provider OtpBlue -ApiKey $key -ThrottleLimit 16 | Out-Null", ("key", key))));
            var journal = Path.Combine(folder, $"run{i}.jsonl");
            journaled.Add(Time(() => RunScript(runspace, $"$rows | Send-OtpCode -Provider OtpBlue -ApiKey $key -ThrottleLimit 16 -JournalPath '{journal}' | Out-Null", ("key", key))));
        }
        sandbox.Faults.Clear();
        Directory.Delete(folder, true);
        var (with, without) = (journaled.Min(), plain.Min());
        var ratio = with.TotalSeconds / without.TotalSeconds;
        results.Add(($"9. {n:N0} sends, 50 ms latency, -ThrottleLimit 16: -JournalPath vs no journal",
            $"{with.TotalSeconds:0.00} s", $"{without.TotalSeconds:0.00} s", ratio, "≤ 1.10×", ratio <= 1.10, "the faster of two runs each, alternating"));
    }

    // 8. Delivery reports: 10,000 reports from 32 concurrent senders into Receive-OtpDeliveryReport vs a bare
    // HttpListener loop that reads and answers each request.
    {
        var n = Scale(10000);
        const int senders = 32;
        const string secret = "bench-webhook-secret-1";
        using var runspace = OpenRunspace(manifest);
        var port = SandboxServer.FreeLoopbackPort();
        using var receive = PowerShell.Create();
        receive.Runspace = runspace;
        runspace.SessionStateProxy.SetVariable("hook", Secure(secret));
        receive.AddScript($"Receive-OtpDeliveryReport -Provider Otpiq -Prefix http://127.0.0.1:{port}/hook/ -WebhookSecret $hook -Count {n} | Out-Null");
        var module = await PostReports(senders, n, $"http://127.0.0.1:{port}/hook/", secret, () => receive.BeginInvoke());
        receive.Stop();

        var rawPort = SandboxServer.FreeLoopbackPort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{rawPort}/hook/");
        listener.Start();
        using var stopRaw = new CancellationTokenSource();
        var serving = Enumerable.Range(0, senders).Select(_ => Task.Run(async () =>
        {
            while (!stopRaw.IsCancellationRequested)
            {
                HttpListenerContext context;
                try { context = await listener.GetContextAsync(); } catch (HttpListenerException) { return; } catch (ObjectDisposedException) { return; }
                using (var reader = new StreamReader(context.Request.InputStream)) await reader.ReadToEndAsync();
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        })).ToList();
        var raw = await PostReports(senders, n, $"http://127.0.0.1:{rawPort}/hook/", secret, () => null);
        stopRaw.Cancel();
        listener.Stop();
        var ratio = module.PerSecond / raw.PerSecond;
        results.Add(($"8. {n:N0} delivery reports from {senders} concurrent senders: Receive-OtpDeliveryReport reports/s vs a bare HttpListener loop",
            $"{module.PerSecond:N0}/s", $"{raw.PerSecond:N0}/s", ratio, "≥ 0.5×", ratio >= 0.5,
            $"p99 latency {module.P99.TotalMilliseconds:0.0} ms vs {raw.P99.TotalMilliseconds:0.0} ms; every report answered 200: {module.AllOk} and {raw.AllOk}"));
    }

    // 3. History streaming, in fresh child processes so that the sandbox's own allocations are not counted.
    {
        string Size(long rows) => rows.ToString(CultureInfo.InvariantCulture);
        var total = Scale(1_000_000);
        var small = Scale(10_000);
        sandbox.OtpBlue.SeedHistory(total, new DateTime(2025, 1, 1), new DateTime(2025, 12, 31));
        var baseUri = sandbox.UriFor("otpblue");
        // This machine is noisy: three pairs, raw and module alternating, and the pair with the median ratio is reported.
        var pairs = Enumerable.Range(0, 3).Select(_ =>
        {
            var raw = Parse(Child("--history-raw", baseUri, Size(total)));
            var ours = Parse(Child("--history", baseUri, Size(total)));
            return (Raw: raw, Ours: ours, Ratio: raw["seconds"] / ours["seconds"]);
        }).OrderBy(p => p.Ratio).ToList();
        var (rawRun, psRun, _) = pairs[1];
        var outNullRun = Parse(Child("--history-out-null", baseUri, Size(total)));
        var psSmall = Parse(Child("--history", baseUri, Size(small)));
        var rawSmall = Parse(Child("--history-raw", baseUri, Size(small)));
        var middle = Scale(100_000);
        var psMiddle = Parse(Child("--history", baseUri, Size(middle)));
        // The runtime sizes its first-generation budget from the CPU's cache; the same four runs with the budget fixed
        // show what is left when the machine's choice is taken out (both sides alike).
        var pinned = new Dictionary<string, string> { ["DOTNET_GCgen0size"] = "0x400000" };
        double PinnedGrowth(string mode) =>
            Parse(ChildWith(pinned, mode, baseUri, Size(total)))["peakMB"] - Parse(ChildWith(pinned, mode, baseUri, Size(small)))["peakMB"];
        var pinnedPs = PinnedGrowth("--history");
        var pinnedRaw = PinnedGrowth("--history-raw");
        var rawRate = total / rawRun["seconds"];
        var psRate = total / psRun["seconds"];
        var rateRatio = psRate / rawRate;
        results.Add(($"3a. {total:N0} history rows: Get-OtpHistory rows/s vs raw HttpClient + System.Text.Json paging loop, both dropping each row",
            $"{psRate:N0} rows/s", $"{rawRate:N0} rows/s", rateRatio, "≥ 0.8×", rateRatio >= 0.8,
            $"Get-OtpHistory > $null; piped to Out-Null instead, which PowerShell binds once per row: {total / outNullRun["seconds"]:N0} rows/s, " +
            $"{total / outNullRun["seconds"] / rawRate:0.00}×; full collections in the 1M-row run: {psRun["gc2"]:0}; " +
            $"ratios of the three pairs: {string.Join(", ", pairs.Select(p => p.Ratio.ToString("0.00", CultureInfo.InvariantCulture)))}"));
        var growthMb = psRun["peakMB"] - psSmall["peakMB"];
        var rawGrowthMb = rawRun["peakMB"] - rawSmall["peakMB"];
        // The target as restated (issue 24): 100,000 → 1,000,000 within 15 MB, and 10,000 → 1,000,000 no more than the
        // raw loop's growth beside it + 5 MB (the first-generation budget follows the CPU's cache, which no module sets).
        var middleGrowthMb = psRun["peakMB"] - psMiddle["peakMB"];
        results.Add(($"3b. Peak working set growth, {middle:N0} → {total:N0} rows, and {small:N0} → {total:N0} beside the raw loop (fresh processes)",
            $"{psMiddle["peakMB"]:0} → {psRun["peakMB"]:0} MB; {psSmall["peakMB"]:0} → {psRun["peakMB"]:0} MB", $"raw loop {rawSmall["peakMB"]:0} → {rawRun["peakMB"]:0} MB",
            middleGrowthMb, "≤ 15 MB, and ≤ the raw loop's growth + 5 MB", middleGrowthMb <= 15 && growthMb <= rawGrowthMb + 5,
            $"ratio column is Get-OtpHistory's MB of growth from {middle:N0} rows; from {small:N0} rows it grew {growthMb:0.0} MB, the raw loop {rawGrowthMb:0.0} MB; " +
            $"the runtime collected once per {psRun["allocMB"] / Math.Max(1, psRun["gc0"]):0} MB allocated; " +
            $"with that budget fixed at 4 MB (DOTNET_GCgen0size=0x400000): Get-OtpHistory {pinnedPs:0.0} MB, raw loop {pinnedRaw:0.0} MB; " +
            $"{middle:N0} rows: {psMiddle["peakMB"]:0} MB, so {psRun["peakMB"] - psMiddle["peakMB"]:0.0} MB from {middle:N0} to {total:N0}; " +
            $"managed heap after the last collection {psMiddle["heapMB"]:0} MB at {middle:N0} rows and {psRun["heapMB"]:0} MB at {total:N0}, committed {psMiddle["committedMB"]:0} and {psRun["committedMB"]:0} MB"));
    }
}

// 4. Import-Module in a fresh process vs an empty binary module; both through their manifests, as modules ship.
{
    var empty = Path.Combine(root, "bench", "EmptyModule", "bin", Configuration(), "netstandard2.0", "EmptyModule.psd1");
    var runs = quick ? 3 : 9;
    var ours = new List<double>();
    var baseline = new List<double>();
    for (var i = 0; i < runs; i++)
    {
        ours.Add(double.Parse(Child("--import", manifest), CultureInfo.InvariantCulture));
        baseline.Add(double.Parse(Child("--import", empty), CultureInfo.InvariantCulture));
    }
    var ratio = Median(ours) / Median(baseline);
    results.Add(("4. Import-Module in a fresh process: OtpTools vs an empty binary module (median of " + runs + ")",
        $"{Median(ours):0.0} ms", $"{Median(baseline):0.0} ms", ratio, "≤ 1.5×", ratio <= 1.5,
        "both imported by manifest; runtime start and runspace creation excluded"));
}

// 5. History into Export-Csv in the real pwsh the repository pins (bench/history-export.ps1 starts its own sandbox).
{
    var rows = Scale(1_000_000);
    Run(root, NoEnvironment(), "dotnet", "tool", "restore");
    // Three fresh pwsh processes, each timing both arms three times (the fastest of each counts); the process with the
    // median ratio is reported, all three in the note.
    var runs = Enumerable.Range(0, 3).Select(_ => Parse(Run(root, NoEnvironment(), "dotnet", "pwsh", "-NoProfile", "-File",
            Path.Combine(root, "bench", "history-export.ps1"), "-Rows", rows.ToString(CultureInfo.InvariantCulture), "-Configuration", Configuration())))
        .OrderBy(r => r["stream"] / r["memory"]).ToList();
    var export = runs[1];
    var ratio = export["stream"] / export["memory"];
    results.Add(($"5. {rows:N0} history rows in real pwsh: Get-OtpHistory | Export-Csv vs Export-Csv over the same rows made in memory",
        $"{export["stream"]:0.00} s", $"{export["memory"]:0.00} s", ratio, "≤ 1.2×", ratio <= 1.2,
        $"PowerShell {export["pwshMajor"]}.{export["pwshMinor"]}.{export["pwshPatch"]}; the two files are the same size: {(export["sameSize"] == 1 ? "yes" : "NO")}; " +
        $"fastest of three runs of each arm in one process; ratios of the three processes: {string.Join(", ", runs.Select(r => (r["stream"] / r["memory"]).ToString("0.00", CultureInfo.InvariantCulture)))}; " +
        $"first runs, before the runtime had optimised either path: {export["streamFirst"]:0.00} s and {export["memoryFirst"]:0.00} s; " +
        $"CPU seconds in the reported runs: pwsh {export["streamCpu"]:0.0} streaming (the sandbox {export["sandboxCpu"]:0.0} more) and {export["memoryCpu"]:0.0} in memory, on {Environment.ProcessorCount} cores"));
}

WriteResults(root, results, quick);
foreach (var r in results) Console.WriteLine($"{(r.Met ? "met " : "MISS")} {r.Ratio,8:0.00}  {r.Name}: {r.OtpTools} vs {r.Baseline} (target {r.Target})");
return 0;

static string FindRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir != null && !File.Exists(Path.Combine(dir.FullName, "OtpTools.sln"))) dir = dir.Parent;
    return dir?.FullName ?? throw new InvalidOperationException("Run inside the OtpTools repository.");
}

static string Configuration() => new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

static SecureString Secure(string text)
{
    var s = new SecureString();
    foreach (var c in text) s.AppendChar(c);
    s.MakeReadOnly();
    return s;
}

static Runspace OpenRunspace(string? module)
{
    var state = InitialSessionState.CreateDefault2();
    if (module != null) state.ImportPSModule(new[] { module });
    var runspace = RunspaceFactory.CreateRunspace(state);
    runspace.Open();
    return runspace;
}

static void RunScript(Runspace runspace, string script, params (string Name, object Value)[] variables)
{
    foreach (var (name, value) in variables) runspace.SessionStateProxy.SetVariable(name, value);
    using var ps = PowerShell.Create();
    ps.Runspace = runspace;
    ps.AddScript(script).Invoke();
    if (ps.Streams.Error.Count > 0) throw new InvalidOperationException("benchmark script failed: " + ps.Streams.Error[0]);
}

static TimeSpan Time(Action action)
{
    var watch = Stopwatch.StartNew();
    action();
    return watch.Elapsed;
}

static async Task<TimeSpan> TimeAsync(Func<Task> action)
{
    var watch = Stopwatch.StartNew();
    await action();
    return watch.Elapsed;
}

// Posts n OTPIQ delivery reports from `senders` concurrent clients once the listener answers; reports/s, p99, all 200.
static async Task<(double PerSecond, TimeSpan P99, bool AllOk)> PostReports(int senders, int n, string url, string secret, Func<object?> start)
{
    start();
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = senders });
    // Wait for the listener to take connections (the cmdlet opens its socket once it runs).
    for (var tries = 0; ; tries++)
    {
        try
        {
            using var probe = new System.Net.Sockets.TcpClient();
            await probe.ConnectAsync(new Uri(url).Host, new Uri(url).Port);
            break;
        }
        catch (System.Net.Sockets.SocketException) when (tries < 600)
        {
            await Task.Delay(50);
        }
    }
    var latencies = new TimeSpan[n];
    var ok = 0;
    var next = -1;
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, senders).Select(_ => Task.Run(async () =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < n)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = new StringContent($"{{\"smsId\":\"sms-{i}\",\"deliveryReportType\":\"final\",\"isFinal\":true,\"channel\":\"sms\",\"status\":\"delivered\"}}", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-OTPIQ-Webhook-Secret", secret);
            var sent = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request);
            latencies[i] = Stopwatch.GetElapsedTime(sent);
            if ((int)response.StatusCode == 200) Interlocked.Increment(ref ok);
        }
    })));
    var wall = watch.Elapsed;
    Array.Sort(latencies);
    return (n / wall.TotalSeconds, latencies[(int)(n * 0.99) - 1], ok == n);
}

// The baseline a developer would write by hand: serialize, POST, read and parse the answer, one at a time.
static async Task RawSends(HttpClient http, SandboxServer sandbox, int n)
{
    var uri = sandbox.UriFor("otpblue") + "/imsg/api/v1.1/otp/send/";
    for (var i = 0; i < n; i++)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, string> { ["contact"] = "+61412345678", ["code"] = (i % 100000).ToString() });
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", SandboxKeys.OtpBlue);
        using var response = await http.SendAsync(request);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        if (!doc.RootElement.GetProperty("success").GetBoolean()) throw new InvalidOperationException("raw send failed");
    }
}

// This program in another mode, in a fresh process; its last line of output.
static string Child(params string[] arguments) => ChildWith(NoEnvironment(), arguments);

static string ChildWith(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
    Run(Environment.CurrentDirectory, environment, "dotnet",
        new[] { typeof(SandboxServer).Assembly.Location.Replace("OtpTools.Sandbox.dll", "OtpTools.Bench.dll") }.Concat(arguments).ToArray());

// Runs a program in a folder, with extra environment variables; its last line of output.
static string Run(string folder, IReadOnlyDictionary<string, string> environment, string program, params string[] arguments)
{
    var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
    foreach (var a in arguments) start.ArgumentList.Add(a);
    foreach (var (name, value) in environment) start.Environment[name] = value;
    using var process = Process.Start(start)!;
    var error = process.StandardError.ReadToEndAsync();
    var output = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed: {output}{error.Result}");
    return output.Trim().Split('\n').Last().Trim();
}

static Dictionary<string, double> Parse(string line) =>
    line.Split(' ').Select(p => p.Split('=')).ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));

static double ChildImport(string module)
{
    using var runspace = OpenRunspace(null);
    using var ps = PowerShell.Create();
    ps.Runspace = runspace;
    ps.AddCommand("Import-Module").AddParameter("Name", module);
    var watch = Stopwatch.StartNew();
    ps.Invoke();
    var elapsed = watch.Elapsed.TotalMilliseconds;
    if (ps.HadErrors) throw new InvalidOperationException("Import-Module failed: " + string.Join("; ", ps.Streams.Error));
    return elapsed;
}

static async Task ProfileSends(string manifest, int n)
{
    await using var sandbox = await SandboxServer.StartAsync();
    Environment.SetEnvironmentVariable("OTPTOOLS_OTPBLUE_BASEURI", sandbox.UriFor("otpblue"));
    using var runspace = OpenRunspace(manifest);
    var key = Secure(SandboxKeys.OtpBlue);
    RunScript(runspace, RowsScript(n));
    var elapsed = Time(() => RunScript(runspace, "$rows | Send-OtpCode -Provider OtpBlue -ApiKey $key -ThrottleLimit 1 | Out-Null", ("key", key)));
    Console.WriteLine($"{elapsed.TotalMilliseconds / n:0.000} ms/send");
}

// n CSV-shaped rows in $rows, as a bulk run reads them.
static string RowsScript(int n) =>
    $"$rows = 1..{n} | ForEach-Object {{ [pscustomobject]@{{ Phone = '+61412345678'; Otp = ($_ % 100000).ToString() }} }}";

// The bulk benchmarks' session: the module, n rows in $rows, and one send made (the connection and the first-call code
// ready before the clock starts).
static Runspace BulkRunspace(string manifest, int n, SecureString key)
{
    var runspace = OpenRunspace(manifest);
    RunScript(runspace, RowsScript(n));
    RunScript(runspace, "Send-OtpCode -Provider OtpBlue -To +61412345678 -Code 1 -ApiKey $key | Out-Null", ("key", key));
    return runspace;
}

// A bulk run in a fresh process with the given build of the module: n rows, one warm-up send first; the seconds it took.
static double ChildBulk(string manifest, string baseUri, int n, int throttle)
{
    Environment.SetEnvironmentVariable("OTPTOOLS_OTPBLUE_BASEURI", baseUri);
    var key = Secure(SandboxKeys.OtpBlue);
    using var runspace = BulkRunspace(manifest, n, key);
    return Time(() => RunScript(runspace, $"$rows | Send-OtpCode -Provider OtpBlue -ApiKey $key -ThrottleLimit {throttle} | Out-Null", ("key", key))).TotalSeconds;
}

// The history window a child reads: 2025 (as the parent seeds it) unless given, e.g. to read a sandbox started by hand.
static (string From, string To) Window(string[] args) => args.Length >= 5 ? (args[3], args[4]) : ("2025-01-01", "2025-12-31");

// The sink: "> $null" drops each row as the raw loop does (the cmdlet's own cost); " | Out-Null" adds a downstream
// command, which PowerShell binds once per row.
static string ChildHistory(string manifest, string baseUri, long rows, (string From, string To) window, string sink)
{
    Environment.SetEnvironmentVariable("OTPTOOLS_OTPBLUE_BASEURI", baseUri);
    using var runspace = OpenRunspace(manifest);
    runspace.SessionStateProxy.SetVariable("key", Secure(SandboxKeys.OtpBlue));
    using var ps = PowerShell.Create();
    ps.Runspace = runspace;
    ps.AddScript($"Get-OtpHistory -Provider OtpBlue -From {window.From} -To {window.To} -First {rows} -ApiKey $key{sink}");
    var watch = Stopwatch.StartNew();
    ps.Invoke();
    var seconds = watch.Elapsed.TotalSeconds;
    if (ps.Streams.Error.Count > 0) throw new InvalidOperationException(ps.Streams.Error[0].ToString());
    var peak = Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0;
    return string.Create(CultureInfo.InvariantCulture, $"seconds={seconds} peakMB={peak} gc0={GC.CollectionCount(0)} gc1={GC.CollectionCount(1)} gc2={GC.CollectionCount(2)} allocMB={GC.GetTotalAllocatedBytes() / 1048576} committedMB={GC.GetGCMemoryInfo().TotalCommittedBytes / 1048576} heapMB={GC.GetGCMemoryInfo().HeapSizeBytes / 1048576} gen1MB={GC.GetGCMemoryInfo().GenerationInfo[1].SizeAfterBytes / 1048576}");
}

// The baseline: page through history with HttpClient and System.Text.Json into typed rows, discarding them.
static async Task<string> ChildHistoryRaw(string baseUri, long rows, (string From, string To) window)
{
    using var http = new HttpClient();
    var watch = Stopwatch.StartNew();
    long read = 0;
    for (var page = 1; read < rows; page++)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get,
            $"{baseUri}/imsg/api/v1/otp/history/requests/?from_date={window.From}&to_date={window.To}&page={page}&per_page=1000");
        request.Headers.TryAddWithoutValidation("Authorization", SandboxKeys.OtpBlue);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var parsed = await JsonSerializer.DeserializeAsync<RawPage>(stream);
        if (parsed?.items == null || parsed.items.Count == 0) break;
        read += parsed.items.Count;
    }
    var peak = Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0;
    return string.Create(CultureInfo.InvariantCulture, $"seconds={watch.Elapsed.TotalSeconds} peakMB={peak} gc0={GC.CollectionCount(0)} gc1={GC.CollectionCount(1)} gc2={GC.CollectionCount(2)} allocMB={GC.GetTotalAllocatedBytes() / 1048576} committedMB={GC.GetGCMemoryInfo().TotalCommittedBytes / 1048576} heapMB={GC.GetGCMemoryInfo().HeapSizeBytes / 1048576} gen1MB={GC.GetGCMemoryInfo().GenerationInfo[1].SizeAfterBytes / 1048576}");
}

static IReadOnlyDictionary<string, string> NoEnvironment() => new Dictionary<string, string>();

static double Median(List<double> values)
{
    var sorted = values.OrderBy(v => v).ToList();
    return sorted[sorted.Count / 2];
}

static void WriteResults(string root, List<(string Name, string OtpTools, string Baseline, double Ratio, string Target, bool Met, string Note)> results, bool quick)
{
    var memKb = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] : "?";
    var cpu = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':')[1].Trim() : null;
    var md = new StringBuilder();
    md.AppendLine("# Benchmark results");
    md.AppendLine();
    md.AppendLine("Reproduce from the repository root (takes a few minutes; `--quick` runs a tenth of each size):");
    md.AppendLine();
    md.AppendLine("```sh");
    md.AppendLine("git worktree add /tmp/otptools-pregate 39ee591 && (cd /tmp/otptools-pregate && dotnet build src/OtpTools -c Release)");
    md.AppendLine("dotnet build OtpTools.sln -c Release && dotnet run -c Release --project bench/OtpTools.Bench -- --baseline /tmp/otptools-pregate/out/OtpTools/OtpTools.psd1");
    md.AppendLine("```");
    md.AppendLine();
    md.AppendLine("The first line builds the code before the rate gate (39ee591), which benchmark 7 runs beside this one in child " +
        "processes; without `--baseline`, benchmark 7 is measured against the ideal instead.");
    md.AppendLine();
    md.AppendLine($"- Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC{(quick ? " (quick run: sizes divided by 10)" : "")}");
    md.AppendLine($"- Machine: {Environment.ProcessorCount} cores{(cpu == null ? "" : $" ({cpu})")}, {long.Parse(memKb) / 1024 / 1024} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
    md.AppendLine($"- Runtime: {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, PowerShell engine {typeof(PowerShell).Assembly.GetName().Version}");
    md.AppendLine("- Every figure is a ratio measured side by side in the same run against the loopback sandbox (in this process; benchmark 5, in real pwsh, starts its own).");
    md.AppendLine();
    md.AppendLine("| Benchmark | OtpTools | Baseline | Ratio | Target | Met |");
    md.AppendLine("|---|---|---|---|---|---|");
    // By benchmark number (they are measured in another order, the slow child processes last).
    results = results.OrderBy(r => int.Parse(new string(r.Name.TakeWhile(char.IsDigit).ToArray()), CultureInfo.InvariantCulture))
        .ThenBy(r => r.Name.Split(' ')[0], StringComparer.Ordinal).ToList();
    foreach (var r in results)
        md.AppendLine($"| {Cell(r.Name)}{(r.Note.Length > 0 ? $" ({Cell(r.Note)})" : "")} | {r.OtpTools} | {r.Baseline} | {r.Ratio:0.00} | {r.Target} | {(r.Met ? "yes" : "**no**")} |");
    var missed = results.Where(r => !r.Met).ToList();
    if (missed.Count > 0)
    {
        md.AppendLine();
        md.AppendLine("## Targets missed, by how much, and what bounds them");
        md.AppendLine();
        foreach (var r in missed) md.AppendLine($"- **{r.Name.Split(' ')[0]}** {r.Ratio:0.00} against {r.Target}. {WhatBounds(r.Name.Split(' ')[0])}");
    }
    File.WriteAllText(Path.Combine(root, "bench", "RESULTS.md"), md.ToString());
}

// A pipeline's "|" inside a table cell would end the cell.
static string Cell(string text) => text.Replace("|", "\\|");

static string WhatBounds(string benchmark) => benchmark switch
{
    "1." => "The raw loop only serializes, posts and parses. Per row, Send-OtpCode also binds the CSV-shaped object by " +
            "property name (with aliases), parses and classifies the number with libphonenumber, checks every documented " +
            "limit, asks ShouldProcess and writes a typed receipt; the -WhatIf figure in the table is that share. The rest " +
            "is the hand-off of each finished call to the PowerShell pipeline thread, which must block between rows, plus " +
            "the retry and per-call timeout plumbing. With -ThrottleLimit above 1 (the default is 4) the hand-off overlaps " +
            "the network wait and the per-row cost is no longer additive. A profile of the module side alone " +
            "(dotnet-trace collect --profile dotnet-sampled-thread-time -- dotnet bench/OtpTools.Bench/bin/Release/net10.0/OtpTools.Bench.dll " +
            "--profile-sends 20000) spends almost all thread time waiting: no method of ours holds more than a few per cent of " +
            "the CPU samples (the largest, lock contention, 1.6 %), so the gap is the sequence of thread hand-offs per row " +
            "(pipeline thread, pool, socket, sandbox, back) on a loaded two-core machine, not work that can be cut; starting " +
            "each send on the pipeline thread instead of the pool measured the same (0.46 ms/send either way, four runs each).",
    "2." => "Wall time includes starting 16 connections and the last, partly filled wave of sends; both weigh less as N grows.",
    "3a." => "From the second page on, the next page is asked for, parsed from its UTF-8 bytes and made terminal-safe on a " +
             "pool thread while this one is written (a page per WriteObject call), as the raw loop parses; per row the cmdlet " +
             "also builds a typed entry and hands it to the PowerShell pipeline. On two cores the in-process sandbox serving " +
             "the pages competes with both sides for the same CPU, so runs vary by ±0.1.",
    "3b." => "The managed heap stays flat (the note: a few MB after each collection, the same committed size at 100,000 and " +
             "1,000,000 rows); at most two pages are held. The growth is the runtime's, not the listing's: a 10,000-row process " +
             "has not yet collected, while a long one commits the whole first-generation budget, which the runtime sizes from " +
             "the CPU's cache (the note gives the allocation per collection here), plus a few threads and compiled methods. The " +
             "raw HttpClient loop, which holds nothing, is measured beside it over the same sizes, and both again with the " +
             "budget fixed (the note). A module cannot choose the GC settings of the session it is loaded into.",
    "5." => "Both arms are timed once the runtime has optimised them (the fastest of three runs; the first runs are in the " +
            "note). Streaming costs the pipeline thread itself more per row than the list does (Export-Csv reads the " +
            "properties of objects just made on the other core, and the runtime collects a million fresh rows), and the " +
            "second core is shared with reading and parsing the next pages and with the sandbox serving them (CPU seconds " +
            "in the note; the sandbox's share is spent on the provider's own machine in real use). Until this round the " +
            "in-memory arm was timed on its first, unoptimised run, which hid most of the difference.",
    "6." => "Every 429 pauses every worker for the whole seconds of its Retry-After (HTTP has no finer unit), and the run " +
            "first has to find the limit: it starts pacing from what got through in the last second and doubles each second " +
            "until the next 429. The note gives the failed rows and the share of 429s.",
    "7." => "Without a limit the rate gate only counts: a lock per request. Without --baseline the figure is against the " +
            "ideal N·L/C, where starting connections and the last partly filled wave weigh more at this short latency.",
    "8." => "Each report is authenticated from its headers before its body is read, parsed as the provider's JSON, made " +
            "terminal-safe, handed to the pipeline thread and written there, and answered 200 only once it was written " +
            "(so that a report answered 200 is never lost); the bare loop answers as soon as it has read the body. The 32 " +
            "senders run in this process on the same two cores, so the figure is bound by CPU: writing a burst without a " +
            "wait per report (TryNext) changed it little, and the bare loop's own figure varies by a quarter between runs. " +
            "Not yet profiled (dotnet-trace on this benchmark is the next step).",
    "9." => "Each row's journal line is flushed to disk before its request leaves, and its outcome after; on a busy 2-core " +
            "machine the flushes compete with the sends for the same cores.",
    "4." => "Both imports go through a manifest. The difference is the format file (five views) and the module's assemblies; " +
            "the engine and its packages load only at the first call, not at import.",
    _ => "",
};

internal sealed class RawPage
{
    public long count { get; set; }
    public List<RawItem>? items { get; set; }
    public long num_pages { get; set; }
}

internal sealed class RawItem
{
    public string? id { get; set; }
    public DateTimeOffset create_date { get; set; }
    public string? region { get; set; }
    public string? contact { get; set; }
    public string? sender { get; set; }
    public string? status { get; set; }
    public string? text { get; set; }
    public string? language { get; set; }
    public int? error_code { get; set; }
}
