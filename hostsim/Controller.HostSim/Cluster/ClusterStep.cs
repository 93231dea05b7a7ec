// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.Cluster;

/// <summary>
/// One step of a cluster scenario, as the figure captions show it: the determining pair's state on each side, the
/// data pair's, the hosts that can write the data, and whether R2-21 (at most one, and it holds the data P-VOL) held.
/// </summary>
internal sealed record ClusterStep(int Index, TimeSpan At, string Figure, string What, VolumeView Dv1, VolumeView Dv2, VolumeView Pv, VolumeView Sv, IReadOnlyList<string> Writers, bool InvariantHeld);

/// <summary>A host's event (its clustering software's decisions), in time order.</summary>
internal sealed record ClusterEvent(TimeSpan At, string Host, string What);
