using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using OtpTools.Sandbox;
using Xunit;

namespace OtpTools.Module.Tests
{
    /// <summary>
    /// What users do with the output, in the full engine (Microsoft.PowerShell.SDK): Export-Csv / Import-Csv,
    /// ConvertTo-Json, Select-Object -First, Start-Transcript.
    /// </summary>
    [Collection(ModuleCollection.Name)]
    public sealed class PipelineTests
    {
        private readonly ModuleFixture _m;

        public PipelineTests(ModuleFixture fixture)
        {
            _m = fixture;
            _m.Sandbox.OtpBlue.SeedHistory(2600, new DateTime(2025, 11, 1), new DateTime(2025, 11, 30));
            _m.Sandbox.GetOtp.SeedSenders(2600);
        }

        private static Dictionary<string, object?> Keys() => new Dictionary<string, object?>
        {
            ["blue"] = ModuleFixture.Secure(SandboxKeys.OtpBlue),
            ["getotp"] = ModuleFixture.Secure(SandboxKeys.GetOtp),
            ["otpiq"] = ModuleFixture.Secure(SandboxKeys.Otpiq),
            ["engagelab"] = new System.Management.Automation.PSCredential(SandboxKeys.EngageLabDevKey, ModuleFixture.Secure(SandboxKeys.EngageLabDevSecret)),
        };

        /// <summary>One command per output type, as a user would run it; failures included where a type has them.</summary>
        public static IEnumerable<object[]> Producers() => new[]
        {
            new object[] { typeof(OtpSendResult), "'+61412345678', '+13232000150' | Send-OtpCode -Provider OtpBlue -Code 4821 -ApiKey $blue -ErrorAction SilentlyContinue" },
            new object[] { typeof(OtpSendResult), "Send-OtpCode -Provider Otpiq -To '+9647701234567' -Code 4821 -ApiKey $otpiq" },
            new object[] { typeof(OtpSendResult), "Send-OtpCode -Provider EngageLab -To ('+86138001' + (Get-Random -Minimum 10000 -Maximum 99999)) -Code 4821 -TemplateId test-template-1 -Credential $engagelab" },
            new object[] { typeof(OtpHistoryEntry), "Get-OtpHistory -Provider OtpBlue -From 2025-11-01 -To 2025-11-30 -First 50 -ApiKey $blue" },
            new object[] { typeof(OtpRegion), "Get-OtpRegion -Provider OtpBlue -ApiKey $blue" },
            new object[] { typeof(OtpSender), "Get-OtpSender -Provider GetOtp -First 50 -ApiKey $getotp" },
            new object[] { typeof(OtpVerificationResult), "$r = Send-OtpCode -Provider EngageLab -To ('+86138004' + (Get-Random -Minimum 10000 -Maximum 99999)) -TemplateId test-template-1 -Credential $engagelab; $r | Confirm-OtpCode -Code 0000000 -Credential $engagelab" },
            new object[] { typeof(OtpProviderInfo), "Register-OtpProvider -Name Csv -Type Otpiq -BaseUri https://otp.example.com/ -Default; Get-OtpProvider" },
            new object[] { typeof(OtpBalance), "Get-OtpBalance -Provider Otpiq -ApiKey $otpiq" },
            new object[] { typeof(OtpDeliveryReport), "Send-OtpCode -Provider Otpiq -To '+9647701234568' -Code 4821 -ApiKey $otpiq | Get-OtpDeliveryStatus -ApiKey $otpiq" },
        };

