// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Volumes;

/// <summary>
/// Where the mirror writes and copied tracks queued to an LDEV go when its blocks are not on this subsystem's media:
/// a remote pair's S-VOL stand-in hands each one to its replication path (<c>Pairs.RemoteMirrorTarget</c>). An LDEV
/// without one is written on its own media. Called on the LDEV's MP, in the order the MP took the writes, so the
/// updates of one pair leave in write order.
/// </summary>
internal interface IMirrorTarget
{
    /// <summary>Takes one mirror write or copied track; its completion (the write's fan-in) is released when it is done.</summary>
    /// <param name="write">The write, with the relation it is for and its fan-in as completion.</param>
    void Write(in BlockCommand write);
}
