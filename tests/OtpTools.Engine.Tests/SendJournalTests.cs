using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using OtpTools.Engine.Sending;
using Xunit;

namespace OtpTools.Engine.Tests
{
    /// <summary>What -Resume and Import-OtpJournal make of a journal file: never a second code, never unbounded memory.</summary>
    public sealed class SendJournalTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "otptools-journal-" + Guid.NewGuid().ToString("N"));

        public SendJournalTests() => Directory.CreateDirectory(_folder);

        public void Dispose() => Directory.Delete(_folder, true);

        private string PathOf(string name) => Path.Combine(_folder, name);

        private static string Run() => "{\"phase\":\"run\",\"at\":\"2026-12-01T10:00:00+00:00\",\"provider\":\"OtpBlue\",\"format\":\"" + SendJournal.Format + "\"}";

        private static string Sending(int position, string to) =>
            $"{{\"phase\":\"sending\",\"at\":\"2026-12-01T10:00:01+00:00\",\"position\":{position},\"recipient\":\"{to}\",\"provider\":\"OtpBlue\"}}";

        private static string Result(int position, string to, string status, bool success) =>
            $"{{\"phase\":\"result\",\"at\":\"2026-12-01T10:00:02+00:00\",\"position\":{position},\"recipient\":\"{to}\",\"provider\":\"OtpBlue\"," +
            $"\"receipt\":{{\"Position\":{position},\"Recipient\":\"{to}\",\"Status\":\"{status}\",\"Success\":{(success ? "true" : "false")}}}}}";

        private string Write(string name, params string[] lines)
        {
            var path = PathOf(name);
            File.WriteAllText(path, string.Join("\n", lines) + "\n");
            return path;
        }

        [Fact]
        public void Resume_with_a_journal_that_does_not_exist_is_an_error_and_creates_nothing()
        {
            var path = PathOf("typo.jsonl");
            var error = Assert.Throws<OtpException>(() => SendJournal.Resume(path, "OtpBlue"));
            Assert.Equal("Journal.NotFound", error.ErrorId);
            Assert.Equal(OtpErrorCategory.ObjectNotFound, error.Category);
            Assert.Contains("Drop -Resume", error.Message);
            Assert.Equal(path, error.TargetValue);
            Assert.False(File.Exists(path));
        }

        [Fact]
        public void A_row_recorded_as_sent_stays_sent_when_a_later_run_records_it_as_failed()
        {
            var path = Write("sent-then-failed.jsonl",
                Run(), Sending(1, "+61412000001"), Result(1, "+61412000001", "sent", true),
                Sending(2, "+61412000002"), Result(2, "+61412000002", "unknown", false),
                Run(), Sending(1, "+61412000001"), Result(1, "+61412000001", "failed", false),
                Sending(2, "+61412000002"), Result(2, "+61412000002", "failed", false));
            var rows = SendJournal.Read(path, _ => { });
            Assert.True(rows[1].MayHaveLeft);
            Assert.Equal("sent", rows[1].ToReceipt().Status);
            Assert.True(rows[2].MayHaveLeft);
            Assert.Equal("unknown", rows[2].ToReceipt().Status);
        }

        [Fact]
        public void A_request_left_in_flight_by_one_run_is_never_made_safe_by_a_later_run()
        {
            var path = Write("in-flight.jsonl",
                Run(), Sending(3, "+61412000003"),
                Run(), Sending(3, "+61412000003"), Result(3, "+61412000003", "failed", false));
            using var resumed = SendJournal.Resume(path, "OtpBlue");
            Assert.True(resumed.Earlier[3].MayHaveLeft);
            Assert.Equal("unknown", resumed.Earlier[3].ToReceipt().Status);
        }

        [Fact]
        public void A_refused_request_answered_in_the_same_run_stays_safe_to_send_again()
        {
            var path = Write("refused.jsonl", Run(), Sending(4, "+61412000004"), Result(4, "+61412000004", "failed", false));
            Assert.False(SendJournal.Read(path, _ => { })[4].MayHaveLeft);
        }

        [Fact]
        public void An_endless_line_stops_the_reading_with_a_clear_error_and_bounded_memory()
        {
            var path = PathOf("endless.jsonl");
            using (var file = File.Create(path))
            {
                var zeros = new byte[1 << 20];
                for (var i = 0; i < 64; i++) file.Write(zeros, 0, zeros.Length);   // 64 MiB without a newline
            }
            var before = GC.GetAllocatedBytesForCurrentThread();
            var error = Assert.Throws<OtpException>(() => SendJournal.Read(path, _ => { }));
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal("Journal.LineTooLong", error.ErrorId);
            Assert.True(allocated < 8L << 20, $"{allocated >> 20} MiB allocated reading a 64 MiB line");
        }

        [Fact]
        public void A_file_that_is_not_a_journal_is_refused_from_its_first_line_without_a_warning_per_line()
        {
            var path = Write("other.jsonl", Enumerable.Range(1, 500).Select(i => "{\"id\":" + i + "}").ToArray());
            var warnings = new List<string>();
            var error = Assert.Throws<OtpException>(() => SendJournal.Read(path, warnings.Add));
            Assert.Equal("Journal.NotAJournal", error.ErrorId);
            Assert.Empty(warnings);
            var text = Write("text.txt", "hello", "world");
            Assert.Equal("Journal.NotAJournal", Assert.Throws<OtpException>(() => SendJournal.Read(text, warnings.Add)).ErrorId);
            Assert.Empty(warnings);
        }

        [Fact]
        public void A_line_cut_short_by_a_crash_is_skipped_with_one_warning_and_the_rest_stands()
        {
            var path = PathOf("crashed.jsonl");
            File.WriteAllText(path, Run() + "\n" + Sending(5, "+61412000005") + "\n" + "{\"phase\":\"res", new UTF8Encoding(false));
            var warnings = new List<string>();
            var rows = SendJournal.Read(path, warnings.Add);
            Assert.Single(warnings);
            Assert.True(rows[5].MayHaveLeft);
        }
    }
}
