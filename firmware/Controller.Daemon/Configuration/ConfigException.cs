// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Daemon.Configuration;

/// <summary>
/// A configuration file that controllerd refuses: the file, the 1-based line and the reason, so that the
/// daemon can print one line a person acts on instead of a stack trace (docs/style.md item 5).
/// </summary>
internal sealed class ConfigException : Exception
{
    /// <summary>Initializes an error about one line of a file.</summary>
    /// <param name="file">The file as the user named it.</param>
    /// <param name="line">The 1-based line; 0 when the error is about the file as a whole (missing, unreadable).</param>
    /// <param name="reason">What is wrong, in words, without the file and line.</param>
    /// <param name="innerException">The OS or media error behind it, if any.</param>
    public ConfigException(string file, int line, string reason, Exception? innerException = null)
        : base(Format(file, line, reason), innerException)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(line);
        File = file;
        Line = line;
        Reason = reason;
    }

    /// <summary>Gets the file as the user named it.</summary>
    public string File { get; }

    /// <summary>Gets the 1-based line, or 0 when the error concerns the whole file.</summary>
    public int Line { get; }

    /// <summary>Gets what is wrong, without the file and line.</summary>
    public string Reason { get; }

    // "file:line: reason", the shape compilers use, so editors can jump to the line; with no line (the file
    // itself is missing or unreadable) a line number of 0 would point nowhere, so it is left out.
    private static string Format(string file, int line, string reason)
    {
        return line > 0 ? file + ":" + line + ": " + reason : file + ": " + reason;
    }
}
