// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;

namespace Controller.Wire.RemoteCopy;

/// <summary>
/// The 16-byte CDB of RC UPDATE COPY: byte 0 = 0xE0; byte 1 bit 0 = COPIED TRACK (a track of an initial copy or
/// resync, carrying no host write), bit 1 = BEYOND CUT (the write is beyond the sequence cut of a cross-subsystem
/// atomic split the primary coordinates: the secondary's members of that split only mark it), bits 7-2 reserved; bytes 2-7 the LBA (48 bits, big-endian); bytes 8-9 the
/// TRANSFER LENGTH in 512-byte blocks; bytes 10-15 the origin host write's SEQUENCE number in the primary (48 bits,
/// 0 for a copied track). The S-VOL is the LUN of the FCP_CMND behind the frame's D_ID.
/// </summary>
/// <param name="Lba">The first block.</param>
/// <param name="Blocks">The number of blocks (1 to 65,535).</param>
/// <param name="Sequence">The origin write's sequence number, or 0 for a copied track.</param>
/// <param name="CopiedTrack">Whether this is a copied track.</param>
/// <param name="BeyondCut">Whether the write is beyond a cross-subsystem split's sequence cut.</param>
public readonly record struct UpdateCopyCdb(long Lba, int Blocks, long Sequence, bool CopiedTrack, bool BeyondCut = false)
{
    /// <summary>The CDB's length.</summary>
    public const int Length = 16;

    /// <summary>The largest LBA and sequence number the 48-bit fields carry.</summary>
    public const long Max48 = (1L << 48) - 1;

    private const byte CopiedTrackBit = 0x01;
    private const byte BeyondCutBit = 0x02;

    /// <summary>Encodes the CDB.</summary>
    /// <param name="destination">At least 16 bytes.</param>
    /// <returns>False when a field does not fit (an LBA or sequence beyond 48 bits, a length outside 1-65,535).</returns>
    public bool TryWrite(Span<byte> destination)
    {
        if (destination.Length < Length || Lba is < 0 or > Max48 || Sequence is < 0 or > Max48 || Blocks is < 1 or > ushort.MaxValue)
        {
            return false;
        }

        destination[..Length].Clear();
        destination[0] = RemoteCopyOpcode.UpdateCopy;
        destination[1] = (byte)((CopiedTrack ? CopiedTrackBit : 0) | (BeyondCut ? BeyondCutBit : 0));
        Write48(destination[2..], Lba);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], (ushort)Blocks);
        Write48(destination[10..], Sequence);
        return true;
    }

    /// <summary>Decodes the CDB.</summary>
    /// <param name="cdb">The CDB.</param>
    /// <param name="value">The fields.</param>
    /// <param name="reason">Why not, when false.</param>
    /// <returns>False for a short CDB, another opcode, a reserved bit set, a zero length, or a copied track with a sequence number.</returns>
    public static bool TryRead(ReadOnlySpan<byte> cdb, out UpdateCopyCdb value, out string? reason)
    {
        value = default;
        if (cdb.Length < Length || cdb[0] != RemoteCopyOpcode.UpdateCopy)
        {
            reason = "not an RC UPDATE COPY CDB of 16 bytes";
            return false;
        }

        if ((cdb[1] & ~(CopiedTrackBit | BeyondCutBit)) != 0)
        {
            reason = "RC UPDATE COPY: reserved bits 7-2 of byte 1 are set";
            return false;
        }

        bool copied = (cdb[1] & CopiedTrackBit) != 0;
        int blocks = BinaryPrimitives.ReadUInt16BigEndian(cdb[8..]);
        long sequence = Read48(cdb[10..]);
        if (blocks == 0)
        {
            reason = "RC UPDATE COPY: TRANSFER LENGTH is 0";
            return false;
        }

        if (copied && sequence != 0)
        {
            reason = "RC UPDATE COPY: a copied track carries no SEQUENCE";
            return false;
        }

        value = new UpdateCopyCdb(Read48(cdb[2..]), blocks, sequence, copied, (cdb[1] & BeyondCutBit) != 0);
        reason = null;
        return true;
    }

    internal static void Write48(Span<byte> destination, long value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(value >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], (uint)value);
    }

    internal static long Read48(ReadOnlySpan<byte> source)
    {
        return ((long)BinaryPrimitives.ReadUInt16BigEndian(source) << 32) | BinaryPrimitives.ReadUInt32BigEndian(source[2..]);
    }
}
