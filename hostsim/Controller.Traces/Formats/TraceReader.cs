// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Traces.Formats;

/// <summary>
/// Reads one block-trace file record by record. A malformed record throws <see cref="TraceFormatException"/>
/// naming the file, the line and the problem; the reader can then go on with the next record, so a caller may
/// count the bad ones and skip them (<c>hostsim import --skip-bad</c>).
/// </summary>
public abstract class TraceReader : IDisposable
{
    /// <summary>Initializes a reader.</summary>
    /// <param name="file">The file's name, for messages.</param>
    protected TraceReader(string file)
    {
        File = file;
    }

    /// <summary>Gets the file's name, as messages show it.</summary>
    public string File { get; }

    /// <summary>Gets the lines (binary traces: records) read that carry no I/O and were passed over: comments, headers, file actions.</summary>
    public long IgnoredLines { get; protected set; }

    /// <summary>Reads the next I/O record.</summary>
    /// <param name="record">The record.</param>
    /// <returns>False at the end of the file.</returns>
    /// <exception cref="TraceFormatException">The next record is malformed; the reader is past it.</exception>
    public abstract bool TryRead(out TraceRecord record);

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Closes the file.</summary>
    /// <param name="disposing">True when called from <see cref="Dispose()"/>.</param>
    protected abstract void Dispose(bool disposing);
}
