using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using OtpTools.Engine.Providers;

namespace OtpTools.Engine.Sending
{
    /// <summary>One line of a send journal (JSON Lines). Holds what a receipt holds: never a secret, never a code.</summary>
    public sealed class JournalEntry
    {
        /// <summary>"run" (a run began or resumed), "sending" (written before the request leaves) or "result".</summary>
        [JsonPropertyName("phase")] public string Phase { get; set; } = "";
        [JsonPropertyName("at")] public DateTimeOffset At { get; set; }
        [JsonPropertyName("position")] public int Position { get; set; }
        [JsonPropertyName("recipient")] public string? Recipient { get; set; }
        [JsonPropertyName("provider")] public string? Provider { get; set; }
        [JsonPropertyName("receipt")] public OtpSendResult? Receipt { get; set; }
        /// <summary>On a "run" line: the journal format, so a reader can tell a journal from any other JSON Lines file.</summary>
        [JsonPropertyName("format")] public string? Format { get; set; }
    }

    [JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonSerializable(typeof(JournalEntry))]
    internal sealed partial class JournalJsonContext : JsonSerializerContext
    {
    }

    /// <summary>
    /// What a journal says about one row: its last state, except that once any line records the row as possibly sent
    /// (sent, delivered, unknown, or a request that left without an answer) that record stands, whatever follows.
    /// </summary>
    public sealed class JournalRow
    {
        public JournalRow(int position, string? recipient, OtpSendResult? receipt)
        {
            Position = position;
            Recipient = recipient;
            Receipt = receipt;
        }

        public int Position { get; }
        public string? Recipient { get; }
        /// <summary>The row's last receipt; null when its request left and no answer was written (still in flight).</summary>
        public OtpSendResult? Receipt { get; }

        /// <summary>True when the row's request may have reached the provider: it must not be sent again.</summary>
        public bool MayHaveLeft => Receipt == null || Receipt.Success || Receipt.Status == SendStatus.Unknown;

        /// <summary>The receipt this row stands for: its own, or "unknown" when the run ended with it in flight.</summary>
        public OtpSendResult ToReceipt() => Receipt ?? new OtpSendResult
        {
            Position = Position,
            Recipient = Recipient,
            Status = SendStatus.Unknown,
            ErrorId = "Journal.InFlightWhenStopped",
            ErrorMessage = "The run ended after this row's request left and before its answer arrived: the code may have been delivered. It is not sent again by -Resume.",
        };
    }

    /// <summary>
    /// The durable record of a bulk send (<c>-JournalPath</c>): an entry before each request leaves and one with its
    /// outcome, each flushed to disk before the next step, so a Ctrl+C, a killed process or a power cut leaves a file
    /// that says, for every row, whether its request may have left. One writer at a time (an exclusive lock).
    /// </summary>
    public sealed class SendJournal : IDisposable
    {
        public const string Format = "OtpTools.SendJournal/1";
        private readonly FileStream _stream;
        private readonly FileStream _lock;
        private readonly object _gate = new object();
        private readonly string _path;

        private SendJournal(string path, FileStream stream, FileStream writerLock, IReadOnlyDictionary<int, JournalRow> earlier)
        {
            _path = path;
            _stream = stream;
            _lock = writerLock;
            Earlier = earlier;
        }

        /// <summary>The rows an earlier run recorded (empty for a new journal).</summary>
        public IReadOnlyDictionary<int, JournalRow> Earlier { get; }

        /// <summary>Starts a new journal; an existing non-empty file is an error (no accidental reuse: use -Resume).</summary>
        public static SendJournal Create(string path, string provider) => Open(path, provider, resume: false);

        /// <summary>Continues a journal: what it recorded becomes <see cref="Earlier"/>.</summary>
        public static SendJournal Resume(string path, string provider) => Open(path, provider, resume: true);

