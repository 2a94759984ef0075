using System;
using OtpTools.Engine.Registrations;

// Usage: OtpTools.RegistrationWriter <file> <name prefix> <count> <start at, UTC ticks>
var store = new RegistrationStore(args[0]);
var count = int.Parse(args[2]);
// Both writers start together, so their writes overlap.
var start = new DateTime(long.Parse(args[3]), DateTimeKind.Utc);
while (DateTime.UtcNow < start) { }
for (var i = 1; i <= count; i++)
{
    var name = args[1] + i;
    store.Update(all =>
    {
        all.Add(new ProviderRegistration { Name = name, Type = "OtpBlue" });
        return 0;
    });
}
Console.WriteLine($"wrote {count}");
