using System;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.Loader;

// args: <module manifest> <OTP Blue base URI> <API key> <recipient>
var old = typeof(Microsoft.Extensions.Http.HttpClientFactoryOptions).Assembly;
Console.WriteLine($"default-context Microsoft.Extensions.Http {old.GetName().Version}");

var iss = InitialSessionState.CreateDefault2();
using var runspace = RunspaceFactory.CreateRunspace(iss);
runspace.Open();
using var ps = PowerShell.Create();
ps.Runspace = runspace;
var key = new System.Security.SecureString();
foreach (var c in args[2]) key.AppendChar(c);
ps.AddScript(@"param($module, $baseUri, $key, $to)
    $env:OTPTOOLS_OTPBLUE_BASEURI = $baseUri
    Import-Module $module -ErrorAction Stop
    Send-OtpCode -Provider OtpBlue -To $to -Code 123456 -ApiKey $key")
  .AddParameter("module", args[0]).AddParameter("baseUri", args[1]).AddParameter("key", key).AddParameter("to", args[3]);
var results = ps.Invoke();
foreach (var error in ps.Streams.Error) Console.WriteLine($"error {error.FullyQualifiedErrorId}: {error}");
foreach (var result in results) Console.WriteLine($"result Success={result.Properties["Success"]?.Value} MessageId={result.Properties["MessageId"]?.Value}");

foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies()
             .Where(a => a.GetName().Name is "OtpTools.Engine" or "Microsoft.Extensions.Http" or "OtpTools" or "OtpTools.Models"))
{
    var context = AssemblyLoadContext.GetLoadContext(assembly);
    Console.WriteLine($"loaded {assembly.GetName().Name} {assembly.GetName().Version} in {(context == AssemblyLoadContext.Default ? "Default" : context?.GetType().FullName)}");
}
