// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Benchmarks.Bitmaps;

/// <summary>The baseline every bitmap benchmark compares with: a flat ulong[], one bit per 64 KiB track.</summary>
internal static class FlatBitmap
{
    /// <summary>Marks the track of each 4 KiB write: read the word, and OR the bit in only if it is clear.</summary>
    public static void MarkChecked(ulong[] flat, long[] lbas)
    {
        foreach (long lba in lbas)
        {
            long track = lba >> 7;
            ref ulong word = ref flat[track >> 6];
            ulong mask = 1UL << (int)(track & 63);
            if ((Volatile.Read(ref word) & mask) == 0)
            {
                Interlocked.Or(ref word, mask);
            }
        }
    }
}
