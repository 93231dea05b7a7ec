// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Traces;

namespace Controller.HostSim.Core.Load;

/// <summary>What a load does: the LUN set, the mix, the sizes, the pattern, the queue depth, the rate and the time.</summary>
public sealed record LoadSpec
{
    /// <summary>Gets the volumes written and read, each with its capacity in 512-byte blocks.</summary>
    public required IReadOnlyList<(TraceVolume Volume, long Blocks)> Volumes { get; init; }

    /// <summary>Gets the percentage of reads (0: all writes, 100: all reads).</summary>
    public int ReadPercent { get; init; }

    /// <summary>Gets the block sizes drawn from.</summary>
    public required BlockSizeMix BlockSizes { get; init; }

    /// <summary>Gets whether each volume is walked in order (one shared cursor per volume) rather than at random.</summary>
    public bool Sequential { get; init; }

    /// <summary>Gets the commands outstanding: one queue slot each.</summary>
    public int QueueDepth { get; init; } = 32;

    /// <summary>Gets the most commands started per second over the whole load, or 0 for no limit.</summary>
    public long RateLimit { get; init; }

    /// <summary>Gets how long the load runs, in seconds.</summary>
    public double Seconds { get; init; } = 10;

    /// <summary>Gets the most commands the load sends (fio's number_ios), or 0 for as many as its time allows.</summary>
    public long MaxCommands { get; init; }

    /// <summary>Gets the seed of the random choices (each slot draws from its own stream of it).</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>
    /// Gets whether a command may not touch blocks an outstanding one touches (fio's serialize_overlap): a new
    /// command that would is drawn again. A recording needs it, so that its answers do not depend on the target's
    /// order and a replay reproduces every one.
    /// </summary>
    public bool SerializeOverlap { get; init; }

    /// <summary>
    /// Gets whether the load is dependent write chains (seed 000 G2) instead of independent commands: one chain per
    /// queue slot, each write sent when the one before it is answered, spread over the LUN set; every split of a
    /// mirrored LUN is then checked by the consistency oracle.
    /// </summary>
    public bool Dependent { get; init; }
}
