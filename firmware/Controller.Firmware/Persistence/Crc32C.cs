// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using System.Numerics;

namespace Controller.Firmware.Persistence;

/// <summary>
/// CRC-32C (Castagnoli, the checksum of iSCSI, ext4 and SCTP), over <see cref="BitOperations.Crc32C(uint, ulong)"/>:
/// the SSE4.2 or ARMv8 instruction where there is one, a table otherwise. It guards every record the controller keeps
/// on disk, so a torn or rotted record is found, never believed.
/// </summary>
public static class Crc32C
{
    /// <summary>Computes the CRC-32C of some bytes.</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>The checksum (the standard one: "123456789" gives 0xE3069283).</returns>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        return ~Append(~0u, data);
    }

    /// <summary>Continues a running CRC-32C (not inverted) over more bytes.</summary>
    /// <param name="crc">The running value: ~0 to start.</param>
    /// <param name="data">The bytes.</param>
    /// <returns>The running value; invert it (~) for the checksum.</returns>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= sizeof(ulong))
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data.Slice(sizeof(ulong));
        }

        foreach (byte b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return crc;
    }
}
