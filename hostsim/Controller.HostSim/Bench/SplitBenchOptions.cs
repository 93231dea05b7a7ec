// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.PairVocabulary;

namespace Controller.HostSim.Bench;

/// <summary>What <c>hostsim bench split</c> runs.</summary>
internal sealed record SplitBenchOptions
{
    public int[] MemberCounts { get; init; } = [1, 8, 64, 512];

    public AtomicSplitMechanism[] Mechanisms { get; init; } = [AtomicSplitMechanism.SequenceCut, AtomicSplitMechanism.Freeze];

    /// <summary>Gets the splits per member count and mechanism (each followed by a resync).</summary>
    public int Splits { get; init; } = 200;

    public int QueueDepth { get; init; } = 32;

    public int LoadLuns { get; init; } = 8;

    public double WarmupSeconds { get; init; } = 0.5;

    /// <summary>Gets how long the load runs alone, for the baseline latency.</summary>
    public double BaselineSeconds { get; init; } = 2;

    public ulong Seed { get; init; } = 1;

    /// <summary>Gets the controller's MPs (0: the default, one per core).</summary>
    public int Mps { get; init; }

    /// <summary>
    /// Gets where to write one CSV line per timed split (null: nowhere): its start on the monotonic clock, so a
    /// trace taken with <c>perf sched record -k CLOCK_MONOTONIC</c> lines up with it (tools/split-tail.sh).
    /// </summary>
    public TextWriter? Samples { get; init; }
}
