// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using Controller.Addressing;

namespace Controller.Firmware.Media;

/// <summary>The range checks every store makes before a transfer.</summary>
internal static class BlockRange
{
    /// <summary>Checks that a transfer of whole blocks lies inside a device.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static MediaStatus Check(long lba, int byteLength, long blockCount)
    {
        if ((byteLength & (TrackGeometry.BlockSize - 1)) != 0)
        {
            return MediaStatus.LengthNotBlockMultiple;
        }

        long blocks = byteLength >> TrackGeometry.BlockShift;

        // Written so that it cannot overflow: lba <= blockCount - blocks.
        if (lba < 0 || blocks > blockCount || lba > blockCount - blocks)
        {
            return MediaStatus.LbaOutOfRange;
        }

        return MediaStatus.Good;
    }

    /// <summary>Checks a capacity at construction.</summary>
    public static void ValidateCapacity(long blockCount)
    {
        if (blockCount <= 0 || blockCount > TrackGeometry.MaxLdevBlocks)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(blockCount),
                "capacity " + blockCount + " blocks is outside 1.." + TrackGeometry.MaxLdevBlocks + " (2^48) blocks");
        }
    }
}
