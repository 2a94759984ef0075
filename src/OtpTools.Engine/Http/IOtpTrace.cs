namespace OtpTools.Engine.Http
{
    /// <summary>
    /// Where the engine reports what it does. Called from any thread; the cmdlet queues and writes on the pipeline
    /// thread. Text reaching it has already passed <see cref="Redaction"/>.
    /// </summary>
    public interface IOtpTrace
    {
        /// <summary>False when nobody reads verbose text: then no trace line is built for it.</summary>
        bool VerboseEnabled { get; }
        /// <summary>False when nobody reads debug text: then bodies are neither read nor redacted for it.</summary>
        bool DebugEnabled { get; }
        void Verbose(string message);
        void Debug(string message);
        /// <summary>Something the user should know although the call goes ahead (written as a warning).</summary>
        void Warning(string message);
    }

    public sealed class NullTrace : IOtpTrace
    {
        public static readonly NullTrace Instance = new NullTrace();
        public bool VerboseEnabled => false;
        public bool DebugEnabled => false;
        public void Verbose(string message) { }
        public void Debug(string message) { }
        public void Warning(string message) { }
    }
}
