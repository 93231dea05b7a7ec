// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire;

/// <summary>
/// The FC frame CRC (FC-FS): the CRC-32 of IEEE 802.3 over the frame header and payload. Table-driven; the wire
/// codec depends on nothing but the BCL, so it carries its own table.
/// </summary>
public static class FcCrc
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>Computes the CRC of a frame's header and payload.</summary>
    /// <param name="data">The bytes covered.</param>
    /// <returns>The CRC (reflected, initial value and final XOR 0xFFFFFFFF).</returns>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] BuildTable()
    {
        uint[] table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}