        [Theory]
        [MemberData(nameof(Producers))]
        public void Export_Csv_writes_a_readable_column_for_every_property_and_Import_Csv_reads_every_value_back(Type type, string command)
        {
            using var config = new ConfigScope();
            var path = Path.Combine(config.Folder, "out.csv");
            Directory.CreateDirectory(config.Folder);
            var run = _m.Run($@"
                $objects = @({command})
                $objects | Export-Csv -Path $path -NoTypeInformation
                $rows = @(Import-Csv -Path $path)
                $objects
                ,$rows", new Dictionary<string, object?>(Keys()) { ["path"] = path });
            Assert.Null(run.Terminating);
            Assert.DoesNotContain(run.Errors, e => !e.FullyQualifiedErrorId.StartsWith("OtpBlue.NoIMessage"));

            var objects = run.Output.Where(o => o.BaseObject.GetType() == type).ToList();
            var rows = ((object[])run.Output.Last().BaseObject).Cast<System.Management.Automation.PSObject>().ToList();
            Assert.NotEmpty(objects);
            Assert.Equal(objects.Count, rows.Count);
            var properties = type.GetProperties();
            Assert.All(properties, p => Assert.False(p.PropertyType.IsArray, $"{type.Name}.{p.Name} is a list: Export-Csv writes it as a type name"));
            Assert.Equal(properties.Select(p => p.Name).OrderBy(n => n), rows[0].Properties.Select(p => p.Name).OrderBy(n => n));

            for (var i = 0; i < rows.Count; i++)
            {
                foreach (var property in properties)
                {
                    var value = property.GetValue(objects[i].BaseObject);
                    var cell = (string?)rows[i].Properties[property.Name].Value;
                    Assert.DoesNotMatch(@"^System\.[\w.`]+(\[\])?$", cell ?? "");
                    if (value == null) Assert.True(string.IsNullOrEmpty(cell), $"{property.Name} is empty but the CSV says '{cell}'");
                    else Assert.False(string.IsNullOrEmpty(cell), $"{type.Name}.{property.Name} = '{value}' is missing from the CSV");
                    if (value is string text) Assert.Equal(text, cell);
                    // Each date's Utc twin is ISO 8601 text, whatever culture wrote the file.
                    if (property.Name.EndsWith("Utc", StringComparison.Ordinal) && value != null)
                        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", cell);
                    if (value is bool flag) Assert.Equal(flag, bool.Parse(cell!));
                    if (value is int number) Assert.Equal(number, int.Parse(cell!, System.Globalization.CultureInfo.InvariantCulture));
                    if (value is DateTimeOffset date) Assert.True(Math.Abs((DateTimeOffset.Parse(cell!, System.Globalization.CultureInfo.CurrentCulture) - date).TotalSeconds) < 1);
                }
            }
        }

        [Theory]
        [MemberData(nameof(Producers))]
        public void ConvertTo_Json_writes_every_property_as_a_flat_value(Type type, string command)
        {
            using var config = new ConfigScope();
            var run = _m.Run($@"
                $objects = @({command})
                $back = @($objects | ConvertTo-Json -Depth 4 | ConvertFrom-Json)
                [pscustomobject]@{{
                    CountDifference = $back.Count - $objects.Count
                    Nested = @($back | ForEach-Object {{ $_.PSObject.Properties }} | Where-Object {{ $_.Value -is [array] -or $_.Value -is [pscustomobject] }} | ForEach-Object Name | Select-Object -Unique) -join ','
                    Names = @($back[0].PSObject.Properties.Name) -join ','
                }}", Keys());
            Assert.Null(run.Terminating);
            var summary = run.Output.Last();
            Assert.Equal(0, (int)summary.Properties["CountDifference"].Value);
            Assert.Equal("", (string)summary.Properties["Nested"].Value);
            Assert.Equal(type.GetProperties().Select(p => p.Name).OrderBy(n => n), ((string)summary.Properties["Names"].Value).Split(',').OrderBy(n => n));
        }

        [Theory]
        [InlineData("otpblue", "Get-OtpHistory -Provider OtpBlue -From 2025-11-01 -To 2025-11-30 -PageSize 100 -ApiKey $blue | Select-Object -First 5")]
        [InlineData("getotp", "Get-OtpSender -Provider GetOtp -PageSize 100 -ApiKey $getotp | Select-Object -First 5")]
        public void Select_Object_First_stops_the_paging_after_the_first_page(string prefix, string command)
        {
            var before = _m.Sandbox.RequestCount(prefix);
            var run = _m.Run(command, Keys());
            Assert.Null(run.Terminating);
            Assert.Equal(5, run.Output.Count);
            Assert.Equal(1, _m.Sandbox.RequestCount(prefix) - before);   // 2600 rows would be 26 pages
        }

        [Fact]
        public void A_transcript_of_verbose_and_debug_sends_and_reads_holds_no_secret_in_any_form()
        {
            using var config = new ConfigScope();
            var transcript = Path.Combine(config.Folder, "transcript.txt");
            Directory.CreateDirectory(config.Folder);
            var run = _m.Run(@"
                Start-Transcript -Path $transcript -IncludeInvocationHeader | Out-Null
                Send-OtpCode -Provider OtpBlue -To '+61412345678' -Code 4821 -ApiKey $blue -Verbose -Debug
                Send-OtpCode -Provider OtpBlue -To '+61412345678' -Code 4821 -ApiKey $getotp -Verbose -Debug -ErrorAction Continue
                Send-OtpCode -Provider Otpiq -To '+9647701234567' -Code 4821 -ApiKey $otpiq -Verbose -Debug
                Send-OtpCode -Provider EngageLab -To ('+86138001' + (Get-Random -Minimum 10000 -Maximum 99999)) -Code 4821 -TemplateId test-template-1 -Credential $engagelab -Verbose -Debug
                Get-OtpHistory -Provider OtpBlue -From 2025-11-01 -To 2025-11-30 -First 2 -ApiKey $blue -Verbose -Debug
                Get-OtpSender -Provider GetOtp -First 2 -ApiKey $getotp -Verbose -Debug
                Stop-Transcript | Out-Null", new Dictionary<string, object?>(Keys()) { ["transcript"] = transcript });
            Assert.Null(run.Terminating);
            Assert.True(File.Exists(transcript), "Start-Transcript wrote no file");
            var text = File.ReadAllText(transcript);
            Assert.Contains("VERBOSE:", text);
            Assert.Contains("DEBUG:", text);
            Assert.Contains("POST", text);

            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(SandboxKeys.EngageLabDevKey + ":" + SandboxKeys.EngageLabDevSecret));
            foreach (var secret in new[] { SandboxKeys.OtpBlue, SandboxKeys.GetOtp, SandboxKeys.Otpiq, SandboxKeys.EngageLabDevSecret, basic })
            {
                Assert.DoesNotContain(secret, text);
                Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)), text);
            }
        }

