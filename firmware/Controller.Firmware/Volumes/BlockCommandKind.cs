// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Volumes;

/// <summary>What a <see cref="BlockCommand"/> does on the MP that owns its LDEV.</summary>
public enum BlockCommandKind
{
    /// <summary>A host read: blocks into the buffer.</summary>
    Read = 0,

    /// <summary>A host write: checked against the pair state, numbered, written, then mirrored or marked.</summary>
    Write = 1,

    /// <summary>
    /// A write arriving from a mirror or from the copy engine (an update copy): written without the host checks,
    /// then passed on to the volume's own mirrors (cascade). Its completion is the fan-in of the write it copies.
    /// </summary>
    MirrorWrite = 2,

    /// <summary>Runs an <see cref="IMpTask"/> (a copy step, a barrier) on the MP, between host commands.</summary>
    Task = 3,

    /// <summary>
    /// A track copied by the copy engine: a mirror write whose buffer the target may keep as the track's storage
    /// (<see cref="Media.ITrackStore"/>) instead of copying it, when no mirror downstream will read it.
    /// </summary>
    CopyWrite = 4,

    /// <summary>
    /// A host's SYNCHRONIZE CACHE: answered when every write this MP ran on the LDEV before it is on stable storage
    /// (at once for media with nothing to flush).
    /// </summary>
    Synchronize = 5,
}