        private static SendJournal Open(string path, string provider, bool resume)
        {
            if (resume && !File.Exists(path))
                throw new OtpException("Journal.NotFound", OtpErrorCategory.ObjectNotFound,
                    $"Nothing was sent: -Resume continues the run recorded in '{path}', and there is no such file. " +
                    "Drop -Resume to start a new run with this journal, or give the path of the run to continue.")
                { TargetValue = path, ParameterName = "JournalPath", RecommendedAction = "Check -JournalPath, or drop -Resume to start a new run." };
            FileStream stream, writerLock;
            try
            {
                var folder = Path.GetDirectoryName(Path.GetFullPath(path));
                if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
                // One writer: an exclusive lock on "<journal>.lock" (flock on Unix, a sharing lock on Windows; the OS
                // releases it when a killed process dies). The journal itself stays readable (Import-OtpJournal) meanwhile.
                writerLock = new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
                try
                {
                    stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 4096);
                }
                catch
                {
                    writerLock.Dispose();
                    throw;
                }
            }
            catch (IOException e) when (File.Exists(path))
            {
                throw new OtpException("Journal.InUse", OtpErrorCategory.ResourceBusy,
                    $"The journal '{path}' is open in another run: two runs must not write one journal.", e)
                { TargetValue = path, ParameterName = "JournalPath", RecommendedAction = "Wait for the other run to end, or give this run a journal of its own." };
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is NotSupportedException || e is ArgumentException)
            {
                throw new OtpException("Journal.CannotWrite", OtpErrorCategory.WriteError,
                    $"The journal '{path}' cannot be written: {e.Message}", e) { TargetValue = path, ParameterName = "JournalPath" };
            }

            try
            {
                IReadOnlyDictionary<int, JournalRow> earlier = new Dictionary<int, JournalRow>();
                if (stream.Length > 0)
                {
                    if (!resume)
                        throw new OtpException("Journal.AlreadyExists", OtpErrorCategory.ResourceExists,
                            $"The journal '{path}' already exists: nothing was sent. Add -Resume to continue that run (rows whose code may have been delivered are not sent again), or give a new -JournalPath.")
                        { TargetValue = path, ParameterName = "JournalPath" };
                    earlier = ReadRows(stream, path, _ => { });
                }
                stream.Seek(0, SeekOrigin.End);
                var journal = new SendJournal(path, stream, writerLock, earlier);
                journal.Write(new JournalEntry { Phase = "run", At = DateTimeOffset.UtcNow, Provider = provider, Format = Format });
                return journal;
            }
            catch
            {
                stream.Dispose();
                writerLock.Dispose();
                throw;
            }
        }

        /// <summary>
        /// Written before the row's request leaves, and on the disk (not only in the OS cache) before this returns: from
        /// here on the row may have reached the provider, and a power cut cannot make the journal forget it.
        /// </summary>
        public void Sending(PreparedSend prepared, string provider) =>
            Write(new JournalEntry { Phase = "sending", At = DateTimeOffset.UtcNow, Position = prepared.Request.Position, Recipient = prepared.Request.To, Provider = provider }, toDisk: true);

        /// <summary>
        /// Written with the row's outcome (including rows that never left: invalid, declined, not sent). It reaches the
        /// OS at once, so a killed process keeps it; the next "sending" entry's flush takes it to the disk. A power cut
        /// before that can only lose an outcome, which leaves the row "in flight", so unknown and never resent.
        /// </summary>
        public void Result(OtpSendResult receipt) =>
            Write(new JournalEntry { Phase = "result", At = DateTimeOffset.UtcNow, Position = receipt.Position, Recipient = receipt.Recipient, Provider = receipt.Provider, Receipt = receipt }, toDisk: false);

        private void Write(JournalEntry entry, bool toDisk = true)
        {
            var line = JsonSerializer.SerializeToUtf8Bytes(entry, JournalJsonContext.Default.JournalEntry);
            lock (_gate)
            {
                try
                {
                    _stream.Write(line, 0, line.Length);
                    _stream.WriteByte((byte)'\n');
                    _stream.Flush(toDisk);
                }
                catch (Exception e) when (e is IOException || e is ObjectDisposedException)
                {
                    throw new OtpException("Journal.CannotWrite", OtpErrorCategory.WriteError,
                        $"The journal '{_path}' cannot be written: {e.Message}. Nothing more is sent without a journal entry.", e)
                    { TargetValue = _path };
                }
            }
        }

        /// <summary>The longest line a journal may hold: a receipt is a few KiB; anything longer is not a journal.</summary>
        public const int MaxLineBytes = 256 * 1024;

