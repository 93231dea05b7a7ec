// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.Load;

/// <summary>One split made while the load ran.</summary>
/// <param name="AtSeconds">When it was sent, in seconds from the start of the load.</param>
/// <param name="Answer">The ATOMIC SPLIT's answer.</param>
/// <param name="Good">True when it answered GOOD.</param>
/// <param name="LatencyMicroseconds">From the command sent to its answer.</param>
/// <param name="ResyncSeconds">The resync after it, to PAIR (0 for the last split, which is left split).</param>
internal sealed record LoadSplit(double AtSeconds, string Answer, bool Good, double LatencyMicroseconds, double ResyncSeconds)
{
    /// <summary>Gets the consistency oracle's verdict on the split image (dependent-write mode), or null.</summary>
    public Controller.Workload.OracleVerdict? Verdict { get; init; }

    /// <summary>Gets whether the split succeeded and, when the oracle checked it, its image is consistent.</summary>
    public bool Passed => Good && (Verdict?.Consistent ?? true);
}
