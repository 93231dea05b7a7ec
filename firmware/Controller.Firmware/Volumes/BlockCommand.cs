// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Volumes;

/// <summary>
/// A read or write of whole blocks on one LDEV, as queued to the MP that owns it. A small struct copied
/// into the ring slot; the data buffer is the caller's (pooled) and stays valid until completion.
/// </summary>
public readonly struct BlockCommand
{
    /// <summary>Initializes a command.</summary>
    /// <param name="kind">Read or write.</param>
    /// <param name="ldev">The target LDEV.</param>
    /// <param name="lba">The first block.</param>
    /// <param name="buffer">The data; its length is a multiple of 512 bytes.</param>
    /// <param name="completion">Told when the command ends.</param>
    /// <param name="tag">The caller's tag (an exchange ID, a write number).</param>
    public BlockCommand(BlockCommandKind kind, Ldev ldev, long lba, ArraySegment<byte> buffer, IBlockCommandCompletion completion, long tag)
    {
        Kind = kind;
        Ldev = ldev;
        Lba = lba;
        Buffer = buffer;
        Completion = completion;
        Tag = tag;
    }

    /// <summary>Gets the kind.</summary>
    public BlockCommandKind Kind { get; }

    /// <summary>Gets the target LDEV.</summary>
    public Ldev Ldev { get; }

    /// <summary>Gets the first block.</summary>
    public long Lba { get; }

    /// <summary>Gets the data buffer.</summary>
    public ArraySegment<byte> Buffer { get; }

    /// <summary>Gets the completion.</summary>
    public IBlockCommandCompletion Completion { get; }

    /// <summary>Gets the caller's tag.</summary>
    public long Tag { get; }
}
