using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace OtpTools.Engine.Webhooks
{
    /// <summary>
    /// Nonces of signed requests, so one cannot be played again: checked from the headers, reserved while its request
    /// is on its way to the pipeline, and kept once it is answered 200 — in memory and, with a file, across restarts
    /// for as long as a signature is valid.
    /// </summary>
    public sealed class ReplayGuard
    {
        /// <summary>How old a signature may be (either way, for clock skew).</summary>
        public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);
        /// <summary>A larger file is not read (it cannot hold only one window of accepted requests).</summary>
        private const long MaxFileBytes = 32L << 20;
        private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, bool> _reserved = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        private readonly string? _file;
        private readonly object _fileGate = new object();

        /// <summary>A guard in memory only, or one that remembers accepted nonces in <paramref name="file"/>.</summary>
        public ReplayGuard(string? file = null, DateTimeOffset? now = null)
        {
            _file = file;
            if (file != null) Load(file, now ?? DateTimeOffset.UtcNow);
        }

        /// <summary>$XDG_STATE_HOME/OtpTools (~/.local/state/OtpTools), or %LOCALAPPDATA%\OtpTools on Windows.</summary>
        public static string StateFolder(Func<string, string?> environment)
        {
            string folder;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                folder = environment("LOCALAPPDATA") is { Length: > 0 } local ? local : Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            else
                folder = environment("XDG_STATE_HOME") is { Length: > 0 } state ? state
                    : Path.Combine(environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
            return Path.Combine(folder, "OtpTools");
        }

        /// <summary>True when this nonce was accepted before (here, or by an earlier listener that wrote the same file).</summary>
        public bool Seen(string nonce) => _seen.ContainsKey(Key(nonce));

        /// <summary>Holds a nonce for one request; false when it was accepted already or another request holds it.</summary>
        public bool TryReserve(string nonce) => !Seen(nonce) && _reserved.TryAdd(Key(nonce), true);

        /// <summary>The request was not acknowledged (the provider will send it again): the nonce is free again.</summary>
        public void Release(string nonce) => _reserved.TryRemove(Key(nonce), out _);

        /// <summary>The request is about to be answered 200: the nonce is kept, on disk first.</summary>
        public void Commit(string nonce, DateTimeOffset now)
        {
            var key = Key(nonce);
            if (_file != null)
            {
                var line = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + " " + key + "\n";
                lock (_fileGate)
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(_file)!);
                    using var stream = new FileStream(_file, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
                    var bytes = Encoding.ASCII.GetBytes(line);
                    stream.Write(bytes, 0, bytes.Length);
                    stream.Flush(true);
                }
            }
            _seen[key] = now;
            _reserved.TryRemove(key, out _);
            if (_seen.Count > 10_000)
                foreach (var old in _seen)
                    if (now - old.Value > Window + Window) _seen.TryRemove(old.Key, out _);
        }

        /// <summary>The file holds a hash of each nonce (fixed length, whatever the sender put in it) and when it was accepted.</summary>
        private static string Key(string nonce)
        {
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(nonce));
            var text = new StringBuilder(hash.Length * 2);
            foreach (var b in hash) text.Append(b.ToString("x2", CultureInfo.InvariantCulture));
            return text.ToString();
        }

        /// <summary>Reads the nonces still inside the window, and rewrites the file without the older ones.</summary>
        private void Load(string file, DateTimeOffset now)
        {
            var kept = new List<string>();
            try
            {
                var info = new FileInfo(file);
                if (!info.Exists || info.Length > MaxFileBytes) return;
                foreach (var line in File.ReadAllLines(file))
                {
                    var space = line.IndexOf(' ');
                    if (space <= 0 || !long.TryParse(line.Substring(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) continue;
                    var at = DateTimeOffset.FromUnixTimeSeconds(Math.Min(seconds, 253402300799));
                    if ((now - at).Duration() > Window + Window) continue;
                    _seen[line.Substring(space + 1)] = at;
                    kept.Add(line);
                }
                lock (_fileGate) File.WriteAllLines(file, kept);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // Unreadable: this listener still refuses replays it sees itself; the file is written again on the next accept.
            }
        }
    }
}
