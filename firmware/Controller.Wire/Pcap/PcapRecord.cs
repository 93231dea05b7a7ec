// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire.Pcap;

/// <summary>
/// One record of a pcap file, as <see cref="PcapReader.TryReadNext"/> returns it. <see cref="Frame"/> is a view
/// of the reader's buffer, which the reader reuses: it is valid until the next call to
/// <see cref="PcapReader.TryReadNext"/> (copy it to keep it).
/// </summary>
public readonly struct PcapRecord
{
    /// <summary>Initializes a record.</summary>
    /// <param name="number">The record's number in the file, from 1.</param>
    /// <param name="timestampNanoseconds">The time stamp in nanoseconds since the Unix epoch.</param>
    /// <param name="frame">The captured bytes.</param>
    /// <param name="originalLength">The frame's length on the wire.</param>
    public PcapRecord(long number, long timestampNanoseconds, ReadOnlyMemory<byte> frame, int originalLength)
    {
        Number = number;
        TimestampNanoseconds = timestampNanoseconds;
        Frame = frame;
        OriginalLength = originalLength;
    }

    /// <summary>Gets the record's number in the file, counting from 1 (as Wireshark numbers frames).</summary>
    public long Number { get; }

    /// <summary>Gets when the frame was seen, in nanoseconds since the Unix epoch (a microsecond file's stamps scaled up).</summary>
    public long TimestampNanoseconds { get; }

    /// <summary>
    /// Gets the captured bytes: for link type 224, the FC-2 frame header and payload. Valid until the reader's next
    /// <see cref="PcapReader.TryReadNext"/>.
    /// </summary>
    public ReadOnlyMemory<byte> Frame { get; }

    /// <summary>Gets the frame's length on the wire; more than <see cref="Frame"/>'s length when the capture cut it.</summary>
    public int OriginalLength { get; }
}
