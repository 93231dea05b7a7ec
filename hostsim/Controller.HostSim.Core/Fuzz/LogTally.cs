// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Text;

namespace Controller.HostSim.Core.Fuzz;

/// <summary>
/// The port front's log during a fuzz run (<c>TargetOptions.LoggerFactory</c>, through <c>Controller.Wire.Diagnostics.LineLogger</c>): counts the lines and their kinds, the text
/// up to the first ':' after the peer's name with numbers and IDs made generic ("CHECK CONDITION 05/24/00 for
/// 0x28 OX_ID 0x#"). A send side that closed by itself means an exchange failed to encode its frames on the
/// writer's thread, where no exception reaches the fuzzer: that is recorded as a fault.
/// </summary>
public sealed class LogTally
{
    private const int MaxFaults = 10;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, long> _kinds = new(StringComparer.Ordinal);
    private readonly List<string> _faults = [];
    private long _lines;

    /// <summary>Gets the lines logged.</summary>
    public long Lines
    {
        get
        {
            lock (_lock)
            {
                return _lines;
            }
        }
    }

    /// <summary>Counts one line. Called from any thread (the connection's reader, its writer).</summary>
    /// <param name="line">The line: the peer's name, ": ", the message.</param>
    public void Log(string line)
    {
        string kind = KindOf(line);
        lock (_lock)
        {
            _lines++;
            _kinds[kind] = _kinds.GetValueOrDefault(kind) + 1;
            if (line.Contains("send side closed", StringComparison.Ordinal) && _faults.Count < MaxFaults)
            {
                _faults.Add(line);
            }
        }
    }

    /// <summary>Gets the faults seen in the log (at most ten).</summary>
    /// <returns>The lines.</returns>
    public string[] GetFaults()
    {
        lock (_lock)
        {
            return _faults.ToArray();
        }
    }

    /// <summary>Gets the most frequent kinds of line.</summary>
    /// <param name="count">How many.</param>
    /// <returns>Kind and number of lines, most frequent first.</returns>
    public KeyValuePair<string, long>[] GetTop(int count)
    {
        KeyValuePair<string, long>[] all;
        lock (_lock)
        {
            all = new KeyValuePair<string, long>[_kinds.Count];
            int i = 0;
            foreach (KeyValuePair<string, long> entry in _kinds)
            {
                all[i++] = entry;
            }
        }

        Array.Sort(all, static (a, b) => a.Value != b.Value ? b.Value.CompareTo(a.Value) : string.CompareOrdinal(a.Key, b.Key));
        return all.AsSpan(0, Math.Min(count, all.Length)).ToArray();
    }

    /// <summary>The message up to its first ':', with port IDs, OX_IDs (0x and 4 hex digits or more) and decimal numbers as '#'.</summary>
    /// <param name="line">The log line.</param>
    /// <returns>The line's kind.</returns>
    internal static string KindOf(string line)
    {
        int start = line.IndexOf(": ", StringComparison.Ordinal);
        start = start < 0 ? 0 : start + 2;
        int end = line.IndexOf(':', start);
        if (end < 0)
        {
            end = line.Length;
        }

        StringBuilder kind = new(end - start);
        int i = start;
        while (i < end)
        {
            char c = line[i];
            if (c == '0' && i + 1 < end && line[i + 1] == 'x')
            {
                int digits = i + 2;
                while (digits < end && char.IsAsciiHexDigit(line[digits]))
                {
                    digits++;
                }

                // Keep opcodes, R_CTL and TYPE (two digits); an ID says nothing about the kind of line.
                if (digits - i - 2 >= 4)
                {
                    kind.Append("0x#");
                }
                else
                {
                    kind.Append(line.AsSpan(i, digits - i));
                }

                i = digits;
            }
            else if (char.IsAsciiDigit(c) && (i == start || (!char.IsAsciiLetterOrDigit(line[i - 1]) && line[i - 1] != '/')))
            {
                int digits = i;
                while (digits < end && char.IsAsciiDigit(line[digits]))
                {
                    digits++;
                }

                // Sense codes (05/24/00) stay as they are; counts and lengths do not.
                if (digits < end && line[digits] == '/')
                {
                    kind.Append(line.AsSpan(i, digits - i));
                }
                else
                {
                    kind.Append('#');
                }

                i = digits;
            }
            else
            {
                kind.Append(c);
                i++;
            }
        }

        return kind.ToString();
    }
}
