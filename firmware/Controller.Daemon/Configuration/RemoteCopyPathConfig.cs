// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Net;
using Controller.Addressing;

namespace Controller.Daemon.Configuration;

/// <summary>A <c>remote-copy-path</c> line: this subsystem's initiator port to a secondary's FCIP listener and ports.</summary>
/// <param name="Initiator">This subsystem's remote-copy initiator port ID (the secondary lists it as a peer).</param>
/// <param name="Peer">The secondary's FCIP listener.</param>
/// <param name="PeerPorts">The secondary's target port IDs (S-VOLs on them use this path).</param>
/// <param name="Line">The line it was declared on.</param>
internal sealed record RemoteCopyPathConfig(PortId Initiator, IPEndPoint Peer, IReadOnlyList<PortId> PeerPorts, int Line)
{
    /// <summary>Gets the key the path proves itself with (the secondary's <c>remote-copy-peer ... key</c>).</summary>
    public byte[] Key { get; init; } = [];
}
