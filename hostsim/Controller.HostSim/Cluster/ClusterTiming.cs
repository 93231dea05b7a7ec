// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.Cluster;

/// <summary>The clustering software's timing (R2-13, R2-30).</summary>
/// <param name="Interval">How often each host sends a heartbeat.</param>
/// <param name="Timeout">How long without one before the clustering software declares a heartbeat failure.</param>
/// <param name="Stagger">
/// In the scenarios where one host must detect the failure first, how much longer the other host's timeout is (its
/// clustering software is slower to notice: a longer timeout, a busy node).
/// </param>
/// <param name="ReReserveInterval">How often the owner re-reserves to defend its reservation (MSCS's defense; zero: never).</param>
internal sealed record ClusterTiming(TimeSpan Interval, TimeSpan Timeout, TimeSpan Stagger, TimeSpan ReReserveInterval)
{
    /// <summary>The default: a beat every 20 ms, a failure after 100 ms of silence, 250 ms between the hosts, the owner re-reserving every 50 ms.</summary>
    public static readonly ClusterTiming Default = new(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(50));
}
