// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Scheduling;

namespace Controller.Benchmarks;

/// <summary>Seeded inputs shared by the suites, so every suite's random writes are made the same way.</summary>
internal static class WorkloadData
{
    /// <summary>Random LBAs of 4 KiB writes (aligned to 8 blocks) over a volume, from a fixed seed.</summary>
    public static long[] Random4KLbas(int count, long volumeBlocks, ulong seed)
    {
        SplitMix64 random = new(seed);
        long[] lbas = new long[count];
        for (int i = 0; i < count; i++)
        {
            lbas[i] = (long)(random.NextUInt64() % (ulong)(volumeBlocks / 8)) * 8;
        }

        return lbas;
    }
}
