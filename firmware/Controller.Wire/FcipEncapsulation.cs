// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using System.IO.Hashing;

namespace Controller.Wire;

/// <summary>
/// FC frames on TCP with the FCIP frame encapsulation of RFC 3643 / RFC 3821 (docs/architecture.md, "Wire format"), so that
/// Wireshark decodes the stream as FCIP -> FC -> FCP -> SCSI. Layout, all big-endian:
/// <code>
///  0  protocol 1, version 1, ~1, ~1          (01 01 FE FE)
///  4  the same again (FCIP)                  (01 01 FE FE)
///  8  pFlags 0, reserved 0, ~0, ~0           (00 00 FF FF)
/// 12  flags (6 bits) + frame length in words (10 bits), then its ones complement
/// 16  time stamp: seconds, fraction
/// 24  CRC field (0: not used)
/// 28  SOF, SOF, ~SOF, ~SOF
/// 32  the FC frame: 24-byte header and payload
///  n  FC CRC (CRC-32, least significant byte first, as FC-BB and FCoE carry it)
/// +4  EOF, EOF, ~EOF, ~EOF
/// </code>
/// The frame length counts every word above (at least 16 words: an FC frame with no payload).
/// </summary>
public static class FcipEncapsulation
{
    /// <summary>The TCP port FCIP listens on.</summary>
    public const int DefaultPort = 3225;

    /// <summary>The encapsulation header, up to the SOF word.</summary>
    public const int HeaderLength = 28;

    /// <summary>Everything around the FC header and payload: encapsulation header, SOF, CRC, EOF.</summary>
    public const int Overhead = HeaderLength + 12;

    /// <summary>The largest FC frame payload.</summary>
    public const int MaxPayloadLength = 2112;

    /// <summary>The largest FC frame, header and payload.</summary>
    public const int MaxFcFrameLength = FcFrameHeader.Length + MaxPayloadLength;

    /// <summary>Where the FC frame (its header) starts in an encapsulated frame: after the header and the SOF word.</summary>
    public const int FrameOffset = HeaderLength + 4;

    private const byte Protocol = 1;
    private const byte Version = 1;

    /// <summary>Gets the encapsulated length of an FC frame.</summary>
    /// <param name="fcFrameLength">Header and payload.</param>
    /// <returns>The bytes on the wire.</returns>
    public static int EncodedLength(int fcFrameLength)
    {
        return Overhead + fcFrameLength;
    }

    /// <summary>Encapsulates one FC frame.</summary>
    /// <param name="fcFrame">The FC header and payload: 24 to 2136 bytes, a whole number of words.</param>
    /// <param name="start">The SOF code (<see cref="FcDelimiter"/>).</param>
    /// <param name="end">The EOF code.</param>
    /// <param name="seconds">The time stamp's seconds.</param>
    /// <param name="fraction">The time stamp's fraction.</param>
    /// <param name="destination">Where to write.</param>
    /// <param name="written">The bytes written.</param>
    /// <returns>False (nothing written) when the frame or the delimiters are invalid or the destination is short.</returns>
    public static bool TryWrite(ReadOnlySpan<byte> fcFrame, byte start, byte end, uint seconds, uint fraction, Span<byte> destination, out int written)
    {
        written = 0;
        int total = EncodedLength(fcFrame.Length);
        if (fcFrame.Length < FcFrameHeader.Length || fcFrame.Length > MaxFcFrameLength || (fcFrame.Length & 3) != 0
            || !FcDelimiter.IsStart(start) || !FcDelimiter.IsEnd(end) || destination.Length < total)
        {
            return false;
        }

        fcFrame.CopyTo(destination[FrameOffset..]);
        Seal(destination, fcFrame.Length, start, end, seconds, fraction);
        written = total;
        return true;
    }

