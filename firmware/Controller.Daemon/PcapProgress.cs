// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;

namespace Controller.Daemon;

/// <summary>
/// The periodic line of a recording controllerd: the bytes written since the last line and their rate, and the
/// totals, so a trace that grows by a gigabyte in 25 s does not grow silently (issue #17).
/// </summary>
internal sealed class PcapProgress
{
    /// <summary>How often controllerd reports while it records.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly string _path;
    private long _lastBytes;
    private TimeSpan _lastAt;

    /// <summary>Initializes a report that starts with nothing written.</summary>
    /// <param name="path">The trace's path, for the line.</param>
    /// <param name="headerBytes">The bytes the trace holds before any frame (its global header).</param>
    public PcapProgress(string path, long headerBytes)
    {
        _path = path;
        _lastBytes = headerBytes;
    }

    /// <summary>The line for the time since the last one, or null if nothing was recorded since.</summary>
    /// <param name="bytesWritten">The tap's bytes written so far.</param>
    /// <param name="frames">The tap's frames so far.</param>
    /// <param name="rotations">The tap's rotations so far.</param>
    /// <param name="elapsed">The time since recording started.</param>
    /// <returns>The line, or null.</returns>
    public string? Next(long bytesWritten, long frames, int rotations, TimeSpan elapsed)
    {
        long bytes = bytesWritten - _lastBytes;
        double seconds = (elapsed - _lastAt).TotalSeconds;
        _lastBytes = bytesWritten;
        _lastAt = elapsed;
        if (bytes <= 0)
        {
            return null;
        }

        string rate = seconds > 0 ? (bytes / seconds / (1024 * 1024)).ToString("F1", CultureInfo.InvariantCulture) + " MiB/s" : "rate unknown";
        return "pcap " + _path + ": " + ByteSize.Mib(bytes) + " in the last " + seconds.ToString("F1", CultureInfo.InvariantCulture) + " s (" + rate + "); "
            + ByteSize.Mib(bytesWritten) + " and " + frames.ToString(CultureInfo.InvariantCulture) + " frames since start, "
            + rotations.ToString(CultureInfo.InvariantCulture) + (rotations == 1 ? " rotation" : " rotations");
    }
}
