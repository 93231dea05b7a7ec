// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;

namespace Controller.Wire;

/// <summary>
/// The FCIP Special Frame (FSF, RFC 3821 section 7): the first bytes an FCIP originator sends on a new TCP connection,
/// 68 bytes (17 words) with no SOF, FC frame or EOF. Words 0-6 are the encapsulation header with the SF bit (0x01) set
/// in pFlags and a frame length of 17; then the source FC Fabric Entity WWN (words 7-8), the source FC/FCIP Entity
/// Identifier (9-10), the connection nonce (11-12), connection usage flags, a reserved byte and the connection usage
/// code (13), the destination FC Fabric Entity WWN (14-15) and K_A_TOV in milliseconds (16). The acceptor echoes it:
/// unchanged with Ch 0 when it takes the connection as addressed, or with its own WWN as the destination and the Ch
/// bit (0x80) set when the originator named another entity (or none); nothing else may change.
/// </summary>
public static class FcipSpecialFrame
{
    /// <summary>The FSF's length in bytes.</summary>
    public const int Length = 68;

    /// <summary>pFlags bit 0: SF, this is a special frame.</summary>
    public const byte SpecialFrameFlag = 0x01;

    /// <summary>pFlags bit 7: Ch, the acceptor changed the echoed FSF.</summary>
    public const byte ChangedFlag = 0x80;

    /// <summary>Offset of the source FC Fabric Entity WWN.</summary>
    public const int SourceWorldWideNameOffset = 28;

    /// <summary>Offset of the source FC/FCIP Entity Identifier.</summary>
    public const int SourceEntityOffset = 36;

    /// <summary>Offset of the connection nonce.</summary>
    public const int ConnectionNonceOffset = 44;

    /// <summary>Offset of the connection usage flags (then a reserved byte and the 2-byte connection usage code).</summary>
    public const int ConnectionUsageOffset = 52;

    /// <summary>Offset of the destination FC Fabric Entity WWN.</summary>
    public const int DestinationWorldWideNameOffset = 56;

    /// <summary>Offset of K_A_TOV.</summary>
    public const int KeepAliveTimeoutOffset = 64;

    /// <summary>
    /// Whether the bytes at the front of a stream start an FSF: the two FCIP protocol words, then pFlags with SF set.
    /// False while fewer than 12 bytes are there, and for bytes that are no FCIP header at all (those are refused as such).
    /// </summary>
    /// <param name="source">The bytes received so far.</param>
    /// <returns>True when an FCIP header with SF set starts the bytes.</returns>
    public static bool StartsWithSpecialFrame(ReadOnlySpan<byte> source)
    {
        return source.Length >= 12 && IsWordAndComplement(source, 1, 1) && IsWordAndComplement(source[4..], 1, 1) && (source[8] & SpecialFrameFlag) != 0;
    }

    /// <summary>Checks an FSF: the encapsulation header words, their complements, SF set, a length of 17 words, the reserved byte 0.</summary>
    /// <param name="source">At least <see cref="Length"/> bytes.</param>
    /// <param name="reason">What is wrong, when false.</param>
    /// <returns>False when the bytes are not a well-formed FSF.</returns>
    public static bool TryCheck(ReadOnlySpan<byte> source, out string? reason)
    {
        reason = null;
        if (source.Length < Length)
        {
            reason = "FCIP Special Frame of " + source.Length + " bytes, shorter than " + Length;
            return false;
        }

        if (!IsWordAndComplement(source, 1, 1) || !IsWordAndComplement(source[4..], 1, 1))
        {
            reason = "FCIP Special Frame without the encapsulation header (01 01 FE FE, twice)";
            return false;
        }

        if (!IsWordAndComplement(source[8..], source[8], source[9]) || (source[8] & SpecialFrameFlag) == 0)
        {
            reason = "FCIP Special Frame pFlags word fails its ones complement or has no SF bit";
            return false;
        }

        ushort lengthAndFlags = BinaryPrimitives.ReadUInt16BigEndian(source[12..]);
        if (BinaryPrimitives.ReadUInt16BigEndian(source[14..]) != (ushort)~lengthAndFlags || (lengthAndFlags & 0x3FF) != Length / 4)
        {
            reason = "FCIP Special Frame length is not 17 words (or fails its ones complement)";
            return false;
        }

        if (source[ConnectionUsageOffset + 1] != 0)
        {
            reason = "FCIP Special Frame reserved byte after the connection usage flags is not zero";
            return false;
        }

        return true;
    }

    /// <summary>
    /// Writes the acceptor's echo of an FSF: the same bytes, with the destination FC Fabric Entity WWN set to
    /// <paramref name="acceptorName"/> and Ch set when the originator named another (or no) entity, Ch clear otherwise.
    /// </summary>
    /// <param name="received">A checked FSF (<see cref="TryCheck"/>).</param>
    /// <param name="acceptorName">The acceptor's FC Fabric Entity WWN.</param>
    /// <param name="destination">At least <see cref="Length"/> bytes.</param>
    /// <returns>True when the echo was changed (Ch set).</returns>
    public static bool WriteEcho(ReadOnlySpan<byte> received, ulong acceptorName, Span<byte> destination)
    {
        received[..Length].CopyTo(destination);
        bool changed = BinaryPrimitives.ReadUInt64BigEndian(received[DestinationWorldWideNameOffset..]) != acceptorName;
        byte flags = (byte)(changed ? received[8] | ChangedFlag : received[8] & ~ChangedFlag);
        destination[8] = flags;
        destination[10] = (byte)~flags;
        BinaryPrimitives.WriteUInt64BigEndian(destination[DestinationWorldWideNameOffset..], acceptorName);
        return changed;
    }

    /// <summary>Writes an FSF as an originator sends it (Ch clear).</summary>
    /// <param name="destination">At least <see cref="Length"/> bytes.</param>
    /// <param name="sourceName">The originator's FC Fabric Entity WWN.</param>
    /// <param name="sourceEntity">The originator's FC/FCIP Entity Identifier.</param>
    /// <param name="nonce">The connection nonce.</param>
    /// <param name="destinationName">The FC Fabric Entity WWN the originator means to reach (0: not known).</param>
    /// <param name="keepAliveMilliseconds">K_A_TOV.</param>
    public static void Write(Span<byte> destination, ulong sourceName, ulong sourceEntity, ulong nonce, ulong destinationName, uint keepAliveMilliseconds)
    {
        Span<byte> frame = destination[..Length];
        frame.Clear();
        WriteWordAndComplement(frame, 1, 1);
        WriteWordAndComplement(frame[4..], 1, 1);
        WriteWordAndComplement(frame[8..], SpecialFrameFlag, 0);
        ushort lengthAndFlags = Length / 4;
        BinaryPrimitives.WriteUInt16BigEndian(frame[12..], lengthAndFlags);
        BinaryPrimitives.WriteUInt16BigEndian(frame[14..], (ushort)~lengthAndFlags);
        BinaryPrimitives.WriteUInt64BigEndian(frame[SourceWorldWideNameOffset..], sourceName);
        BinaryPrimitives.WriteUInt64BigEndian(frame[SourceEntityOffset..], sourceEntity);
        BinaryPrimitives.WriteUInt64BigEndian(frame[ConnectionNonceOffset..], nonce);
        BinaryPrimitives.WriteUInt64BigEndian(frame[DestinationWorldWideNameOffset..], destinationName);
        BinaryPrimitives.WriteUInt32BigEndian(frame[KeepAliveTimeoutOffset..], keepAliveMilliseconds);
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
