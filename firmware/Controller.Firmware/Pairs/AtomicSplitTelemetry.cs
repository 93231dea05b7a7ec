// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.InteropServices;
using Controller.Firmware.Measurement;
using Controller.Firmware.PairVocabulary;

namespace Controller.Firmware.Pairs;

/// <summary>
/// What one atomic split cost the hosts: the hold of every write it held (freeze), per member and over all, the
/// drain, the commit and the release, and the split's whole latency, on the controller's clock. A bench reads its
/// stages here rather than from the split log, which is shared, bounded and formatted on reading.
/// </summary>
public sealed record AtomicSplitTelemetry
{
    /// <summary>Gets the mechanism.</summary>
    public AtomicSplitMechanism Mechanism { get; init; }

    /// <summary>Gets the number of members.</summary>
    public int MemberCount { get; init; }

    /// <summary>Gets the writes held (0 for a sequence cut).</summary>
    public int HeldWrites { get; init; }

    /// <summary>Gets the median hold of the held writes (zero when none was held).</summary>
    public TimeSpan HoldP50 { get; init; }

    /// <summary>Gets the 99th-percentile hold of the held writes.</summary>
    public TimeSpan HoldP99 { get; init; }

    /// <summary>Gets the longest hold.</summary>
    public TimeSpan HoldMax { get; init; }

    /// <summary>Gets every held write's hold, over all members (for percentiles over many splits).</summary>
    public IReadOnlyList<TimeSpan> HoldSamples { get; init; } = [];

    /// <summary>Gets the holds per member, in member order (a P-VOL shared by two members holds for both).</summary>
    public IReadOnlyList<MemberHold> Members { get; init; } = [];

    /// <summary>Gets the time from the hold (or cut) to the end of the drain.</summary>
    public TimeSpan Drain { get; init; }

    /// <summary>Gets the time from the end of the drain to the members' commit (null: the members never committed).</summary>
    public TimeSpan? Commit { get; init; }

    /// <summary>Gets the time from the commit until every held write was released (null: no commit, or nothing held to release).</summary>
    public TimeSpan? Release { get; init; }

    /// <summary>Gets the time from the command to its answer.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>The hold one member's P-VOL put on its host writes.</summary>
    /// <param name="Pair">The member.</param>
    /// <param name="HeldWrites">Writes held on its P-VOL.</param>
    /// <param name="P50">Median hold.</param>
    /// <param name="P99">99th-percentile hold.</param>
    /// <param name="Max">Longest hold.</param>
    public sealed record MemberHold(PairAddress Pair, int HeldWrites, TimeSpan P50, TimeSpan P99, TimeSpan Max);

    /// <summary>The nearest-rank percentile of clock ticks, as a time.</summary>
    /// <param name="sortedTicks">The samples, sorted.</param>
    /// <param name="percentile">0-100.</param>
    /// <param name="frequency">Ticks per second.</param>
    /// <returns>The percentile (zero for no samples).</returns>
    internal static TimeSpan Percentile(List<long> sortedTicks, double percentile, long frequency)
    {
        if (sortedTicks.Count == 0)
        {
            return TimeSpan.Zero;
        }

        long ticks = NearestRank.Of<long>(CollectionsMarshal.AsSpan(sortedTicks), percentile / 100);
        return TimeSpan.FromSeconds((double)ticks / frequency);
    }
}
