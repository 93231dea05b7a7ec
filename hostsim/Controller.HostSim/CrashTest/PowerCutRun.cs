// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;

namespace Controller.HostSim.CrashTest;

/// <summary>
/// The embedded power-cut crash test (docs/durability.md, "The power-cut run"): thousands of seeded lives of an
/// embedded controller whose disks and state files lose at a cut what was not synced, each restarted from what
/// survived and checked: every acknowledged host write on its P-VOL, whole; every answered pair command's effect kept
/// (each pair as the restart table allows); a split S-VOL's image kept; after a resync S equals P block for block.
/// </summary>
internal static class PowerCutRun
{
    /// <summary>Runs the cuts one after another on the calling thread.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The counts.</returns>
    public static PowerCutRunResult Run(PowerCutRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Cuts < 0 || options.Pairs < 1 || options.MaxRounds < 1 || options.LdevBlocks < 16)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "a power-cut run needs 0 or more cuts, 1 or more pairs and rounds, and LDEVs of 16 blocks or more");
        }

        PowerCutRunResult result = new();
        Stopwatch clock = Stopwatch.StartNew();
        for (int cut = 0; cut < options.Cuts; cut++)
        {
            PowerCutCycle.Run(options, options.Seed + (ulong)cut, result);
        }

        result.Elapsed = clock.Elapsed;
        return result;
    }
}
