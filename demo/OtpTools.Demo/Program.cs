using System;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;
using OtpTools.Demo;
using OtpTools.Sandbox;

var root = new DirectoryInfo(AppContext.BaseDirectory);
while (root != null && !File.Exists(Path.Combine(root.FullName, "OtpTools.sln"))) root = root.Parent;
if (root == null) throw new InvalidOperationException("Run from inside the OtpTools repository.");
var manifest = Path.Combine(root.FullName, "out", "OtpTools", "OtpTools.psd1");

await using var sandbox = await SandboxServer.StartAsync();
Console.WriteLine($"Sandbox on {sandbox.BaseUri}; importing {manifest}");

var key = new SecureString();
foreach (var c in SandboxKeys.OtpBlue) key.AppendChar(c);

var state = InitialSessionState.CreateDefault2();
state.ImportPSModule(new[] { manifest });
using var runspace = RunspaceFactory.CreateRunspace(new ConsoleHost(), state);
runspace.Open();
using var ps = PowerShell.Create();
ps.Runspace = runspace;
ps.AddCommand(Path.Combine(root.FullName, "demo", "demo.ps1"))
    .AddParameter("SandboxUri", sandbox.BaseUri.ToString())
    .AddParameter("OtpBlueKey", key)
    .AddCommand("Out-Default");
ps.Invoke();
foreach (var error in ps.Streams.Error) Console.Error.WriteLine($"demo error: {error}");
return ps.HadErrors && ps.Streams.Error.Count > 0 ? 1 : 0;
