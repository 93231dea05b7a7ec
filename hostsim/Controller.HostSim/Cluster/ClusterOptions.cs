// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Pairs;

namespace Controller.HostSim.Cluster;

/// <summary>What a cluster run can be configured with (R2-30).</summary>
internal sealed record ClusterOptions
{
    public ClusterTiming Timing { get; init; } = ClusterTiming.Default;

    public PvcOptions Pvc { get; init; } = new();

    /// <summary>Gets the copy pace of both storages (how long the determining and data pairs' copies take).</summary>
    public CopyPace Pace { get; init; } = CopyPace.Default;

    /// <summary>Gets the one-way delay of each remote-copy link's messages (embedded site only).</summary>
    public TimeSpan LinkLatency { get; init; }

    /// <summary>Gets each volume's capacity: 16 MiB.</summary>
    public long Blocks { get; init; } = 16L * 1024 * 1024 / 512;

    /// <summary>Gets whether a host that loses a reserve while active stops using the data (R2-16's self-fence).</summary>
    public bool SelfFence { get; init; } = true;

    /// <summary>
    /// Gets, for heartbeat-only, the host (1 or 2) whose heartbeat timeout is shorter by the stagger, so that its
    /// RESERVE reaches the storage first; 0: both time out together.
    /// </summary>
    public int First { get; init; }

    /// <summary>Gets the arbitrations of the repeated scenario (R2-27).</summary>
    public int Cycles { get; init; } = 4;

    /// <summary>Gets SD1, a running controllerd (with SD2), or null for the embedded site.</summary>
    public System.Net.IPEndPoint? Sd1 { get; init; }

    /// <summary>Gets SD2, a running controllerd, or null.</summary>
    public System.Net.IPEndPoint? Sd2 { get; init; }

    /// <summary>Gets how long a scenario waits for a host's decision or a pair's state before it fails.</summary>
    public TimeSpan Patience { get; init; } = TimeSpan.FromSeconds(20);
}
