// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;

namespace Controller.Traces;

/// <summary>
/// The checksum a replay compares read data by: 64-bit FNV-1a over the bytes (8 at a time, then the tail), so that
/// equal data gives equal sums on every machine and run. Not cryptographic: it finds differences, not attacks.
/// </summary>
public static class DataChecksum
{
    /// <summary>The checksum of no data.</summary>
    public const ulong Empty = 0xCBF29CE484222325;

    private const ulong Prime = 0x100000001B3;

    /// <summary>Computes the checksum of some bytes.</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>The checksum.</returns>
    public static ulong Compute(ReadOnlySpan<byte> data)
    {
        ulong hash = Empty;
        int whole = data.Length & ~7;
        for (int i = 0; i < whole; i += 8)
        {
            hash = (hash ^ BinaryPrimitives.ReadUInt64LittleEndian(data[i..])) * Prime;
        }

        for (int i = whole; i < data.Length; i++)
        {
            hash = (hash ^ data[i]) * Prime;
        }

        return hash;
    }
}
