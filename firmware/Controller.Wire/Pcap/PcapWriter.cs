// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Controller.Wire.Pcap;

/// <summary>
/// Writes FC-2 frames to a classic libpcap file (<see cref="PcapFormat"/>): link type 224
/// (<see cref="PcapFormat.LinkTypeFc2"/>), nanosecond time stamps, version 2.4, snapshot length 65535, little-endian.
/// Wireshark and tshark read the result directly and decode FC, FCP and SCSI (<c>tshark -r trace.pcap</c>).
/// </summary>
/// <remarks>
/// Not thread-safe: the caller serializes every call (one writer per trace, called from one place under a lock).
/// A record costs no allocation here; the stream should override <see cref="Stream.Write(ReadOnlySpan{byte})"/>
/// (<see cref="FileStream"/>, <see cref="MemoryStream"/> and <see cref="BufferedStream"/> do), since the base
/// implementation copies through a pooled array.
/// </remarks>
public sealed class PcapWriter : IDisposable
{
    // The largest time stamp the record header can hold: its seconds field is an unsigned 32-bit number
    // (the year 2106).
    private const long MaxTimestampNanoseconds = ((long)uint.MaxValue + 1) * PcapFormat.NanosecondsPerSecond - 1;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private bool _disposed;

    /// <summary>Initializes a writer and writes the global header.</summary>
    /// <param name="stream">A writable stream, positioned where the file starts.</param>
    /// <param name="leaveOpen">True to leave the stream open when the writer is disposed.</param>
    public PcapWriter(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("a pcap trace needs a writable stream", nameof(stream));
        }

        _stream = stream;
        _leaveOpen = leaveOpen;
        Span<byte> header = stackalloc byte[PcapFormat.GlobalHeaderLength];
        BinaryPrimitives.WriteUInt32LittleEndian(header, PcapFormat.MagicNanoseconds);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], PcapFormat.VersionMajor);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], PcapFormat.VersionMinor);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], 0);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], PcapFormat.DefaultSnapLength);
        BinaryPrimitives.WriteInt32LittleEndian(header[20..], PcapFormat.LinkTypeFc2);
        _stream.Write(header);
    }

    /// <summary>Gets the number of records written.</summary>
    public long RecordsWritten { get; private set; }

    /// <summary>Writes one record: the frame, whole, with its time stamp.</summary>
    /// <param name="unixTimeNanoseconds">When the frame was seen, in nanoseconds since the Unix epoch (up to the year 2106).</param>
    /// <param name="fcFrame">The FC-2 frame: its 24-byte header and the payload, without SOF, EOF or CRC.</param>
    /// <exception cref="ArgumentOutOfRangeException">The time stamp is negative or after the year 2106.</exception>
    /// <exception cref="ArgumentException">The frame is shorter than an FC header or longer than the snapshot length.</exception>
    /// <exception cref="ObjectDisposedException">The writer is disposed.</exception>
    public void WriteFrame(long unixTimeNanoseconds, ReadOnlySpan<byte> fcFrame)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if ((ulong)unixTimeNanoseconds > MaxTimestampNanoseconds)
        {
            ThrowTimestampOutOfRange(unixTimeNanoseconds);
        }

        if (fcFrame.Length < FcFrameHeader.Length || fcFrame.Length > PcapFormat.DefaultSnapLength)
        {
            ThrowBadFrameLength(fcFrame.Length);
        }

        Span<byte> header = stackalloc byte[PcapFormat.RecordHeaderLength];
        long seconds = Math.DivRem(unixTimeNanoseconds, PcapFormat.NanosecondsPerSecond, out long nanoseconds);
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)seconds);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)nanoseconds);
        // Captured and original lengths are equal: frames are never cut.
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], fcFrame.Length);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], fcFrame.Length);
        _stream.Write(header);
        _stream.Write(fcFrame);
        RecordsWritten++;
    }

    /// <summary>Flushes the records written so far to the stream's underlying device.</summary>
    /// <exception cref="ObjectDisposedException">The writer is disposed.</exception>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _stream.Flush();
    }

    /// <summary>Flushes, then closes the stream unless the writer was told to leave it open.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_leaveOpen)
        {
            _stream.Flush();
        }
        else
        {
            // Disposing a stream flushes it.
            _stream.Dispose();
        }
    }

    [DoesNotReturn]
    private static void ThrowTimestampOutOfRange(long unixTimeNanoseconds)
    {
        throw new ArgumentOutOfRangeException(nameof(unixTimeNanoseconds), unixTimeNanoseconds,
            "a pcap time stamp is 0 to " + MaxTimestampNanoseconds + " ns since the Unix epoch (1970 to 2106)");
    }

    [DoesNotReturn]
    private static void ThrowBadFrameLength(int length)
    {
        throw new ArgumentException(
            "an FC-2 frame of " + length + " bytes cannot be recorded: it must hold the " + FcFrameHeader.Length
            + "-byte frame header and fit the snapshot length of " + PcapFormat.DefaultSnapLength + " bytes", "fcFrame");
    }
}
