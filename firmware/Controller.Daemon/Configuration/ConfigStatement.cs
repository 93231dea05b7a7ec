// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics.CodeAnalysis;
using Controller.Addressing;

namespace Controller.Daemon.Configuration;

/// <summary>
/// The configuration line being read: its words (the lexer's output, reused from line to line) and the checks every
/// statement makes on them (word count, a setting given once), each failing with a <see cref="ConfigException"/> that
/// names the file and the line. Shared by the parsers of one file (<see cref="ControllerConfigParser"/> for the
/// declarations, <see cref="ConfigSettingsParser"/> for the settings), so that every message has the same form.
/// </summary>
internal sealed class ConfigStatement
{
    private readonly string _fileName;

    /// <summary>Initializes the statement of a file.</summary>
    /// <param name="fileName">The name errors give for the file.</param>
    public ConfigStatement(string fileName)
    {
        _fileName = fileName;
    }

    /// <summary>Gets the words of the line: the keyword first.</summary>
    public List<string> Words { get; } = [];

    /// <summary>Fails unless the line has exactly <paramref name="count"/> words, showing the expected form.</summary>
    /// <param name="line">The line number.</param>
    /// <param name="count">The words expected, keyword included.</param>
    /// <param name="usage">The statement's form, for the message.</param>
    public void ExpectWordCount(int line, int count, string usage)
    {
        if (Words.Count < count)
        {
            FailMissing(line, usage);
        }

        if (Words.Count > count)
        {
            Fail(line, "'" + Words[0] + "' has an extra argument '" + Words[count] + "'; expected: " + usage);
        }
    }

    /// <summary>
    /// Records the line of a setting that may appear once. A second line for the same setting is more likely a mistake
    /// (two halves of an edit) than an intended override, so it is refused instead of letting the last one win.
    /// </summary>
    /// <param name="line">The line number.</param>
    /// <param name="firstLine">The setting's first line, 0 while it has none.</param>
    public void SetOnce(int line, ref int firstLine)
    {
        if (firstLine != 0)
        {
            Fail(line, "'" + Words[0] + "' is given twice (first on line " + firstLine + ")");
        }

        firstLine = line;
    }

    /// <summary>Reads a port ID word, or fails with the reason.</summary>
    /// <param name="line">The line number.</param>
    /// <param name="word">The word.</param>
    /// <param name="prefix">What the port is (<c>"initiator "</c>), before the reason; null for nothing.</param>
    /// <returns>The port ID.</returns>
    public PortId ParsePortId(int line, string word, string? prefix)
    {
        if (!ConfigValues.TryParsePortId(word, out PortId portId, out string? error))
        {
            Fail(line, prefix + error);
        }

        return portId;
    }

    /// <summary>Fails because the statement is missing arguments.</summary>
    /// <param name="line">The line number.</param>
    /// <param name="usage">The statement's form, for the message.</param>
    [DoesNotReturn]
    public void FailMissing(int line, string usage)
    {
        Fail(line, "'" + Words[0] + "' is missing arguments; expected: " + usage);
    }

    /// <summary>Fails with the file, the line and the reason.</summary>
    /// <param name="line">The line number.</param>
    /// <param name="reason">What is wrong; null says only that the line is invalid.</param>
    [DoesNotReturn]
    public void Fail(int line, string? reason)
    {
        throw new ConfigException(_fileName, line, reason ?? "invalid line");
    }
}
