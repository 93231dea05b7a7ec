// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Controller.Wire.Pcap;

/// <summary>
/// Reads a classic libpcap file (<see cref="PcapFormat"/>) record by record: either byte order, microsecond or
/// nanosecond time stamps, any link type (the caller checks <see cref="LinkType"/>; this project writes
/// <see cref="PcapFormat.LinkTypeFc2"/>). pcapng files are refused with a message that says so.
/// </summary>
/// <remarks>
/// A malformed file throws <see cref="InvalidDataException"/> whose message names the record number, the byte offset
/// of its header and the problem; the reader then stays stopped (a later call throws
/// <see cref="InvalidOperationException"/>), since nothing marks where the next record would start. The stream is read
/// forward only, so it need not be seekable. Not thread-safe.
/// </remarks>
public sealed class PcapReader : IDisposable
{
    // Enough for the largest FC frame, so that an FC trace never grows the buffer.
    private const int InitialBufferLength = FcipEncapsulation.MaxFcFrameLength;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly string _messagePrefix;
    private readonly bool _bigEndian;
    private byte[] _buffer;
    private long _offset;
    private long _recordNumber;
    private string? _stoppedBecause;
    private bool _disposed;

    /// <summary>Initializes a reader and reads the global header.</summary>
    /// <param name="stream">A readable stream, positioned where the file starts.</param>
    /// <param name="leaveOpen">True to leave the stream open when the reader is disposed.</param>
    /// <exception cref="InvalidDataException">The global header is truncated, its magic is not a libpcap one or its version is not 2.x.</exception>
    public PcapReader(Stream stream, bool leaveOpen = false)
        : this(stream, leaveOpen, string.Empty)
    {
    }

    // source: the file's path, which then starts every error message, or empty for a stream.
    private PcapReader(Stream stream, bool leaveOpen, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("a pcap trace needs a readable stream", nameof(stream));
        }

        _stream = stream;
        _leaveOpen = leaveOpen;
        _messagePrefix = source.Length == 0 ? "pcap " : source + ": pcap ";

        Span<byte> header = stackalloc byte[PcapFormat.GlobalHeaderLength];
        int read = _stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (read < header.Length)
        {
            ThrowInGlobalHeader("truncated (" + read + " of " + PcapFormat.GlobalHeaderLength + " bytes)");
        }

        // The writer stores the magic in its own byte order; reading it little-endian tells which order that was.
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
        switch (magic)
        {
            case PcapFormat.MagicMicroseconds:
                break;
            case PcapFormat.MagicNanoseconds:
                IsNanosecond = true;
                break;
            case 0xD4C3B2A1:
                _bigEndian = true;
                break;
            case 0x4D3CB2A1:
                _bigEndian = true;
                IsNanosecond = true;
                break;
            case PcapFormat.MagicPcapng:
                ThrowInGlobalHeader("bad magic 0x0A0D0D0A: this is a pcapng file; only classic libpcap files are read (convert it with editcap -F pcap)");
                break;
            default:
                ThrowInGlobalHeader("bad magic " + Hex(BinaryPrimitives.ReadUInt32BigEndian(header)) + ": not a libpcap file (A1 B2 C3 D4 or A1 B2 3C 4D, in either byte order)");
                break;
        }

        ushort versionMajor = ReadUInt16(header[4..]);
        ushort versionMinor = ReadUInt16(header[6..]);
        if (versionMajor != PcapFormat.VersionMajor)
        {
            ThrowInGlobalHeader("unsupported version " + versionMajor + "." + versionMinor + " (2.x expected)");
        }

        uint snapLength = ReadUInt32(header[16..]);
        SnapLength = snapLength is 0 or > PcapFormat.MaxSnapLength ? PcapFormat.MaxSnapLength : (int)snapLength;

