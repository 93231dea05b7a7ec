// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Volumes;

/// <summary>
/// The one command type of an MP queue: a host read or write, a mirror write, or a task, for one LDEV. A small
/// struct copied into the ring slot; the data buffer is the caller's (pooled) and stays valid until completion.
/// </summary>
public readonly struct BlockCommand
{
    /// <summary>Initializes a host read or write.</summary>
    /// <param name="kind">Read or write.</param>
    /// <param name="ldev">The target LDEV.</param>
    /// <param name="lba">The first block.</param>
    /// <param name="buffer">The data; its length is a multiple of 512 bytes.</param>
    /// <param name="completion">Told when the command ends.</param>
    /// <param name="tag">The caller's tag (an exchange ID, a write number).</param>
    public BlockCommand(BlockCommandKind kind, Ldev ldev, long lba, ArraySegment<byte> buffer, IBlockCommandCompletion completion, long tag)
        : this(kind, ldev, lba, buffer, completion, tag, null, null, 0)
    {
    }

    /// <summary>Initializes a host command that may carry the FUA bit.</summary>
    /// <param name="kind">Read, write or synchronize.</param>
    /// <param name="ldev">The target LDEV.</param>
    /// <param name="lba">The first block.</param>
    /// <param name="buffer">The data; its length is a multiple of 512 bytes.</param>
    /// <param name="completion">Told when the command ends.</param>
    /// <param name="tag">The caller's tag (an exchange ID, a write number).</param>
    /// <param name="forceUnitAccess">For a write, the FUA bit: answered only once the data is on stable storage.</param>
    public BlockCommand(BlockCommandKind kind, Ldev ldev, long lba, ArraySegment<byte> buffer, IBlockCommandCompletion completion, long tag, bool forceUnitAccess)
        : this(kind, ldev, lba, buffer, completion, tag, null, null, 0)
    {
        ForceUnitAccess = forceUnitAccess;
    }

    private BlockCommand(BlockCommandKind kind, Ldev ldev, long lba, ArraySegment<byte> buffer, IBlockCommandCompletion? completion, long tag, VolumeRelation? relation, IMpTask? task, long sequence)
    {
        Sequence = sequence;
        Kind = kind;
        Ldev = ldev;
        Lba = lba;
        Buffer = buffer;
        Completion = completion!;
        Tag = tag;
        Relation = relation;
        Task = task;
    }

    /// <summary>Gets the kind.</summary>
    public BlockCommandKind Kind { get; }

    /// <summary>
    /// Gets, for a host write, the FUA bit (SBC-3): the answer waits for stable storage whatever the LDEV's write
    /// cache policy.
    /// </summary>
    public bool ForceUnitAccess { get; init; }

    /// <summary>Gets the target LDEV.</summary>
    public Ldev Ldev { get; }

    /// <summary>Gets the first block.</summary>
    public long Lba { get; }

    /// <summary>Gets the data buffer.</summary>
    public ArraySegment<byte> Buffer { get; }

    /// <summary>Gets the completion (null for a task).</summary>
    public IBlockCommandCompletion Completion { get; }

    /// <summary>Gets the caller's tag.</summary>
    public long Tag { get; }

    /// <summary>
    /// Gets, for a mirror write or a copied track, the relation it is written for (a pair, whose S-VOL is
    /// <see cref="Ldev"/>); null for a host command.
    /// </summary>
    public VolumeRelation? Relation { get; }

    /// <summary>
    /// Gets, for a mirror write, the write sequence number of the host write it copies (a sequence cut decides by
    /// it, cascades included); <see cref="long.MaxValue"/> for a copied track, which carries no one write.
    /// </summary>
    public long Sequence { get; }

    /// <summary>Gets, for a task, what to run.</summary>
    public IMpTask? Task { get; }

    /// <summary>Makes a mirror write: an update copy or a copied track, delivered by a pair to its target.</summary>
    /// <param name="relation">The pair delivering it.</param>
    /// <param name="target">The volume written.</param>
    /// <param name="lba">The first block.</param>
    /// <param name="buffer">The data (shared with the origin write; read only).</param>
    /// <param name="fanIn">Told when the write and everything it caused downstream have ended.</param>
    /// <param name="tag">The origin's tag.</param>
    /// <param name="sequence">The origin host write's sequence number.</param>
    /// <returns>The command.</returns>
    internal static BlockCommand MirrorWrite(VolumeRelation relation, Ldev target, long lba, ArraySegment<byte> buffer, IBlockCommandCompletion fanIn, long tag, long sequence)
    {
        return new BlockCommand(BlockCommandKind.MirrorWrite, target, lba, buffer, fanIn, tag, relation, null, sequence);
    }

    /// <summary>Makes a copied track's write: like a mirror write, but the target may keep the buffer.</summary>
    /// <param name="relation">The pair being copied.</param>
    /// <param name="target">The volume written.</param>
    /// <param name="lba">The track's first block.</param>
    /// <param name="buffer">The track's data, in a buffer of the copy engine's pool.</param>
    /// <param name="fanIn">Told when the write and everything it caused downstream have ended.</param>
    /// <param name="track">The track number (the tag).</param>
    /// <returns>The command.</returns>
    internal static BlockCommand CopyWrite(VolumeRelation relation, Ldev target, long lba, ArraySegment<byte> buffer, IBlockCommandCompletion fanIn, long track)
    {
        return new BlockCommand(BlockCommandKind.CopyWrite, target, lba, buffer, fanIn, track, relation, null, long.MaxValue);
    }

    /// <summary>Makes a task for the MP that owns an LDEV.</summary>
    /// <param name="ldev">The LDEV whose MP runs it.</param>
    /// <param name="task">The task.</param>
    /// <returns>The command.</returns>
    internal static BlockCommand ForTask(Ldev ldev, IMpTask task)
    {
        return new BlockCommand(BlockCommandKind.Task, ldev, 0, default, null, 0, null, task, 0);
    }

    /// <summary>Gives the same command another buffer (a copied track whose target kept the original).</summary>
    /// <param name="buffer">The buffer now belonging to the command.</param>
    /// <returns>The command.</returns>
    internal BlockCommand WithBuffer(ArraySegment<byte> buffer)
    {
        return new BlockCommand(Kind, Ldev, Lba, buffer, Completion, Tag, Relation, Task, Sequence) { ForceUnitAccess = ForceUnitAccess };
    }
}
