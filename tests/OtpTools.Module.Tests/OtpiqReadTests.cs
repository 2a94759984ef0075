using System;
using System.Collections.Generic;
using System.Linq;
using OtpTools.Sandbox;
using OtpTools.Sandbox.Providers.Otpiq;
using Xunit;

namespace OtpTools.Module.Tests
{
    /// <summary>OTPIQ's reads: a message's status (track), the account's credit (info), its sender IDs.</summary>
    [Collection(ModuleCollection.Name)]
    public sealed class OtpiqReadTests
    {
        private readonly ModuleFixture _m;
        public OtpiqReadTests(ModuleFixture fixture) => _m = fixture;

        private static Dictionary<string, object?> Key() => new Dictionary<string, object?> { ["key"] = ModuleFixture.Secure(SandboxKeys.Otpiq) };

        [Fact]
        public void Receipts_pipe_into_Get_OtpDeliveryStatus_and_an_unknown_id_is_its_own_not_found_error()
        {
            var run = _m.Run(@"
$receipts = '9647501234581', '9647501234582' | Send-OtpCode -Provider Otpiq -ApiKey $key -Code 5151
$receipts
@($receipts[0]; [pscustomobject]@{ MessageId = 'sms-unknown-id'; Provider = 'Otpiq' }; $receipts[1]) | Get-OtpDeliveryStatus -ApiKey $key", Key());
            var receipts = run.Objects<OtpSendResult>().ToList();
            Assert.All(receipts, r => Assert.True(r.Success, r.ErrorMessage));
            var statuses = run.Objects<OtpDeliveryReport>().ToList();
            Assert.Equal(receipts.Select(r => r.MessageId), statuses.Select(s => s.MessageId));
            Assert.All(statuses, s =>
            {
                Assert.Equal("delivered", s.Status);
                Assert.True(s.IsFinal);
                Assert.Equal(200m, s.Cost);
                Assert.Equal("IQD", s.Currency);
                Assert.StartsWith("+96475012345", s.Recipient);   // E.164, though OTPIQ answers digits alone
            });
            var error = Assert.Single(run.Errors);
            Assert.StartsWith("Otpiq.NotFound,", error.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Equal("sms-unknown-id", error.TargetObject);
        }

        [Fact]
        public void Status_lookups_of_a_failover_runs_receipts_skip_the_other_providers_rows_and_go_on()
        {
            // The README's pipeline after a route run: OTP Blue's rows cannot be looked up at OTPIQ, and must not end it.
            var run = _m.Run(@"
$receipts = '9647501234583', '9647501234584' | Send-OtpCode -Provider Otpiq -ApiKey $key -Code 5252
$receipts
@([pscustomobject]@{ MessageId = 'blue-1'; Provider = 'OtpBlue' }; $receipts[0]; [pscustomobject]@{ MessageId = 'blue-2'; Provider = 'OtpBlue' }; $receipts[1]) |
    Get-OtpDeliveryStatus -ApiKey $key -Verbose", Key());
            Assert.Null(run.Terminating);
            Assert.Empty(run.Errors);
            var receipts = run.Objects<OtpSendResult>().ToList();
            Assert.Equal(2, receipts.Count);
            Assert.Equal(receipts.Select(r => r.MessageId), run.Objects<OtpDeliveryReport>().Select(s => s.MessageId));
            Assert.Equal(2, run.Verbose.Count(v => v.StartsWith("Skipped blue-", StringComparison.Ordinal) && v.Contains("available for Otpiq")));
        }

        [Fact]
        public void Confirm_OtpCode_with_receipts_of_providers_that_cannot_check_codes_skips_them_and_goes_on()
        {
            var run = _m.Run(@"
@([pscustomobject]@{ MessageId = 'iq-1'; Provider = 'Otpiq' }; [pscustomobject]@{ MessageId = 'unknown-at-engagelab'; Provider = 'EngageLab' }) |
    Confirm-OtpCode -Code 123456 -Credential $cred -Verbose", new Dictionary<string, object?>
            {
                ["cred"] = new System.Management.Automation.PSCredential(SandboxKeys.EngageLabDevKey, ModuleFixture.Secure(SandboxKeys.EngageLabDevSecret)),
            });
            Assert.Null(run.Terminating);
            Assert.Contains(run.Verbose, v => v.StartsWith("Skipped iq-1", StringComparison.Ordinal));
            // The EngageLab row was asked about: its own answer (an unknown message), not the pipeline's end.
            var error = Assert.Single(run.Errors);
            Assert.StartsWith("EngageLab.", error.FullyQualifiedErrorId);
        }

        [Fact]
        public void A_registration_piped_from_Get_OtpProvider_binds_to_the_read_cmdlets()
        {
            using var config = new ConfigScope();
            var run = _m.Run(@"
Register-OtpProvider -Name IQ -Type Otpiq
Get-OtpProvider -Name IQ | Get-OtpBalance -ApiKey $key
Get-OtpProvider -Name IQ | Get-OtpSender -ApiKey $key -Status accepted", Key());
            Assert.Null(run.Terminating);
            Assert.Empty(run.Errors);
            Assert.Equal("IQ", Assert.Single(run.Objects<OtpBalance>()).Provider);
            Assert.All(run.Objects<OtpSender>(), s => Assert.Equal("IQ", s.Provider));
            Assert.NotEmpty(run.Objects<OtpSender>());
        }

        [Fact]
        public void Get_OtpBalance_reads_the_project_and_its_credit_in_IQD_and_a_wrong_key_is_an_authentication_error()
        {
            var run = _m.Run("Get-OtpBalance -Provider Otpiq -ApiKey $key", Key());
            var balance = Assert.Single(run.Objects<OtpBalance>());
            Assert.Equal("OtpTools sandbox", balance.ProjectName);
            Assert.Equal(_m.Sandbox.Otpiq.Credit, balance.Credit);
            Assert.Equal("IQD", balance.Currency);

            var wrong = _m.RunTerminating("Get-OtpBalance -Provider Otpiq -ApiKey (ConvertTo-SecureString 'wrong-key-1234' -AsPlainText -Force)");
            Assert.StartsWith("Otpiq.Unauthorized,", wrong.FullyQualifiedErrorId);
            Assert.DoesNotContain("wrong-key-1234", wrong.ToString());
            // The advice names this provider's own variable and where the refused key came from, not a placeholder.
            Assert.Contains("OTPTOOLS_OTPIQ_APIKEY", wrong.ErrorDetails.RecommendedAction);
            Assert.Contains("-ApiKey", wrong.ErrorDetails.RecommendedAction);
            Assert.DoesNotContain("<PROVIDER>", wrong.ErrorDetails.RecommendedAction);
        }

        [Fact]
        public void A_default_route_asked_for_a_balance_names_the_member_that_can_answer()
        {
            using var config = new ConfigScope();
            var error = _m.RunTerminating("Register-OtpProvider -Name Verify -Route OtpBlue, Otpiq -Default; Get-OtpBalance");
            Assert.StartsWith("Provider.IsRoute,", error.FullyQualifiedErrorId);
            Assert.Contains("(-Provider Otpiq)", error.ToString());
            Assert.DoesNotContain("-Provider OtpBlue", error.ToString());
        }

        [Fact]
        public void Get_OtpSender_lists_OTPIQ_sender_ids_with_flat_prices_that_survive_a_CSV_round_trip()
        {
            var run = _m.Run(@"
$all = Get-OtpSender -Provider Otpiq -ApiKey $key
$all
'---'
$path = Join-Path ([IO.Path]::GetTempPath()) ('otpiq-senders-' + [guid]::NewGuid() + '.csv')
$all | Export-Csv $path -NoTypeInformation
Import-Csv $path
Remove-Item $path
'---'
Get-OtpSender -Provider Otpiq -ApiKey $key -Status accepted", Key());
            Assert.Empty(run.Errors);
            var senders = run.Objects<OtpSender>().ToList();
            var expected = OtpiqSandbox.SenderIds;
            Assert.Equal(expected.Count + 1, senders.Count);
            var listed = senders.Take(expected.Count).ToList();
            Assert.Equal(expected.Select(s => s.SenderId), listed.Select(s => s.Code));
            Assert.Equal(expected.Select(s => s.Status), listed.Select(s => s.Status));
            Assert.Equal(expected.Select(s => s.Korek), listed.Select(s => s.PriceKorekTelecom!.Value));
            Assert.Equal(expected.Select(s => s.Others), listed.Select(s => s.PriceOthers!.Value));
            Assert.Equal("accepted", senders.Last().Status);

            var markers = run.Output.Select((o, i) => (o, i)).Where(x => "---".Equals(x.o.BaseObject)).Select(x => x.i).ToList();
            var rows = run.Output.Skip(markers[0] + 1).Take(markers[1] - markers[0] - 1).ToList();
            Assert.Equal(expected.Count, rows.Count);
            for (var i = 0; i < rows.Count; i++)
            {
                Assert.Equal(listed[i].Code, rows[i].Properties["Code"].Value);
                Assert.Equal(listed[i].PriceAsiaCell!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), rows[i].Properties["PriceAsiaCell"].Value);
                Assert.Equal(listed[i].PriceZainIraq!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), rows[i].Properties["PriceZainIraq"].Value);
            }
        }

        [Fact]
        public void Read_cmdlets_refuse_providers_without_the_api_and_a_bad_status_before_any_call()
        {
            var before = _m.Sandbox.RequestCount("otpiq");
            var error = _m.RunTerminating("Get-OtpBalance -Provider OtpBlue -ApiKey $key", Key());
            Assert.StartsWith("Provider.NotSupportedByCmdlet,", error.FullyQualifiedErrorId);
            Assert.Contains("Otpiq", error.ToString());
            var status = _m.RunTerminating("Get-OtpSender -Provider Otpiq -ApiKey $key -Status Available", Key());
            Assert.StartsWith("Validation.InvalidStatus,", status.FullyQualifiedErrorId);
            Assert.Contains("accepted", status.ToString());
            Assert.Equal(before, _m.Sandbox.RequestCount("otpiq"));
        }

        [Theory]
        [InlineData(FaultKind.EscapeSequences)]
        [InlineData(FaultKind.EchoCredential)]
        [InlineData(FaultKind.MalformedJson)]
        [InlineData(FaultKind.EndlessBody)]
        public void The_reads_treat_a_hostile_answer_like_every_other_call(FaultKind fault)
        {
            _m.Sandbox.Faults.Inject("otpiq", fault, times: 8);
            try
            {
                var run = _m.Run(@"
Get-OtpBalance -Provider Otpiq -ApiKey $key -MaxRetry 0
Get-OtpDeliveryStatus -Provider Otpiq -MessageId sms-anything -ApiKey $key -MaxRetry 0", Key());
                var text = run.AllText() + string.Join("\n", run.Errors.Select(e => e.ToString() + e.Exception));
                Assert.DoesNotContain(SandboxKeys.Otpiq, text);
                Assert.True(text.IndexOf('\u001b') < 0, "an escape character reached the output");
                // Every call ends in one clear error or a clean object: never an exception that leaks a stack trace.
                Assert.Equal(2, run.Errors.Count + run.Objects<OtpBalance>().Count() + run.Objects<OtpDeliveryReport>().Count());
                Assert.All(run.Errors, e => Assert.DoesNotContain("   at ", e.ToString()));
            }
            finally
            {
                _m.Sandbox.Faults.Clear();
            }
        }

        [Fact]
        public void Balance_and_status_survive_a_CSV_round_trip()
        {
            var run = _m.Run(@"
$receipt = Send-OtpCode -Provider Otpiq -ApiKey $key -To 9647501234591 -Code 7070
$path = Join-Path ([IO.Path]::GetTempPath()) ('otpiq-' + [guid]::NewGuid() + '.csv')
$receipt | Get-OtpDeliveryStatus -ApiKey $key | Export-Csv $path -NoTypeInformation
$status = Import-Csv $path
Get-OtpBalance -Provider Otpiq -ApiKey $key | Export-Csv $path -NoTypeInformation
$balance = Import-Csv $path
Remove-Item $path
'{0}|{1}|{2}|{3}' -f $status.MessageId, $status.Status, $status.IsFinal, ($status.MessageId -eq $receipt.MessageId)
'{0}|{1}|{2}' -f $balance.ProjectName, $balance.Currency, ([decimal]::Parse($balance.Credit, [cultureinfo]::InvariantCulture) -gt 0)", Key());
            Assert.Empty(run.Errors);
            var lines = run.Output.Select(o => o.BaseObject as string).Where(l => l != null).ToList();
            Assert.Matches(@"^sms-[0-9a-f]+\|delivered\|True\|True$", lines[0]);
            Assert.Equal("OtpTools sandbox|IQD|True", lines[1]);
        }
    }
}
