// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Pairs;

/// <summary>Why a pair event happened: a command, or the controller itself.</summary>
public enum PairEventCause
{
    /// <summary>A pair command (its operation is in the event).</summary>
    Command = 0,

    /// <summary>The copy engine finished the initial copy, resync or restore: the pair is PAIR.</summary>
    CopyComplete = 1,

    /// <summary>The copy engine could not read a track of the copy source: the pair is suspended (PSUE).</summary>
    CopyReadError = 2,

    /// <summary>A mirror write or a copied track could not be written to its target: the pair is suspended (PSUE).</summary>
    MirrorWriteError = 3,

    /// <summary>The target volume's MP queue was full for a mirror write: the pair is suspended (PSUE), never silently behind.</summary>
    MirrorQueueFull = 4,

    /// <summary>An atomic split committed this member (the split log has the split's steps).</summary>
    AtomicSplit = 5,

    /// <summary>
    /// An aborted sequence cut only marked this member's writes from the cut on: a resync of exactly those tracks
    /// brings the S-VOL back (PAIR -> COPY(RS) -> PAIR); no member ends split.
    /// </summary>
    SplitAborted = 6,

    /// <summary>The remote-copy link went down, or an update copy was lost on it: the remote pair is suspended (PSUE).</summary>
    LinkDown = 7,

    /// <summary>The secondary refused an update copy (its side of the pair is not mirroring): the pair is suspended (PSUE).</summary>
    PeerRefused = 8,

    /// <summary>The pair's primary told this subsystem (its secondary) the pair's new state.</summary>
    PeerCommand = 9,

    /// <summary>The controller restarted and restored the row from its kept state (docs/durability.md, the restart table).</summary>
    Restart = 10,
}
