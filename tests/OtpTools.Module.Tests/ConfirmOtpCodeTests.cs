using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OtpTools.Sandbox;
using Xunit;

namespace OtpTools.Module.Tests
{
    /// <summary>EngageLab's generated codes: sent without -Code, checked with Confirm-OtpCode (POST /v1/verifications).</summary>
    [Collection(ModuleCollection.Name)]
    public sealed class ConfirmOtpCodeTests
    {
        private readonly ModuleFixture _m;
        public ConfirmOtpCodeTests(ModuleFixture fixture) => _m = fixture;

        private static Dictionary<string, object?> Vars(string? code = null) => new Dictionary<string, object?>
        {
            ["cred"] = new PSCredential(SandboxKeys.EngageLabDevKey, ModuleFixture.Secure(SandboxKeys.EngageLabDevSecret)),
            ["code"] = code,
        };

        private (OtpSendResult Receipt, string Generated) SendWithoutCode()
        {
            var run = _m.Run("Send-OtpCode -Provider EngageLab -To ('+86138002' + (Get-Random -Minimum 10000 -Maximum 99999)) -TemplateId test-template-1 -Credential $cred", Vars());
            var receipt = Assert.Single(run.Objects<OtpSendResult>());
            Assert.True(receipt.Success, receipt.ErrorMessage);
            var delivery = _m.Sandbox.EngageLab.Deliveries.Single(d => d.MessageId == receipt.MessageId);
            Assert.True(delivery.Generated);
            return (receipt, delivery.Code);
        }

        [Fact]
        public void The_generated_code_verifies_true_once_piped_from_the_receipt_and_never_again()
        {
            var (receipt, generated) = SendWithoutCode();
            var run = _m.Run("$receipt | Confirm-OtpCode -Code $code -Credential $cred\n$receipt | Confirm-OtpCode -Code $code -Credential $cred",
                new Dictionary<string, object?>(Vars(generated)) { ["receipt"] = receipt });
            var first = Assert.Single(run.Objects<OtpVerificationResult>());
            Assert.True(first.Verified);
            Assert.Equal(receipt.MessageId, first.MessageId);
            Assert.Equal("EngageLab", first.Provider);
            // The second check of the same code is the provider's error, never a second Verified = True.
            var error = Assert.Single(run.Errors);
            Assert.StartsWith("EngageLab.ValidationFailed,", error.FullyQualifiedErrorId);
            Assert.Contains("already verified", error.Exception.Message);
        }

        [Fact]
        public void The_README_way_reads_the_generated_code_from_the_sandbox_and_it_verifies()
        {
            // What the README tells a user trying Confirm-OtpCode against the sandbox, word for word but the variables.
            var run = _m.Run(@"
$receipt = Send-OtpCode -Provider EngageLab -To ('+86138003' + (Get-Random -Minimum 10000 -Maximum 99999)) -TemplateId test-template-1 -Credential $cred
$typed = Invoke-RestMethod ""$env:OTPTOOLS_ENGAGELAB_BASEURI/_sandbox/codes/$($receipt.MessageId)""
$receipt | Confirm-OtpCode -Code $typed -Credential $cred", Vars());
            Assert.Empty(run.Errors);
            Assert.True(Assert.Single(run.Objects<OtpVerificationResult>()).Verified);
        }

        [Fact]
        public void A_wrong_code_is_verified_false_with_the_reason()
        {
            var (receipt, generated) = SendWithoutCode();
            var wrong = generated == "000000" ? "111111" : "000000";
            var run = _m.Run("Confirm-OtpCode -Provider EngageLab -MessageId $id -Code $code -Credential $cred",
                new Dictionary<string, object?>(Vars(wrong)) { ["id"] = receipt.MessageId });
            var result = Assert.Single(run.Objects<OtpVerificationResult>());
            Assert.False(result.Verified);
            Assert.Contains("does not match", result.Reason);
            Assert.Empty(run.Errors);
        }

        [Fact]
        public void A_send_with_the_callers_code_goes_to_v1_codes_and_a_send_without_to_v1_messages()
        {
            var before = _m.Sandbox.EngageLab.Deliveries.Count;
            _m.Run("Send-OtpCode -Provider EngageLab -To ('+86138003' + (Get-Random -Minimum 10000 -Maximum 99999)) -TemplateId test-template-1 -Code 482913 -Credential $cred -Verbose", Vars());
            var delivered = _m.Sandbox.EngageLab.Deliveries.Skip(before).Single();
            Assert.Equal("482913", delivered.Code);
            Assert.False(delivered.Generated);
            Assert.DoesNotContain("code", delivered.Params.Keys);
        }

        [Fact]
        public void Only_providers_that_verify_codes_are_accepted()
        {
            var error = _m.RunTerminating("Confirm-OtpCode -Provider OtpBlue -MessageId x -Code 1 -ApiKey $key", ModuleFixture.OtpBlueKey());
            Assert.StartsWith("Provider.NotSupportedByCmdlet,", error.FullyQualifiedErrorId);
            Assert.Contains("EngageLab", error.Exception.Message);
        }
    }
}
