// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.RemoteCopy;

/// <summary>
/// A pair-control message the primary (the owner of a remote pair's state) sends its peer, so that both Copy
/// Management Tables agree on the pair (ARCHITECTURE.md §5). Numbered as on the wire (docs/remote-copy.md).
/// </summary>
public enum RemoteControlKind : byte
{
    /// <summary>Create the S side of a pair in COPY (the initial copy follows as copied tracks).</summary>
    Create = 1,

    /// <summary>Set the S side's state (PAIR when a copy ends, PSUS on a split, PSUE on a fault).</summary>
    SetState = 2,

    /// <summary>Enter COPY(RS) and hand over the S side's differential bitmap (the resync copies the union).</summary>
    Resync = 3,

    /// <summary>Delete the S side: the S-VOL is simplex again.</summary>
    Delete = 4,
}
