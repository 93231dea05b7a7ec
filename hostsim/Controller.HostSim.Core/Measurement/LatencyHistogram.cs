// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Numerics;
using Controller.Firmware.Measurement;

namespace Controller.HostSim.Core.Measurement;

/// <summary>
/// A log-linear latency histogram (as HdrHistogram): 128 linear sub-buckets per power of two, so every recorded
/// value is kept within 0.8 % of its true value from 1 ns to hours, in 36 KiB. One writer per histogram (one per
/// worker), merged at the end: recording is a few instructions and no lock.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBucketBits = 7;
    private const int SubBuckets = 1 << SubBucketBits;
    private const int BucketCount = (64 - SubBucketBits + 1) * SubBuckets;

    private readonly long[] _counts = new long[BucketCount];

    /// <summary>Gets the number of values recorded.</summary>
    public long Count { get; private set; }

    /// <summary>Gets the largest value recorded, in nanoseconds.</summary>
    public long Max { get; private set; }

    /// <summary>Records one latency.</summary>
    /// <param name="nanoseconds">The latency; negative values count as 0.</param>
    public void Record(long nanoseconds)
    {
        long value = Math.Max(nanoseconds, 0);
        _counts[IndexOf(value)]++;
        Count++;
        if (value > Max)
        {
            Max = value;
        }
    }

    /// <summary>Adds another histogram's counts to this one.</summary>
    /// <param name="other">The other histogram.</param>
    public void Add(LatencyHistogram other)
    {
        for (int i = 0; i < BucketCount; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        Max = Math.Max(Max, other.Max);
    }

    /// <summary>The nearest-rank percentile (<see cref="NearestRank"/>): the midpoint of the bucket that holds it, at most the largest value.</summary>
    /// <param name="fraction">E.g. 0.99 for p99.</param>
    /// <returns>The percentile in nanoseconds, or 0 when nothing was recorded.</returns>
    public long Percentile(double fraction)
    {
        if (Count == 0)
        {
            return 0;
        }

        long rank = NearestRank.RankOf(fraction, Count);
        long seen = 0;
        for (int i = 0; i < BucketCount; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Min((LowerBound(i) + LowerBound(i + 1)) / 2, Max);
            }
        }

        return Max;
    }

    /// <summary>
    /// The histogram in coarser buckets for charts: <paramref name="perOctave"/> buckets per power of two (a power of
    /// two itself), each with its lower bound in nanoseconds and its count; empty buckets are left out.
    /// </summary>
    /// <param name="perOctave">Buckets per doubling, 1 to 128.</param>
    /// <returns>The buckets, in increasing order.</returns>
    public List<(long LowerNanoseconds, long Count)> Coarse(int perOctave)
    {
        List<(long, long)> buckets = [];
        int step = Math.Max(1, SubBuckets / perOctave);
        for (int first = 0; first < BucketCount; first += step)
        {
            long count = 0;
            for (int i = first; i < Math.Min(first + step, BucketCount); i++)
            {
                count += _counts[i];
            }

            if (count > 0)
            {
                buckets.Add((LowerBound(first), count));
            }
        }

        return buckets;
    }

    internal static int IndexOf(long value)
    {
        if (value < SubBuckets)
        {
            return (int)value;
        }

        int shift = 63 - BitOperations.LeadingZeroCount((ulong)value) - SubBucketBits;
        return ((shift + 1) << SubBucketBits) + (int)((value >> shift) - SubBuckets);
    }

    internal static long LowerBound(int index)
    {
        int shift = (index >> SubBucketBits) - 1;
        return shift < 0 ? index : (long)((index & (SubBuckets - 1)) + SubBuckets) << shift;
    }
}