        // The upper bits of this word carry FCS-length flags in recent files (draft-ietf-opsawg-pcap), not the link type.
        LinkType = (int)(ReadUInt32(header[20..]) & 0xFFFF);
        _offset = PcapFormat.GlobalHeaderLength;
        _buffer = new byte[Math.Min(InitialBufferLength, SnapLength)];
    }

    /// <summary>Gets the link type of every record (<see cref="PcapFormat.LinkTypeFc2"/> for this project's traces).</summary>
    public int LinkType { get; }

    /// <summary>
    /// Gets the snapshot length: no record captures more. A header value of 0 or above
    /// <see cref="PcapFormat.MaxSnapLength"/> reads as <see cref="PcapFormat.MaxSnapLength"/>, as libpcap reads it.
    /// </summary>
    public int SnapLength { get; }

    /// <summary>Gets whether the file's time stamps carry nanoseconds (otherwise microseconds).</summary>
    public bool IsNanosecond { get; }

    /// <summary>Opens a pcap file for reading; error messages then start with its path.</summary>
    /// <param name="path">The file.</param>
    /// <returns>A reader that owns (and closes) the file.</returns>
    /// <exception cref="InvalidDataException">The file's global header is malformed.</exception>
    public static PcapReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FileStream file = new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 64 * 1024, FileOptions.SequentialScan);
        try
        {
            return new PcapReader(file, leaveOpen: false, path);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Reads the next record.</summary>
    /// <param name="record">The record; its <see cref="PcapRecord.Frame"/> is valid until the next call.</param>
    /// <returns>False at a clean end of the file: no byte after the last whole record.</returns>
    /// <exception cref="InvalidDataException">The record is truncated or its header is inconsistent.</exception>
    /// <exception cref="InvalidOperationException">An earlier call found the file malformed.</exception>
    /// <exception cref="ObjectDisposedException">The reader is disposed.</exception>
    public bool TryReadNext(out PcapRecord record)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_stoppedBecause is not null)
        {
            ThrowStopped();
        }

        record = default;
        Span<byte> header = stackalloc byte[PcapFormat.RecordHeaderLength];
        int read = _stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (read == 0)
        {
            return false;
        }

        long number = _recordNumber + 1;
        if (read < header.Length)
        {
            ThrowInRecord(number, "truncated record header (" + read + " of " + PcapFormat.RecordHeaderLength + " bytes)");
        }

        uint seconds = ReadUInt32(header);
        uint fraction = ReadUInt32(header[4..]);
        uint capturedLength = ReadUInt32(header[8..]);
        uint originalLength = ReadUInt32(header[12..]);
        uint fractionLimit = IsNanosecond ? 1_000_000_000u : 1_000_000u;
        if (fraction >= fractionLimit)
        {
            ThrowInRecord(number, "time stamp fraction " + fraction + " is not below " + fractionLimit + " (" + (IsNanosecond ? "nanoseconds" : "microseconds") + ")");
        }

        if (capturedLength > SnapLength)
        {
            ThrowInRecord(number, "captured length " + capturedLength + " is larger than the snapshot length " + SnapLength);
        }

        if (capturedLength > originalLength)
        {
            ThrowInRecord(number, "captured length " + capturedLength + " is larger than the original length " + originalLength);
        }

        if (originalLength > int.MaxValue)
        {
            ThrowInRecord(number, "original length " + originalLength + " is beyond 2^31 - 1 bytes");
        }

        int length = (int)capturedLength;
        if (length > _buffer.Length)
        {
            // Bounded by the snapshot length checked above; doubling keeps growth rare.
            _buffer = new byte[Math.Min(Math.Max(length, _buffer.Length * 2), SnapLength)];
        }

        read = _stream.ReadAtLeast(_buffer.AsSpan(0, length), length, throwOnEndOfStream: false);
        if (read < length)
        {
            ThrowInRecord(number, "truncated record data (" + read + " of " + length + " bytes)");
        }

        long fractionNanoseconds = IsNanosecond ? fraction : fraction * 1000L;
        record = new PcapRecord(number, seconds * PcapFormat.NanosecondsPerSecond + fractionNanoseconds, _buffer.AsMemory(0, length), (int)originalLength);
        _recordNumber = number;
        _offset += PcapFormat.RecordHeaderLength + length;
        return true;
    }

    /// <summary>Closes the stream unless the reader was told to leave it open.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private static string Hex(uint value)
    {
        return "0x" + value.ToString("X8", CultureInfo.InvariantCulture);
    }

    private ushort ReadUInt16(ReadOnlySpan<byte> source)
    {
        return _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(source) : BinaryPrimitives.ReadUInt16LittleEndian(source);
    }

    private uint ReadUInt32(ReadOnlySpan<byte> source)
    {
        return _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(source) : BinaryPrimitives.ReadUInt32LittleEndian(source);
    }

    [DoesNotReturn]
    private void ThrowInGlobalHeader(string problem)
    {
        throw new InvalidDataException(_messagePrefix + "global header at byte offset 0: " + problem);
    }

    [DoesNotReturn]
    private void ThrowInRecord(long number, string problem)
    {
        _stoppedBecause = _messagePrefix + "record " + number + " at byte offset " + _offset + ": " + problem;
        throw new InvalidDataException(_stoppedBecause);
    }

    [DoesNotReturn]
    private void ThrowStopped()
    {
        throw new InvalidOperationException("the reader stopped at a malformed record and cannot go on (" + _stoppedBecause + ")");
    }
}
