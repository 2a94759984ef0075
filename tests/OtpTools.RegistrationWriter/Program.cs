using System;
using OtpTools.Engine.Registrations;

// Usage: OtpTools.RegistrationWriter <file> <name prefix> <count>
var store = new RegistrationStore(args[0]);
var count = int.Parse(args[2]);
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
