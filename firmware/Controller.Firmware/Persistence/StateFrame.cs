// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers;
using System.Buffers.Binary;
using Controller.Addressing;

namespace Controller.Firmware.Persistence;

/// <summary>
/// The framing of every record in a state file: a 4-byte little-endian length (of the kind byte and the payload), a
/// 4-byte CRC-32C over the length, the kind and the payload, then the kind and the payload. A reader stops at the
/// first frame that runs past the end or fails its checksum: after a crash that is the torn tail of the last append,
/// and everything before it is whole.
/// </summary>
public static class StateFrame
{
    /// <summary>The bytes before the kind: length and checksum.</summary>
    public const int HeaderBytes = 8;

    /// <summary>The largest frame accepted (a length beyond it is garbage, not a record).</summary>
    public const int MaxFrameBytes = 64 << 20;

    /// <summary>Appends one frame.</summary>
    /// <param name="writer">Where it goes.</param>
    /// <param name="kind">The record's kind.</param>
    /// <param name="payload">The record.</param>
    public static void Write(IBufferWriter<byte> writer, StateRecordKind kind, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(writer);
        int length = 1 + payload.Length;
        if (length > MaxFrameBytes)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(payload), "a state record of " + payload.Length + " bytes is larger than a frame may be");
        }

        Span<byte> frame = writer.GetSpan(HeaderBytes + length);
        BinaryPrimitives.WriteInt32LittleEndian(frame, length);
        frame[HeaderBytes] = (byte)kind;
        payload.CopyTo(frame.Slice(HeaderBytes + 1));
        uint crc = Crc32C.Append(~0u, frame.Slice(0, 4));
        crc = ~Crc32C.Append(crc, frame.Slice(HeaderBytes, length));
        BinaryPrimitives.WriteUInt32LittleEndian(frame.Slice(4), crc);
        writer.Advance(HeaderBytes + length);
    }

    /// <summary>Reads the frame at the start of some bytes.</summary>
    /// <param name="source">The bytes from the frame's first byte to the end of the file.</param>
    /// <param name="kind">The record's kind.</param>
    /// <param name="payload">The record.</param>
    /// <param name="consumed">The frame's size in bytes.</param>
    /// <returns>Null when a whole frame was read; else why not (the torn or damaged tail).</returns>
    public static string? TryRead(ReadOnlySpan<byte> source, out StateRecordKind kind, out ReadOnlySpan<byte> payload, out int consumed)
    {
        kind = default;
        payload = default;
        consumed = 0;
        if (source.Length < HeaderBytes + 1)
        {
            return source.Length == 0 ? "end" : "a frame header cut short (" + source.Length + " bytes)";
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(source);
        if (length < 1 || length > MaxFrameBytes)
        {
            return "a frame length of " + length + " bytes";
        }

        if (source.Length - HeaderBytes < length)
        {
            return "a frame of " + length + " bytes cut short at " + (source.Length - HeaderBytes);
        }

        uint crc = Crc32C.Append(~0u, source.Slice(0, 4));
        crc = ~Crc32C.Append(crc, source.Slice(HeaderBytes, length));
        if (crc != BinaryPrimitives.ReadUInt32LittleEndian(source.Slice(4)))
        {
            return "a frame whose CRC-32C does not match";
        }

        kind = (StateRecordKind)source[HeaderBytes];
        payload = source.Slice(HeaderBytes + 1, length - 1);
        consumed = HeaderBytes + length;
        return null;
    }
}
