// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Traces;

/// <summary>What an import read and wrote: counts per operation, the devices, the lines skipped and why.</summary>
public sealed class ImportSummary
{
    /// <summary>The first bad-line messages kept for the report (all are counted).</summary>
    public const int MaxMessagesKept = 10;

    private readonly List<string> _badLines = [];

    /// <summary>Gets the format read.</summary>
    public required TraceFormat Format { get; init; }

    /// <summary>Gets the trace file read.</summary>
    public required string Source { get; init; }

    /// <summary>Gets the READ(16) commands written.</summary>
    public long Reads { get; internal set; }

    /// <summary>Gets the WRITE(16) commands written.</summary>
    public long Writes { get; internal set; }

    /// <summary>Gets the SYNCHRONIZE CACHE(16) commands written.</summary>
    public long Flushes { get; internal set; }

    /// <summary>Gets the bytes the reads ask for.</summary>
    public long BytesRead { get; internal set; }

    /// <summary>Gets the bytes the writes carry.</summary>
    public long BytesWritten { get; internal set; }

    /// <summary>Gets the commands written in all.</summary>
    public long Commands => Reads + Writes + Flushes;

    /// <summary>Gets the malformed lines skipped (<c>--skip-bad</c>).</summary>
    public long SkippedBadLines { get; internal set; }

    /// <summary>Gets the first <see cref="MaxMessagesKept"/> messages of the skipped lines.</summary>
    public IReadOnlyList<string> BadLineMessages => _badLines;

    /// <summary>Gets the well-formed lines without I/O (headers, file actions, other blkparse events).</summary>
    public long IgnoredLines { get; internal set; }

    /// <summary>Gets the records whose time was earlier than the one before: written at the earlier record's time, so the trace's times never go back.</summary>
    public long TimesMovedForward { get; internal set; }

    /// <summary>Gets the time from the first command to the last, in nanoseconds.</summary>
    public long SpanNanoseconds { get; internal set; }

    /// <summary>Gets the devices, in the order they were first seen.</summary>
    public List<ImportedDevice> Devices { get; } = [];

    internal void AddBadLine(string message)
    {
        SkippedBadLines++;
        if (_badLines.Count < MaxMessagesKept)
        {
            _badLines.Add(message);
        }
    }
}