        /// <summary>Reads a journal (also one still being written): each row's state, by position.</summary>
        public static IReadOnlyDictionary<int, JournalRow> Read(string path, Action<string> warn)
        {
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                return ReadRows(stream, path, warn);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new OtpException(File.Exists(path) ? "Journal.CannotRead" : "Journal.NotFound",
                    File.Exists(path) ? OtpErrorCategory.ReadError : OtpErrorCategory.ObjectNotFound,
                    $"The journal '{path}' cannot be read: {e.Message}", e) { TargetValue = path, ParameterName = "Path" };
            }
        }

        private static IReadOnlyDictionary<int, JournalRow> ReadRows(Stream stream, string path, Action<string> warn)
        {
            var rows = new SortedDictionary<int, JournalRow>();
            // Rows recorded as possibly sent: no later line (another run over the same list) can make them safe to send.
            var settled = new HashSet<int>();
            // Requests that left in the current run and have no answer yet; a new run line means they never got one.
            var inFlight = new HashSet<int>();
            var number = 0;
            var first = true;
            var lines = new JournalLineReader(stream, MaxLineBytes);
            for (byte[]? line; (line = lines.Next()) != null;)
            {
                number++;
                if (line.Length == 0) continue;
                JournalEntry? entry;
                try
                {
                    entry = JsonSerializer.Deserialize(line, JournalJsonContext.Default.JournalEntry);
                }
                catch (JsonException)
                {
                    entry = null;
                }
                // Checked from the first line: any other file is refused at once, not warned about line by line.
                if (first && !(entry?.Phase == "run" && entry.Format == Format)) throw NotAJournal(path);
                first = false;
                if (entry == null)
                {
                    // A line cut short by a crash or power cut: the entries before it still stand.
                    warn($"Line {number} of the journal '{path}' is not a complete entry and was skipped (a run that ended mid-write leaves one).");
                    continue;
                }
                switch (entry.Phase)
                {
                    case "run":
                        settled.UnionWith(inFlight);
                        inFlight.Clear();
                        break;
                    case "sending" when !settled.Contains(entry.Position):
                        rows[entry.Position] = new JournalRow(entry.Position, entry.Recipient, null);
                        inFlight.Add(entry.Position);
                        break;
                    case "result" when entry.Receipt != null && !settled.Contains(entry.Position):
                        entry.Receipt.Resumed = false;
                        var row = new JournalRow(entry.Position, entry.Recipient, entry.Receipt);
                        rows[entry.Position] = row;
                        inFlight.Remove(entry.Position);
                        if (row.MayHaveLeft) settled.Add(entry.Position);
                        break;
                }
            }
            if (lines.TooLong)
                throw new OtpException("Journal.LineTooLong", OtpErrorCategory.InvalidData,
                    $"Line {number + 1} of '{path}' is longer than {MaxLineBytes / 1024} KiB: it is not an OtpTools send journal line, and reading stopped there. " +
                    "Nothing was sent.")
                { TargetValue = path, ParameterName = "Path" };
            return rows;
        }

        private static OtpException NotAJournal(string path) =>
            new OtpException("Journal.NotAJournal", OtpErrorCategory.InvalidData,
                $"'{path}' is not an OtpTools send journal: its first line is not a '{Format}' run line.") { TargetValue = path, ParameterName = "Path" };

        /// <summary>Lines of UTF-8 bytes, none longer than a bound: an endless line (/dev/zero) stops the reading, not the memory.</summary>
        private sealed class JournalLineReader
        {
            private readonly Stream _stream;
            private readonly int _max;
            private readonly byte[] _buffer = new byte[64 * 1024];
            private readonly MemoryStream _line = new MemoryStream();
            private int _start;
            private int _end;

            public JournalLineReader(Stream stream, int max)
            {
                _stream = stream;
                _max = max;
            }

            public bool TooLong { get; private set; }

            public byte[]? Next()
            {
                _line.SetLength(0);
                while (true)
                {
                    if (_start == _end)
                    {
                        _start = 0;
                        _end = _stream.Read(_buffer, 0, _buffer.Length);
                        if (_end == 0) return _line.Length > 0 ? Take() : null;
                    }
                    var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                    var stop = newline < 0 ? _end : newline;
                    if (_line.Length + (stop - _start) > _max)
                    {
                        TooLong = true;
                        return null;
                    }
                    _line.Write(_buffer, _start, stop - _start);
                    _start = newline < 0 ? _end : newline + 1;
                    if (newline >= 0) return Take();
                }
            }

            private byte[] Take()
            {
                var bytes = _line.ToArray();
                return bytes.Length > 0 && bytes[bytes.Length - 1] == (byte)'\r' ? bytes.AsSpan(0, bytes.Length - 1).ToArray() : bytes;
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                try
                {
                    if (_stream.CanWrite) _stream.Flush(true);
                }
                catch (IOException)
                {
                    // The outcomes already reached the OS; nothing more can be done here.
                }
                _stream.Dispose();
                _lock.Dispose();
            }
        }
    }
}
