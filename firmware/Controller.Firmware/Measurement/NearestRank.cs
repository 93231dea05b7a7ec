// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;

namespace Controller.Firmware.Measurement;

/// <summary>
/// The nearest-rank percentile, the one definition every percentile the product prints uses: the p-th percentile of
/// n samples is the sample of rank ceil(p * n) in increasing order (1-based, at least 1, at most n), so it is always
/// a value that was measured. The split telemetry and the cluster's takeover times pick it from sorted samples;
/// hostsim's latency histogram finds the bucket that holds it.
/// </summary>
public static class NearestRank
{
    /// <summary>The 1-based rank of a percentile among <paramref name="count"/> samples.</summary>
    /// <param name="fraction">The percentile as a fraction, 0 to 1 (0.99 for p99).</param>
    /// <param name="count">The number of samples, at least 1.</param>
    /// <returns>ceil(fraction * count), clamped to 1 .. count.</returns>
    public static long RankOf(double fraction, long count)
    {
        return Math.Clamp((long)Math.Ceiling(fraction * count), 1, Math.Max(count, 1));
    }

    /// <summary>The percentile of sorted samples.</summary>
    /// <typeparam name="T">The sample type.</typeparam>
    /// <param name="sorted">The samples in increasing order, at least one.</param>
    /// <param name="fraction">The percentile as a fraction, 0 to 1.</param>
    /// <returns>The sample of rank <see cref="RankOf"/>.</returns>
    public static T Of<T>(ReadOnlySpan<T> sorted, double fraction)
    {
        if (sorted.IsEmpty)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(sorted), "no samples");
        }

        return sorted[(int)RankOf(fraction, sorted.Length) - 1];
    }
}
