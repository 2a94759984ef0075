using System;
using System.Collections;
using System.Collections.Generic;

namespace OtpTools.Engine.Providers
{
    /// <summary>
    /// One Send-OtpCode parameter a provider takes, declared in the provider's folder: the cmdlet makes a parameter of
    /// it, validation, redaction and tab completion read it, and the error for a parameter a provider does not take
    /// lists it. No shared file changes when a provider gains an option.
    /// </summary>
    public sealed class SendOption
    {
        public SendOption(string name, string help, Type? valueType = null, bool secret = false, IReadOnlyList<string>? values = null,
            bool fromPipelineByPropertyName = false, bool declaredByCmdlet = false, params string[] aliases)
        {
            Name = name;
            Help = help;
            ValueType = valueType ?? typeof(string);
            IsSecret = secret;
            Values = values;
            FromPipelineByPropertyName = fromPipelineByPropertyName;
            DeclaredByCmdlet = declaredByCmdlet;
            Aliases = aliases;
        }

        /// <summary>The parameter name (-Channel), also the key of <see cref="OtpSendRequest.Options"/>.</summary>
        public string Name { get; }
        public string Help { get; }
        /// <summary>string, or IDictionary for a set of named values (EngageLab's template parameters).</summary>
        public Type ValueType { get; }
        /// <summary>
        /// Never echoed: an error names it without its value. Its parameter is a SecureString, like every secret the
        /// module takes (a webhook secret, an Authorization value), and stays one until the request body is written.
        /// </summary>
        public bool IsSecret { get; }
        /// <summary>The documented values, offered by tab completion; null for free text.</summary>
        public IReadOnlyList<string>? Values { get; }
        /// <summary>Binds from a CSV column of the same name.</summary>
        public bool FromPipelineByPropertyName { get; }
        /// <summary>
        /// A parameter Send-OtpCode has for every provider (-Sender, -Language): listed so the provider says it takes it
        /// (and completes its values), not made again.
        /// </summary>
        public bool DeclaredByCmdlet { get; }
        public IReadOnlyList<string> Aliases { get; }

        public bool IsTable => typeof(IDictionary).IsAssignableFrom(ValueType);

        /// <summary>-Sender and -Language as a provider takes them (its own completion values, if any).</summary>
        public static SendOption Sender(string help) => new SendOption("Sender", help, declaredByCmdlet: true);
        public static SendOption Language(string help, IReadOnlyList<string>? values) => new SendOption("Language", help, values: values, declaredByCmdlet: true);
    }
}
