// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Net;
using Controller.Firmware.PairVocabulary;
using Controller.Traces;

namespace Controller.HostSim.Replay;

/// <summary>How <c>hostsim replay</c> runs a trace.</summary>
internal sealed record ReplayOptions
{
    /// <summary>Gets when each command is sent.</summary>
    public ReplayTiming Timing { get; init; } = ReplayTiming.Asap;

    /// <summary>Gets the speed factor of <see cref="ReplayTiming.Scaled"/> (2 = twice as fast as recorded).</summary>
    public double Speed { get; init; } = 1;

    /// <summary>Gets the most commands outstanding at once.</summary>
    public int QueueDepth { get; init; } = 32;

    /// <summary>Gets the controller to drive, or null for an embedded one built from the trace.</summary>
    public IPEndPoint? Target { get; init; }

    /// <summary>Gets the least capacity of each embedded volume, in 512-byte blocks (more when the trace needs it).</summary>
    public long CapacityBlocks { get; init; } = Hosts.EmbeddedController.DefaultBlocks;

    /// <summary>Gets the local mirrors created (and waited for, to PAIR) before the first command.</summary>
    public IReadOnlyList<(TraceVolume PVol, TraceVolume SVol)> Mirrors { get; init; } = [];

    /// <summary>Gets the exchange numbers before which every mirror is split at one point (ATOMIC SPLIT by list).</summary>
    public IReadOnlyList<long> SplitAt { get; init; } = [];

    /// <summary>Gets the split mechanism of <see cref="SplitAt"/>.</summary>
    public AtomicSplitMechanism Mechanism { get; init; } = AtomicSplitMechanism.Freeze;

    /// <summary>
    /// Gets whether answers that are not GOOD, where the trace recorded no answer to compare them with (an imported
    /// trace), are expected: without it they fail the replay.
    /// </summary>
    public bool AllowNotGood { get; init; }

    /// <summary>Gets the pcap file the replay's own exchanges are recorded to, or null.</summary>
    public string? RecordPath { get; init; }
}
