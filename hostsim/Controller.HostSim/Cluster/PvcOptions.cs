// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.Cluster;

/// <summary>The paired volume control software's choices (R2-15, R2-30, seed 002 §9 item 5).</summary>
internal sealed record PvcOptions
{
    /// <summary>Gets whether a bus or device RESET splits the determining pair as RELEASE does (FIG 6), or passes through.</summary>
    public bool ResetSplits { get; init; } = true;

    /// <summary>
    /// Gets whether the owner's periodic re-reserve succeeds without a storage command (the default): under FIG 4 a
    /// resync of a PAIRED determining pair is ABNORMAL END, so forwarding it would make the owner lose its own lock.
    /// </summary>
    public bool OwnerReReserveWithoutCommand { get; init; } = true;
}
