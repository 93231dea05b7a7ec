// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;
using Controller.Firmware.Persistence;

namespace Controller.HostSim.CrashTest;

/// <summary>What a <see cref="PowerCutRun"/> does: how many cuts, from which seed, over how many pairs.</summary>
internal sealed record PowerCutRunOptions
{
    /// <summary>Gets the first cut's seed; cut n uses <c>Seed + n</c>, so any failing cut can be run again alone.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Gets the number of power cuts (each a whole life: load, pair commands, the cut, a restart, the checks).</summary>
    public int Cuts { get; init; } = 1000;

    /// <summary>Gets the number of local mirror pairs (each a P-VOL and an S-VOL on their own power-cut disks).</summary>
    public int Pairs { get; init; } = 3;

    /// <summary>Gets each LDEV's size in 512-byte blocks (small: a whole-volume comparison runs at every cut).</summary>
    public long LdevBlocks { get; init; } = 1024;

    /// <summary>Gets the most driver rounds before the cut (host writes, scheduler steps, commands, commits, checkpoints).</summary>
    public int MaxRounds { get; init; } = 60;

    /// <summary>
    /// Gets the write policy of the disks: write-through (the default: GOOD only after the sync) or write-back, the
    /// control, which answers from the disk's cache and so loses acknowledged writes at a cut.
    /// </summary>
    public WriteCachePolicy Policy { get; init; } = WriteCachePolicy.WriteThrough;

    /// <summary>Gets the most failure messages the result keeps (the counts count them all).</summary>
    public int MaxFailureMessages { get; init; } = 20;

    /// <summary>
    /// Gets a wrapper put between the kept state and the power-cut file system, or null: a test double that breaks the
    /// sync discipline (skips a sync) shows that the run detects what that loses.
    /// </summary>
    public Func<IStateFileSystem, IStateFileSystem>? StateFiles { get; init; }
}
