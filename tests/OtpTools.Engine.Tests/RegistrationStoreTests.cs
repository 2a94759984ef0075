using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using OtpTools.Engine;
using OtpTools.Engine.Providers;
using OtpTools.Engine.Registrations;
using Xunit;

namespace OtpTools.Engine.Tests
{
    public sealed class RegistrationStoreTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "otptools-engine-" + Guid.NewGuid().ToString("N"));
        private string FilePath => Path.Combine(_folder, "providers.json");

        public void Dispose()
        {
            if (Directory.Exists(_folder)) Directory.Delete(_folder, true);
        }

        private static Func<string, string?> Env(params (string Name, string Value)[] values) =>
            name => values.FirstOrDefault(v => v.Name == name).Value;

        private static ProviderRegistration Blue(string name, string? baseUri = null, bool isDefault = false) =>
            new ProviderRegistration { Name = name, Type = "OtpBlue", BaseUri = baseUri, IsDefault = isDefault };

        [Fact]
        public void Config_path_variable_wins_then_the_platform_config_folder()
        {
            Assert.Equal("/tmp/x.json", RegistrationStore.DefaultPath(Env(("OTPTOOLS_CONFIG_PATH", "/tmp/x.json"), ("XDG_CONFIG_HOME", "/xdg"))));
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                Assert.Equal(Path.Combine(@"C:\AppData", "OtpTools", "providers.json"), RegistrationStore.DefaultPath(Env(("APPDATA", @"C:\AppData"))));
            else
            {
                Assert.Equal("/xdg/OtpTools/providers.json", RegistrationStore.DefaultPath(Env(("XDG_CONFIG_HOME", "/xdg"))));
                Assert.Equal("/home/u/.config/OtpTools/providers.json", RegistrationStore.DefaultPath(Env(("HOME", "/home/u"))));
            }
        }

        [Fact]
        public void Fields_a_newer_version_wrote_survive_a_rewrite()
        {
            Directory.CreateDirectory(_folder);
            File.WriteAllText(FilePath, "{\"version\":1,\"comment\":{\"by\":\"ops\"},\"providers\":[" +
                "{\"name\":\"Prod\",\"type\":\"OtpBlue\",\"rateLimit\":50,\"tags\":[\"eu\",\"primary\"]}]}");
            new RegistrationStore(FilePath).Update(all => { all.Add(Blue("Second")); return 0; });
            var text = File.ReadAllText(FilePath);
            Assert.Contains("\"comment\"", text);
            Assert.Contains("\"ops\"", text);
            Assert.Contains("\"rateLimit\": 50", text);
            Assert.Contains("\"primary\"", text);
            Assert.Equal(new[] { "Prod", "Second" }, new RegistrationStore(FilePath).Load().Select(r => r.Name));
        }

        [Fact]
        public void A_file_of_a_newer_format_is_read_but_never_rewritten()
        {
            Directory.CreateDirectory(_folder);
            var original = "{\"version\":2,\"providers\":[{\"name\":\"Prod\",\"type\":\"OtpBlue\"}],\"routes\":{}}";
            File.WriteAllText(FilePath, original);
            var store = new RegistrationStore(FilePath);
            Assert.Equal("Prod", Assert.Single(store.Load()).Name);
            var error = Assert.Throws<OtpException>(() => store.Update(all => { all.Add(Blue("Second")); return 0; }));
            Assert.Equal("Registration.NewerFormat", error.ErrorId);
            Assert.Contains("newer OtpTools", error.Message);
            Assert.Equal(original, File.ReadAllText(FilePath));
        }

        [Fact]
        public void Parallel_updates_from_many_threads_lose_nothing()
        {
            var store = new RegistrationStore(FilePath);
            // Separate store instances, as separate sessions would have.
            Parallel.For(0, 40, new ParallelOptions { MaxDegreeOfParallelism = 8 },
                i => new RegistrationStore(FilePath).Update(all => { all.Add(Blue("P" + i)); return 0; }));
            Assert.Equal(40, store.Load().Count);
            Assert.Equal(new[] { "providers.json", "providers.json.lock" }, Directory.GetFiles(_folder).Select(Path.GetFileName).OrderBy(n => n));
        }

        [Fact]
        public async Task Two_processes_writing_at_once_lose_nothing()
        {
            // Built next to this assembly's configuration folder: tests/<project>/bin/<config>/net10.0/.
            var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var writer = Path.Combine(testBin.Parent!.Parent!.Parent!.Parent!.FullName, "OtpTools.RegistrationWriter", "bin",
                testBin.Parent.Name, "net10.0", "OtpTools.RegistrationWriter.dll");
            Assert.True(File.Exists(writer), writer);
            var startAt = (DateTime.UtcNow + TimeSpan.FromSeconds(3)).Ticks.ToString();
            Task<string> Run(string prefix) => Task.Run(() =>
            {
                var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (var arg in new[] { writer, FilePath, prefix, "150", startAt }) start.ArgumentList.Add(arg);
                using var process = System.Diagnostics.Process.Start(start)!;
                var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
                process.WaitForExit();
                return output;
            });
            var outputs = await Task.WhenAll(Run("A"), Run("B"));
            Assert.All(outputs, o => Assert.Equal("wrote 150", o.Trim()));
            Assert.Equal(300, new RegistrationStore(FilePath).Load().Select(r => r.Name).Distinct().Count());
        }

        [Fact]
        public void A_file_that_is_not_valid_json_is_reported_as_damaged_with_its_path()
        {
            Directory.CreateDirectory(_folder);
            File.WriteAllText(FilePath, "{\n \"providers\": [ nope ] }");
            var error = Assert.Throws<OtpException>(() => new RegistrationStore(FilePath).Load());
            Assert.Equal("Registration.FileDamaged", error.ErrorId);
            Assert.Contains(FilePath, error.Message);
            Assert.Contains("line 2", error.Message);
        }

        [Fact]
        public void An_entry_without_a_type_is_reported_as_damaged()
        {
            Directory.CreateDirectory(_folder);
            File.WriteAllText(FilePath, "{ \"providers\": [ { \"name\": \"Prod\" } ] }");
            Assert.Equal("Registration.FileDamaged", Assert.Throws<OtpException>(() => new RegistrationStore(FilePath).Load()).ErrorId);
        }

        [Fact]
        public void Resolver_prefers_a_registration_then_a_type_name_and_uses_the_default_when_no_name_is_given()
        {
            var store = new RegistrationStore(FilePath);
            store.Update(all => { all.Add(Blue("Prod", "https://prod.example.com/", isDefault: true)); all.Add(Blue("Plain")); return 0; });
            var env = Env(("OTPTOOLS_OTPBLUE_BASEURI", "https://env.example.com/"));

            var prod = ProviderResolver.Resolve("PROD", env, store);
            Assert.Equal(("Prod", "https://prod.example.com/"), (prod.Name, prod.BaseUri.AbsoluteUri));
            Assert.NotNull(prod.Registration);
            Assert.Equal("https://env.example.com/", ProviderResolver.Resolve("Plain", env, store).BaseUri.AbsoluteUri);
            var bare = ProviderResolver.Resolve("otpblue", env, store);
            Assert.Equal(("OtpBlue", "https://env.example.com/"), (bare.Name, bare.BaseUri.AbsoluteUri));
            Assert.Null(bare.Registration);
            Assert.Equal("Prod", ProviderResolver.Resolve(null, env, store).Name);
            Assert.Equal("https://api.otpblue.com/", ProviderResolver.Resolve("Plain", Env(), store).BaseUri.AbsoluteUri);
        }

        [Fact]
        public void Resolver_without_a_default_registration_asks_for_a_provider()
        {
            var store = new RegistrationStore(FilePath);
            store.Update(all => { all.Add(Blue("Prod")); return 0; });
            Assert.Equal("Provider.NotSpecified", Assert.Throws<OtpException>(() => ProviderResolver.Resolve(" ", Env(), store)).ErrorId);
        }

        [Theory]
        [InlineData("Prod")]
        [InlineData("prod-eu_2")]
        [InlineData("OtpBlue")]
        public void Valid_names_pass(string name) => RegistrationStore.ValidateName(name, ProviderCatalog.Find("OtpBlue")!);

        [Theory]
        [InlineData("")]
        [InlineData("2prod")]
        [InlineData("has space")]
        [InlineData("dots.not.allowed")]
        public void Invalid_names_are_rejected(string name) =>
            Assert.Equal("Registration.InvalidName",
                Assert.Throws<OtpException>(() => RegistrationStore.ValidateName(name, ProviderCatalog.Find("OtpBlue")!)).ErrorId);
    }
}