        [Fact]
        public void A_receipt_written_in_a_German_session_sorts_and_reads_back_by_its_ISO_date_column()
        {
            using var config = new ConfigScope();
            Directory.CreateDirectory(config.Folder);
            var run = _m.Run(@"
                [System.Threading.Thread]::CurrentThread.CurrentCulture = [cultureinfo]'de-DE'
                $receipt = Send-OtpCode -Provider OtpBlue -To +61412345678 -Code 1 -ApiKey $blue
                $receipt | Export-Csv $path -NoTypeInformation
                [System.Threading.Thread]::CurrentThread.CurrentCulture = [cultureinfo]::InvariantCulture
                $row = Import-Csv $path
                $row.SentAt
                $row.SentAtUtc
                [datetimeoffset]::Parse($row.SentAtUtc, [cultureinfo]::InvariantCulture).ToUnixTimeSeconds() - $receipt.SentAt.ToUnixTimeSeconds()",
                new Dictionary<string, object?>(Keys()) { ["path"] = Path.Combine(config.Folder, "de.csv") });
            Assert.Empty(run.Errors);
            var values = run.Output.Select(o => o.BaseObject).ToList();
            Assert.Matches(@"^\d\d\.\d\d\.\d{4} ", (string)values[0]);      // the culture's own date, which other machines misread
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", (string)values[1]);
            Assert.Equal(0L, Convert.ToInt64(values[2]));
        }

