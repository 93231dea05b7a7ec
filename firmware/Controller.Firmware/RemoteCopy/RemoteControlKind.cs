// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.RemoteCopy;

/// <summary>
/// A pair-control message the primary (the owner of a remote pair's state) sends its peer, so that both Copy
/// Management Tables agree on the pair (docs/architecture.md, "The remote-copy link"). Numbered as on the wire (docs/remote-copy.md).
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

    /// <summary>Define, replace or delete a mirror name whose members live in both subsystems (FIG 8, R0-29).</summary>
    NameMirrors = 5,

    /// <summary>
    /// A cross-subsystem sequence cut begins: the peer checks its members, arms the stream cut on those fed by the
    /// coordinator's replication stream and holds those its own hosts write, before the coordinator takes its point.
    /// </summary>
    SplitPrepare = 6,

    /// <summary>
    /// Split your members now (after holding and draining them, for a freeze): tentatively, until the coordinator
    /// confirms or aborts; the reply says it is done.
    /// </summary>
    SplitCommit = 7,

    /// <summary>The split is abandoned: release what is held, and bring back any member already split (resync).</summary>
    SplitAbort = 8,

    /// <summary>The coordinator committed too: the peer's tentative split is final (and its S-VOLs read/write if asked).</summary>
    SplitConfirm = 9,

    /// <summary>
    /// A pair command sent to the secondary, passed to the pair's owner (the primary), which decides it like one sent
    /// to it and answers: the one owner serializes the commands of both sides (seed 002 R2-9). A swap resync accepted
    /// this way moves the ownership: the owner becomes the secondary, hands over its differential bitmap with the
    /// reply, and the requester becomes the primary.
    /// </summary>
    PairCommand = 10,
}

/// <summary>Helpers for <see cref="RemoteControlKind"/>.</summary>
public static class RemoteControlKinds
{
    /// <summary>Tells whether a kind is one of the cross-subsystem split messages (prepare, commit, abort, confirm).</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>True for 6-9.</returns>
    public static bool IsSplitMessage(this RemoteControlKind kind)
    {
        return kind is >= RemoteControlKind.SplitPrepare and <= RemoteControlKind.SplitConfirm;
    }
}
