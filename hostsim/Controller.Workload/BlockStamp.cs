// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;

namespace Controller.Workload;

/// <summary>
/// The stamp a dependent-write workload puts in every 512-byte block it writes: which write, to which volume and
/// LBA, and the write it depends on, so that the oracle can read a split image and say which writes it holds.
/// Layout (little-endian): magic "CSIMSTMP" (8), write ID (8), volume (4), reserved (4), LBA (8), depends-on (8),
/// a check word over the first 40 bytes (8); the rest of the block repeats the write ID.
/// </summary>
public static class BlockStamp
{
    /// <summary>The block size stamped.</summary>
    public const int BlockSize = 512;

    private const ulong Magic = 0x504D54534D495343; // "CSIMSTMP"

    /// <summary>Stamps every block of a write's data.</summary>
    /// <param name="data">The write's data, a multiple of 512 bytes.</param>
    /// <param name="writeId">The write's ID (not 0).</param>
    /// <param name="volume">The volume index the workload writes.</param>
    /// <param name="lba">The write's first block.</param>
    /// <param name="dependsOn">The ID of the write this one was issued after (0 for none).</param>
    public static void Write(Span<byte> data, long writeId, int volume, long lba, long dependsOn)
    {
        for (int offset = 0, block = 0; offset + BlockSize <= data.Length; offset += BlockSize, block++)
        {
            Span<byte> b = data.Slice(offset, BlockSize);
            BinaryPrimitives.WriteUInt64LittleEndian(b, Magic);
            BinaryPrimitives.WriteInt64LittleEndian(b[8..], writeId);
            BinaryPrimitives.WriteInt32LittleEndian(b[16..], volume);
            BinaryPrimitives.WriteInt32LittleEndian(b[20..], 0);
            BinaryPrimitives.WriteInt64LittleEndian(b[24..], lba + block);
            BinaryPrimitives.WriteInt64LittleEndian(b[32..], dependsOn);
            BinaryPrimitives.WriteUInt64LittleEndian(b[40..], Check(b));
            for (int i = 48; i + 8 <= BlockSize; i += 8)
            {
                BinaryPrimitives.WriteInt64LittleEndian(b[i..], writeId);
            }
        }
    }

    /// <summary>Reads a block's stamp.</summary>
    /// <param name="block">512 bytes.</param>
    /// <param name="stamp">The stamp, when true.</param>
    /// <returns>False for a block that carries no (intact) stamp, e.g. never written.</returns>
    public static bool TryRead(ReadOnlySpan<byte> block, out Stamp stamp)
    {
        stamp = default;
        if (block.Length < BlockSize || BinaryPrimitives.ReadUInt64LittleEndian(block) != Magic || BinaryPrimitives.ReadUInt64LittleEndian(block[40..]) != Check(block))
        {
            return false;
        }

        long id = BinaryPrimitives.ReadInt64LittleEndian(block[8..]);
        for (int i = 48; i + 8 <= BlockSize; i += 8)
        {
            if (BinaryPrimitives.ReadInt64LittleEndian(block[i..]) != id)
            {
                return false;
            }
        }

        stamp = new Stamp(id, BinaryPrimitives.ReadInt32LittleEndian(block[16..]), BinaryPrimitives.ReadInt64LittleEndian(block[24..]), BinaryPrimitives.ReadInt64LittleEndian(block[32..]));
        return true;
    }

    private static ulong Check(ReadOnlySpan<byte> block)
    {
        // FNV-1a over the fields: enough to tell a torn or foreign block from a stamp.
        ulong hash = 14695981039346656037;
        for (int i = 0; i < 40; i++)
        {
            hash = (hash ^ block[i]) * 1099511628211;
        }

        return hash;
    }

    /// <summary>What a stamped block says.</summary>
    /// <param name="WriteId">The write.</param>
    /// <param name="Volume">The volume index it was written to.</param>
    /// <param name="Lba">This block's LBA.</param>
    /// <param name="DependsOn">The write it depends on.</param>
    public readonly record struct Stamp(long WriteId, int Volume, long Lba, long DependsOn);
}
