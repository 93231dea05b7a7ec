// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Net;
using Controller.Firmware.PairVocabulary;
using Controller.HostSim.Core.Load;
using Controller.HostSim.Hosts;
using Controller.Traces;

namespace Controller.HostSim.Load;

/// <summary>A load run around the generator: which controller, the mirrors and their splits, the recording.</summary>
internal sealed record LoadRunOptions
{
    /// <summary>The host port ID the load's commands come from (the demo host's).</summary>
    public const int InitiatorPortId = TraceImporter.DefaultInitiatorPortId;

    /// <summary>Gets the volumes (their capacities are filled in from the controller).</summary>
    public required IReadOnlyList<TraceVolume> Luns { get; init; }

    /// <summary>Gets the load itself; its volumes are replaced by <see cref="Luns"/> with their capacities.</summary>
    public required LoadSpec Spec { get; init; }

    /// <summary>Gets the controller to drive, or null for an embedded one with the LUN set (and the mirrors' S-VOLs).</summary>
    public IPEndPoint? Target { get; init; }

    /// <summary>Gets whether to drive the null target (no controller: the generator's own cost).</summary>
    public bool NullTarget { get; init; }

    /// <summary>Gets the capacity of each embedded volume, in 512-byte blocks.</summary>
    public long CapacityBlocks { get; init; } = Hosts.EmbeddedController.DefaultBlocks;

    /// <summary>
    /// Gets whether the embedded volumes stay sparse (memory taken by each track's first write during the load) instead
    /// of being provisioned before the clock starts.
    /// </summary>
    public bool Sparse { get; init; }

    /// <summary>Gets the embedded volumes' file store (<c>--store</c>, <c>--policy</c>), or null for RAM volumes.</summary>
    public EmbeddedStore? Store { get; init; }

    /// <summary>Gets the local mirrors created (and waited for, to PAIR) before the load starts.</summary>
    public IReadOnlyList<(TraceVolume PVol, TraceVolume SVol)> Mirrors { get; init; } = [];

    /// <summary>Gets the seconds into the load at which every mirror is split at one point (each split then resynced).</summary>
    public IReadOnlyList<double> SplitTimes { get; init; } = [];

    /// <summary>Gets the split mechanism.</summary>
    public AtomicSplitMechanism Mechanism { get; init; } = AtomicSplitMechanism.Freeze;

    /// <summary>Gets the pcap file the run's exchanges are recorded to, or null.</summary>
    public string? RecordPath { get; init; }

    /// <summary>Gets whether a progress bar is drawn on standard error while the load runs.</summary>
    public bool Progress { get; init; }
}
