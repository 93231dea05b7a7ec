// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Daemon;

/// <summary>
/// Where the audit lines of copy-management commands go (docs/controllerd.md, "Audit log"): always the daemon's log,
/// and, with <c>audit-log FILE</c>, appended to that file too, one line each, flushed as written so a line is not
/// lost with the process.
/// </summary>
internal sealed class AuditTrail : IDisposable
{
    private readonly Action<string> _log;
    private readonly StreamWriter? _file;
    private readonly Lock _fileLock = new();

    private AuditTrail(Action<string> log, StreamWriter? file)
    {
        _log = log;
        _file = file;
    }

    /// <summary>Opens the trail.</summary>
    /// <param name="log">The daemon's log.</param>
    /// <param name="path">The audit file to append to, or null.</param>
    /// <returns>The trail.</returns>
    /// <exception cref="IOException">The file cannot be opened for appending (the message names it).</exception>
    public static AuditTrail Open(Action<string> log, string? path)
    {
        if (path is null)
        {
            return new AuditTrail(log, null);
        }

        try
        {
            FileStream stream = new(path, FileMode.Append, FileAccess.Write, FileShare.Read);
            return new AuditTrail(log, new StreamWriter(stream) { AutoFlush = true });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException("cannot open the audit log " + path + " for appending: " + ex.Message, ex);
        }
    }

    /// <summary>Writes one audit line (from any thread).</summary>
    /// <param name="line">The line, without a newline.</param>
    public void Write(string line)
    {
        _log(line);
        if (_file is null)
        {
            return;
        }

        lock (_fileLock)
        {
            try
            {
                _file.WriteLine(line);
            }
            catch (IOException ex)
            {
                // A full disk must not stop the controller answering: the line is still in the daemon's log.
                _log("could not append to the audit log: " + ex.Message);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_fileLock)
        {
            _file?.Dispose();
        }
    }
}
