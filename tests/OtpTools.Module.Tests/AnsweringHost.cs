using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace OtpTools.Module.Tests
{
    /// <summary>A host whose user answers every -Confirm prompt with the same choice ("Yes" or "No"), as a person would.</summary>
    public sealed class AnsweringHost : PSHost
    {
        private readonly AnsweringUI _ui;

        public AnsweringHost(string answer) => _ui = new AnsweringUI(answer);

        /// <summary>How many times the user was asked.</summary>
        public int Prompts => _ui.Prompts;

        public override PSHostUserInterface UI => _ui;
        public override string Name => "OtpTools.Tests.AnsweringHost";
        public override Version Version => new Version(1, 0);
        public override Guid InstanceId { get; } = Guid.NewGuid();
        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
        public override void SetShouldExit(int exitCode) { }
        public override void EnterNestedPrompt() => throw new NotSupportedException();
        public override void ExitNestedPrompt() => throw new NotSupportedException();
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }

        private sealed class AnsweringUI : PSHostUserInterface
        {
            private readonly string _answer;
            public AnsweringUI(string answer) => _answer = answer;
            public int Prompts { get; private set; }

            public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
            {
                Prompts++;
                for (var i = 0; i < choices.Count; i++)
                    if (choices[i].Label.Replace("&", "").Equals(_answer, StringComparison.OrdinalIgnoreCase)) return i;
                throw new InvalidOperationException("No choice " + _answer);
            }

            public override PSHostRawUserInterface? RawUI => null;
            public override string ReadLine() => throw new NotSupportedException();
            public override SecureString ReadLineAsSecureString() => throw new NotSupportedException();
            public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw new NotSupportedException();
            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();
            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException();
            public override void Write(string value) { }
            public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) { }
            public override void WriteLine(string value) { }
            public override void WriteErrorLine(string value) { }
            public override void WriteDebugLine(string message) { }
            public override void WriteProgress(long sourceId, ProgressRecord record) { }
            public override void WriteVerboseLine(string message) { }
            public override void WriteWarningLine(string message) { }
        }
    }
}
