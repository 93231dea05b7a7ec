// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Traces;

/// <summary>A trace line (or binary record) that is not what its format defines: the message names the file, the line and the problem.</summary>
public sealed class TraceFormatException : Exception
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="file">The trace file.</param>
    /// <param name="line">The line number (binary traces: the record number), from 1.</param>
    /// <param name="problem">What is wrong, and what was expected.</param>
    public TraceFormatException(string file, long line, string problem)
        : base(file + ":" + line + ": " + problem)
    {
        File = file;
        Line = line;
        Problem = problem;
    }

    /// <summary>Gets the trace file.</summary>
    public string File { get; }

    /// <summary>Gets the line number (binary traces: the record number), from 1.</summary>
    public long Line { get; }

    /// <summary>Gets what is wrong.</summary>
    public string Problem { get; }
}
