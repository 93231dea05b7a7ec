// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Daemon.Logging;
using Microsoft.Extensions.Logging;

namespace Controller.Daemon;

/// <summary>
/// Where the audit lines of copy-management commands go (docs/controllerd.md, "Audit log"): always the daemon's log,
/// and, with <c>audit-log FILE</c>, appended to that file too, one line each, flushed as written so a line is not
/// lost with the process.
/// </summary>
internal sealed class AuditTrail : IDisposable
{
    private readonly ILogger _logger;
    private readonly StreamWriter? _file;
    private readonly Lock _fileLock = new();

    private AuditTrail(ILogger logger, StreamWriter? file)
    {
        _logger = logger;
        _file = file;
    }

    /// <summary>Opens the trail.</summary>
    /// <param name="logger">The daemon's log: each line is logged (<see cref="DaemonLog.Audit"/>) as well as appended.</param>
    /// <param name="path">The audit file to append to, or null.</param>
    /// <returns>The trail.</returns>
    /// <exception cref="IOException">The file cannot be opened for appending (the message names it).</exception>
    public static AuditTrail Open(ILogger logger, string? path)
    {
        if (path is null)
        {
            return new AuditTrail(logger, null);
        }

        try
        {
            FileStream stream = new(path, FileMode.Append, FileAccess.Write, FileShare.Read);
            return new AuditTrail(logger, new StreamWriter(stream) { AutoFlush = true });
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
        DaemonLog.Audit(_logger, line);
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
                DaemonLog.AuditFileFailed(_logger, ex.Message);
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