        [Fact]
        public void The_default_tables_show_whole_message_ids_and_base_uris()
        {
            using var config = new ConfigScope();
            var run = _m.Run(@"
                $receipts = @(
                    Send-OtpCode -Provider OtpBlue -To +61412345678 -Code 1 -ApiKey $blue
                    Send-OtpCode -Provider EngageLab -To ('+86138006' + (Get-Random -Minimum 10000 -Maximum 99999)) -TemplateId test-template-1 -Credential $engagelab)
                $receipts | Format-Table | Out-String -Width 200
                Register-OtpProvider -Name Long -Type OtpBlue -BaseUri https://otp-gateway.internal.example.com/otpblue/v1
                Get-OtpProvider | Format-Table | Out-String -Width 200
                $receipts.MessageId", Keys());
            Assert.Null(run.Terminating);
            var strings = run.Output.Select(o => o.BaseObject).OfType<string>().ToList();
            var table = strings[0];
            foreach (var id in strings.Skip(2)) Assert.Contains(id, table);
            Assert.DoesNotContain("\u2026", table);
            Assert.Contains("https://otp-gateway.internal.example.com/otpblue/v1", strings[1]);
        }

        [Fact]
        public void Rows_whose_phone_is_a_number_as_ConvertFrom_Json_gives_it_are_sent_to_that_number_not_to_the_row_as_text()
        {
            var before = _m.Sandbox.OtpBlue.Deliveries.Count;
            var run = _m.Run("'[{\"Phone\": 61412345681, \"Otp\": 4821}, {\"Mobile\": 61412345682, \"Code\": 4822}]' | ConvertFrom-Json | " +
                             "Send-OtpCode -Provider OtpBlue -ApiKey $blue", Keys());
            Assert.Empty(run.Errors);
            var receipts = run.Objects<OtpSendResult>().OrderBy(r => r.Position).ToList();
            Assert.Equal(new[] { "61412345681", "61412345682" }, receipts.Select(r => r.Recipient));
            Assert.Equal(new[] { "+61412345681", "+61412345682" }, receipts.Select(r => r.Destination));
            Assert.Equal(2, _m.Sandbox.OtpBlue.Deliveries.Count - before);
        }

        [Fact]
        public void Receipt_tables_show_the_whole_error_at_80_columns_and_the_whole_message_id_at_200()
        {
            var run = _m.Run(@"
                $receipts = @('+61412345678', 'not-a-number') | Send-OtpCode -Provider OtpBlue -Code 1 -ApiKey $blue -ErrorAction SilentlyContinue
                $receipts | Format-Table | Out-String -Width 80
                $receipts | Format-Table | Out-String -Width 200
                ($receipts | Where-Object Success).MessageId", Keys());
            var strings = run.Output.Select(o => o.BaseObject).OfType<string>().ToList();
            var (narrow, wide, id) = (strings[0], strings[1], strings[2]);
            Assert.Contains("Validation.InvalidPhoneNumber", narrow);
            Assert.Contains("Validation.InvalidPhoneNumber", wide);
            Assert.Contains(id, wide);
            Assert.All(narrow.Split('\n'), line => Assert.True(line.TrimEnd().Length <= 80, line));
        }

        [Fact]
        public void OTPIQ_sender_tables_show_its_prices_and_GetOTP_sender_tables_their_own_columns_at_80()
        {
            var run = _m.Run(@"
                Get-OtpSender -Provider Otpiq -ApiKey $otpiq | Format-Table | Out-String -Width 80
                Get-OtpSender -Provider GetOtp -ApiKey $getotp -First 3 | Format-Table | Out-String -Width 80
                'wide: ' + (Get-OtpSender -Provider Otpiq -ApiKey $otpiq | Format-Table | Out-String -Width 200)
                $csv = Join-Path ([IO.Path]::GetTempPath()) ('senders-' + [guid]::NewGuid() + '.csv')
                Get-OtpSender -Provider Otpiq -ApiKey $otpiq | Export-Csv -Path $csv
                'header: ' + (Get-Content $csv -First 1)
                Remove-Item $csv
                (Get-OtpSender -Provider Otpiq -ApiKey $otpiq)[0] -is [OtpTools.OtpSender]", Keys());
            Assert.Empty(run.Errors);
            var strings = run.Output.Select(o => o.BaseObject).OfType<string>().ToList();
            var (iq, go) = (strings[0], strings[1]);
            Assert.Contains("Korek", iq);
            Assert.Contains("AsiaCell", iq);
            Assert.Contains("200", iq);
            Assert.DoesNotContain("MonthlyCost", iq);
            Assert.Contains("MonthlyCost", go);
            Assert.DoesNotContain("Korek", go);
            var wide = strings.Single(t => t.StartsWith("wide: ", StringComparison.Ordinal));
            Assert.Contains("Korek", wide);
            Assert.Contains("Otpiq", wide);   // the provider column gets what a wide terminal leaves
            Assert.All(iq.Split('\n'), line => Assert.True(line.TrimEnd().Length <= 80, line));
            // The view's type name changes nothing else: the same CSV columns, the same .NET type.
            var header = strings.Single(t => t.StartsWith("header: ", StringComparison.Ordinal));
            Assert.Contains("PriceOthers", header);
            Assert.DoesNotContain("#TYPE", header);
            Assert.Equal(true, run.Output.Last().BaseObject);
        }

        [Fact]
        public void Provider_tables_show_a_routes_members()
        {
            using var config = new ConfigScope();
            var run = _m.Run("Register-OtpProvider -Name Verify -Route OtpBlue, Otpiq; foreach ($w in 80, 200) { Get-OtpProvider | Format-Table | Out-String -Width $w }");
            var tables = run.Output.Select(o => o.BaseObject).OfType<string>().ToList();
            Assert.Equal(2, tables.Count);
            Assert.All(tables, t => Assert.Contains("OtpBlue > Otpiq", t));
        }
    }
}
