// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.CrashTest;

/// <summary>
/// What a <see cref="PowerCutRun"/> counted. Every count comes from a check made after a restart on what survived the
/// cut; <see cref="Passed"/> is true only when nothing acknowledged was lost.
/// </summary>
internal sealed class PowerCutRunResult
{
    /// <summary>Gets or sets the power cuts made (each followed by a restart and the checks).</summary>
    public int Cuts { get; set; }

    /// <summary>Gets or sets the cuts that landed inside a state-file operation (a commit or a checkpoint cut short).</summary>
    public int CutsInsideStateFiles { get; set; }

    /// <summary>Gets or sets the unsynced state-file changes the cuts dropped or tore (appends, truncations, renames, creates).</summary>
    public long StateChangesDamaged { get; set; }

    /// <summary>Gets or sets the unsynced volume writes the cuts dropped or tore (in the disks' volatile caches).</summary>
    public long VolumeWritesDamaged { get; set; }

    /// <summary>Gets or sets the host writes answered GOOD before the cut.</summary>
    public long WritesAcknowledged { get; set; }

    /// <summary>Gets or sets the acknowledged writes found wholly missing on their P-VOL after the restart.</summary>
    public long WritesLost { get; set; }

    /// <summary>Gets or sets the acknowledged writes found partly missing (some blocks older) or damaged after the restart.</summary>
    public long WritesTorn { get; set; }

    /// <summary>Gets or sets the pair commands answered before the cut (accepted or refused).</summary>
    public long PairCommandsAcknowledged { get; set; }

    /// <summary>Gets or sets the pair rows checked against the restart table after a restart.</summary>
    public long PairsChecked { get; set; }

    /// <summary>Gets or sets the split S-VOLs whose image was checked block by block after a restart.</summary>
    public long SplitImagesChecked { get; set; }

    /// <summary>
    /// Gets or sets the state violations: a pair (or its absence) the restart table does not allow from anything the
    /// controller could have kept (so an answered command's effect was lost), a kept state that could not be loaded
    /// or restored, or a pair that did not reach PAIR after its resync.
    /// </summary>
    public long StateViolations { get; set; }

    /// <summary>Gets or sets the blocks that differ where they must not: a split S-VOL outside its image, or S from P after the resync.</summary>
    public long Mismatches { get; set; }

    /// <summary>Gets or sets how long the run took.</summary>
    public TimeSpan Elapsed { get; set; }

    /// <summary>Gets the first failures, one line each, with the seed that reproduces it.</summary>
    public List<string> Failures { get; } = [];

    /// <summary>Gets whether nothing acknowledged was lost and every check held.</summary>
    public bool Passed => WritesLost == 0 && WritesTorn == 0 && StateViolations == 0 && Mismatches == 0;

    /// <summary>Gets the cuts per minute of wall time (measured: cuts over the run's elapsed time).</summary>
    public double CutsPerMinute => Elapsed > TimeSpan.Zero ? Cuts / Elapsed.TotalMinutes : 0;
}
