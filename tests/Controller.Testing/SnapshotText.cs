// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Text;

namespace Controller.Testing;

/// <summary>Normalisation and line-by-line comparison of snapshot text.</summary>
internal static class SnapshotText
{
    /// <summary>The encoding snapshot files are written with: UTF-8 without a byte-order mark.</summary>
    public static readonly Encoding FileEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Turns <c>\r\n</c> and lone <c>\r</c> into <c>\n</c>, drops a leading byte-order mark and ends the
    /// text with exactly one <c>\n</c>.
    /// </summary>
    public static string Normalize(string text)
    {
        if (text.StartsWith('\uFEFF'))
        {
            text = text[1..];
        }

        string unified = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        return unified.TrimEnd('\n') + "\n";
    }

    /// <summary>
    /// Returns the text exactly as it reads back after being written to a snapshot file, so that text
    /// that cannot be encoded (a lone surrogate) compares the same on both sides.
    /// </summary>
    public static string RoundTrip(string text) => FileEncoding.GetString(FileEncoding.GetBytes(text));

    /// <summary>
    /// Finds the first line (1-based) where two normalised texts differ. A side that has run out of
    /// lines reports <see langword="null"/> for its line.
    /// </summary>
    public static (int LineNumber, string? Expected, string? Received) FirstDifference(string expected, string received)
    {
        string[] expectedLines = SplitLines(expected);
        string[] receivedLines = SplitLines(received);
        int count = Math.Max(expectedLines.Length, receivedLines.Length);
        for (int i = 0; i < count; i++)
        {
            string? expectedLine = i < expectedLines.Length ? expectedLines[i] : null;
            string? receivedLine = i < receivedLines.Length ? receivedLines[i] : null;
            if (!string.Equals(expectedLine, receivedLine, StringComparison.Ordinal))
            {
                return (i + 1, expectedLine, receivedLine);
            }
        }

        // Unreachable for two different normalised texts; report the line after the end.
        return (count + 1, null, null);
    }

    private static string[] SplitLines(string normalized) => normalized.TrimEnd('\n').Split('\n');
}
