// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;

namespace Controller.Wire.Scsi;

/// <summary>
/// The SBC-3 block commands a host sends and a trace carries: READ(10/16), WRITE(10/16) and SYNCHRONIZE
/// CACHE(10/16). Builds the 16-byte forms (what hostsim sends) and reads the block range of any of them (what
/// replay needs to order commands that touch the same blocks).
/// </summary>
public static class BlockCdb
{
    /// <summary>The length of the 16-byte CDBs built here.</summary>
    public const int Length16 = 16;

    /// <summary>READ(10).</summary>
    public const byte Read10 = 0x28;

    /// <summary>WRITE(10).</summary>
    public const byte Write10 = 0x2A;

    /// <summary>SYNCHRONIZE CACHE(10).</summary>
    public const byte SynchronizeCache10 = 0x35;

    /// <summary>READ(16).</summary>
    public const byte Read16 = 0x88;

    /// <summary>WRITE(16).</summary>
    public const byte Write16 = 0x8A;

    /// <summary>SYNCHRONIZE CACHE(16).</summary>
    public const byte SynchronizeCache16 = 0x91;

    /// <summary>Writes a READ(16), WRITE(16) or SYNCHRONIZE CACHE(16) CDB.</summary>
    /// <param name="destination">At least <see cref="Length16"/> bytes.</param>
    /// <param name="opcode"><see cref="Read16"/>, <see cref="Write16"/> or <see cref="SynchronizeCache16"/>.</param>
    /// <param name="lba">The first logical block.</param>
    /// <param name="blocks">The number of blocks (0 for SYNCHRONIZE CACHE means to the end of the medium).</param>
    public static void Write(Span<byte> destination, byte opcode, long lba, uint blocks)
    {
        Span<byte> cdb = destination[..Length16];
        cdb.Clear();
        cdb[0] = opcode;
        BinaryPrimitives.WriteInt64BigEndian(cdb[2..], lba);
        BinaryPrimitives.WriteUInt32BigEndian(cdb[10..], blocks);
    }

    /// <summary>Builds a READ(16), WRITE(16) or SYNCHRONIZE CACHE(16) CDB.</summary>
    /// <param name="opcode"><see cref="Read16"/>, <see cref="Write16"/> or <see cref="SynchronizeCache16"/>.</param>
    /// <param name="lba">The first logical block.</param>
    /// <param name="blocks">The number of blocks.</param>
    /// <returns>The CDB.</returns>
    public static byte[] Create(byte opcode, long lba, uint blocks)
    {
        byte[] cdb = new byte[Length16];
        Write(cdb, opcode, lba, blocks);
        return cdb;
    }

    /// <summary>Reads the block range of a READ, WRITE or SYNCHRONIZE CACHE CDB (10- or 16-byte form).</summary>
    /// <param name="cdb">The CDB.</param>
    /// <param name="lba">The first logical block.</param>
    /// <param name="blocks">The number of blocks.</param>
    /// <param name="isWrite">True for a WRITE.</param>
    /// <returns>False when the CDB is none of those commands, or too short for its opcode.</returns>
    public static bool TryReadRange(ReadOnlySpan<byte> cdb, out long lba, out uint blocks, out bool isWrite)
    {
        lba = 0;
        blocks = 0;
        isWrite = false;
        if (cdb.IsEmpty)
        {
            return false;
        }

        switch (cdb[0])
        {
            case Read10 or Write10 when cdb.Length >= 10:
                lba = BinaryPrimitives.ReadUInt32BigEndian(cdb[2..]);
                blocks = BinaryPrimitives.ReadUInt16BigEndian(cdb[7..]);
                isWrite = cdb[0] == Write10;
                return true;
            case Read16 or Write16 when cdb.Length >= 16:
                lba = BinaryPrimitives.ReadInt64BigEndian(cdb[2..]);
                blocks = BinaryPrimitives.ReadUInt32BigEndian(cdb[10..]);
                isWrite = cdb[0] == Write16;
                return lba >= 0;
            default:
                return false;
        }
    }
}
