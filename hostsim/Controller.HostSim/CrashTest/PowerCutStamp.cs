// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using Controller.Firmware.Media;

namespace Controller.HostSim.CrashTest;

/// <summary>
/// The stamped block of a power-cut run: the write's ID, the block's address, the volume and the cut's seed, then a
/// pattern of the ID over the rest, so a block read back names the one write it holds, whole, or is known damaged.
/// </summary>
internal static class PowerCutStamp
{
    /// <summary>A block that holds no whole stamp of this volume and address.</summary>
    public const long Damaged = -1;

    /// <summary>Writes the stamp of a write into one block.</summary>
    /// <param name="block">512 bytes.</param>
    /// <param name="writeId">The write (from 1).</param>
    /// <param name="volume">The volume's index in the run.</param>
    /// <param name="lba">The block's address.</param>
    /// <param name="seed">The cut's seed.</param>
    public static void Write(Span<byte> block, long writeId, int volume, long lba, ulong seed)
    {
        BinaryPrimitives.WriteInt64LittleEndian(block, writeId);
        BinaryPrimitives.WriteInt64LittleEndian(block[8..], lba);
        BinaryPrimitives.WriteUInt64LittleEndian(block[16..], seed);
        BinaryPrimitives.WriteInt32LittleEndian(block[24..], volume);
        for (int i = 28; i < TrackGeometry.BlockSize; i++)
        {
            block[i] = (byte)((writeId * 31) + i);
        }
    }

    /// <summary>Names the write a block holds.</summary>
    /// <param name="block">512 bytes read back.</param>
    /// <param name="volume">The volume's index the block was read from (the P-VOL's for an S-VOL: it holds P's writes).</param>
    /// <param name="lba">The block's address.</param>
    /// <param name="seed">The cut's seed.</param>
    /// <returns>The write's ID, 0 for a block never written (zeros), or <see cref="Damaged"/>.</returns>
    public static long Read(ReadOnlySpan<byte> block, int volume, long lba, ulong seed)
    {
        if (block.IndexOfAnyExcept((byte)0) < 0)
        {
            return 0;
        }

        long writeId = BinaryPrimitives.ReadInt64LittleEndian(block);
        if (writeId <= 0)
        {
            return Damaged;
        }

        Span<byte> expected = stackalloc byte[TrackGeometry.BlockSize];
        Write(expected, writeId, volume, lba, seed);
        return block.SequenceEqual(expected) ? writeId : Damaged;
    }
}
