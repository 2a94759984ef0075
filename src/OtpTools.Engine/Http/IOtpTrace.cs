namespace OtpTools.Engine.Http
{
    /// <summary>
    /// Where the engine reports what it does. Called from any thread; the cmdlet queues and writes on the pipeline
    /// thread. Text reaching it has already passed <see cref="Redaction"/>.
    /// </summary>
    public interface IOtpTrace
    {
        void Verbose(string message);
        void Debug(string message);
    }

    public sealed class NullTrace : IOtpTrace
    {
        public static readonly NullTrace Instance = new NullTrace();
        public void Verbose(string message) { }
        public void Debug(string message) { }
    }
}
