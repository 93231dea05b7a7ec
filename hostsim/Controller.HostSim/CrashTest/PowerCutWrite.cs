// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.CrashTest;

/// <summary>One host write of a power-cut run, as the ledger keeps it.</summary>
/// <param name="Id">The write's ID (from 1, in submission order).</param>
/// <param name="Volume">The P-VOL's index.</param>
/// <param name="Lba">The first block.</param>
/// <param name="Blocks">The blocks written.</param>
/// <param name="Submitted">The run's clock when it was submitted.</param>
internal sealed record PowerCutWrite(long Id, int Volume, long Lba, int Blocks, long Submitted)
{
    /// <summary>Gets or sets the run's clock when it was answered GOOD (0: not answered, or answered with an error).</summary>
    public long Acknowledged { get; set; }
}
