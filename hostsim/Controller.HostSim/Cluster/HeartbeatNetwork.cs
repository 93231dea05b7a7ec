// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.Cluster;

/// <summary>
/// The heartbeat network between H1 and H2 (R2-1, '543 claim 2), in process: each host's clustering software sends a
/// beat every interval while the network is up and the host alive; each watches for the other's. Cutting it is the
/// communication event of '304 claim 1.
/// </summary>
internal sealed class HeartbeatNetwork
{
    private volatile bool _up = true;

    /// <summary>Gets whether beats get through.</summary>
    public bool IsUp => _up;

    /// <summary>Cuts the network: no beat gets through.</summary>
    public void Cut()
    {
        _up = false;
    }

    /// <summary>Restores it.</summary>
    public void Restore()
    {
        _up = true;
    }
}