    /// <summary>
    /// Wraps an FC frame that the caller has already written at <see cref="FrameOffset"/> of
    /// <paramref name="destination"/>: writes the encapsulation header and SOF in front and the FC CRC and EOF
    /// behind. This lets a sender build the frame in place in its output buffer, with no copy.
    /// </summary>
    /// <param name="destination">The buffer, at least <see cref="EncodedLength"/> bytes, holding the frame at offset 32.</param>
    /// <param name="fcFrameLength">The FC frame's length: header and payload, a multiple of 4 bytes.</param>
    /// <param name="start">The SOF code.</param>
    /// <param name="end">The EOF code.</param>
    /// <param name="seconds">Time stamp, whole seconds.</param>
    /// <param name="fraction">Time stamp, fraction of a second in units of 2^-32 s.</param>
    /// <returns>The encoded length.</returns>
    public static int Seal(Span<byte> destination, int fcFrameLength, byte start, byte end, uint seconds, uint fraction)
    {
        int total = EncodedLength(fcFrameLength);
        if (fcFrameLength < FcFrameHeader.Length || fcFrameLength > MaxFcFrameLength || (fcFrameLength & 3) != 0
            || !FcDelimiter.IsStart(start) || !FcDelimiter.IsEnd(end) || destination.Length < total)
        {
            throw new ArgumentException("cannot encapsulate an FC frame of " + fcFrameLength + " bytes (SOF 0x" + start.ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + ", EOF 0x" + end.ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + ") in " + destination.Length + " bytes", nameof(fcFrameLength));
        }

        WriteWordAndComplement(destination, Protocol, Version);
        WriteWordAndComplement(destination[4..], Protocol, Version);
        WriteWordAndComplement(destination[8..], 0, 0);
        ushort lengthAndFlags = (ushort)(total / 4);
        BinaryPrimitives.WriteUInt16BigEndian(destination[12..], lengthAndFlags);
        BinaryPrimitives.WriteUInt16BigEndian(destination[14..], (ushort)~lengthAndFlags);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], seconds);
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], fraction);
        BinaryPrimitives.WriteUInt32BigEndian(destination[24..], 0);
        WriteWordAndComplement(destination[28..], start, start);
        int crcAt = FrameOffset + fcFrameLength;
        BinaryPrimitives.WriteUInt32LittleEndian(destination[crcAt..], Crc32.HashToUInt32(destination.Slice(FrameOffset, fcFrameLength)));
        WriteWordAndComplement(destination[(crcAt + 4)..], end, end);
        return total;
    }

    /// <summary>Decodes the encapsulated frame at the front of a stream.</summary>
    /// <param name="source">The bytes received so far.</param>
    /// <param name="frame">The frame, when <see cref="FcipDecodeStatus.Frame"/>.</param>
    /// <param name="consumed">The bytes the frame took.</param>
    /// <param name="reason">Why the bytes are invalid, when <see cref="FcipDecodeStatus.Invalid"/>.</param>
    /// <returns>Whether a frame, more data or garbage is at the front.</returns>
    public static FcipDecodeStatus TryRead(ReadOnlySpan<byte> source, out FcipFrame frame, out int consumed, out string? reason)
    {
        frame = default;
        consumed = 0;
        reason = null;
        if (source.Length < 16)
        {
            return FcipDecodeStatus.NeedMoreData;
        }

        if (!IsWordAndComplement(source, Protocol, Version) || !IsWordAndComplement(source[4..], Protocol, Version))
        {
            reason = "not an FCIP encapsulation header (protocol and version must read 01 01 FE FE, twice)";
            return FcipDecodeStatus.Invalid;
        }

        if (source[10] != (byte)~source[8] || source[11] != (byte)~source[9])
        {
            reason = "FCIP pFlags word fails its ones complement";
            return FcipDecodeStatus.Invalid;
        }

        ushort lengthAndFlags = BinaryPrimitives.ReadUInt16BigEndian(source[12..]);
        if (BinaryPrimitives.ReadUInt16BigEndian(source[14..]) != (ushort)~lengthAndFlags)
        {
            reason = "FCIP frame length fails its ones complement";
            return FcipDecodeStatus.Invalid;
        }

        int total = (lengthAndFlags & 0x3FF) * 4;
        if (total < EncodedLength(FcFrameHeader.Length) || total > EncodedLength(MaxFcFrameLength))
        {
            reason = "FCIP frame length " + total + " bytes is outside " + EncodedLength(FcFrameHeader.Length) + "-" + EncodedLength(MaxFcFrameLength);
            return FcipDecodeStatus.Invalid;
        }

        if (source.Length < total)
        {
            return FcipDecodeStatus.NeedMoreData;
        }

        byte start = source[28];
        byte end = source[total - 4];
        if (!IsWordAndComplement(source[28..], start, start) || !FcDelimiter.IsStart(start))
        {
            reason = "invalid SOF word";
            return FcipDecodeStatus.Invalid;
        }

        if (!IsWordAndComplement(source[(total - 4)..], end, end) || !FcDelimiter.IsEnd(end))
        {
            reason = "invalid EOF word";
            return FcipDecodeStatus.Invalid;
        }

        ReadOnlySpan<byte> fcFrame = source.Slice(32, total - Overhead);
        if (BinaryPrimitives.ReadUInt32LittleEndian(source[(total - 8)..]) != Crc32.HashToUInt32(fcFrame))
        {
            reason = "FC frame CRC mismatch";
            return FcipDecodeStatus.Invalid;
        }

        frame = new FcipFrame(fcFrame, start, end, BinaryPrimitives.ReadUInt32BigEndian(source[16..]), BinaryPrimitives.ReadUInt32BigEndian(source[20..]));
        consumed = total;
        return FcipDecodeStatus.Frame;
    }

    private static void WriteWordAndComplement(Span<byte> destination, byte first, byte second)
    {
        destination[0] = first;
        destination[1] = second;
        destination[2] = (byte)~first;
        destination[3] = (byte)~second;
    }

    private static bool IsWordAndComplement(ReadOnlySpan<byte> source, byte first, byte second)
    {
        return source[0] == first && source[1] == second && source[2] == (byte)~first && source[3] == (byte)~second;
    }
}
