// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Media;
using Controller.Firmware.Queues;

namespace Controller.Firmware.Volumes;

/// <summary>
/// A logical device: the unit the controller maps to LUNs and pairs into mirrors. It owns its media,
/// below the hardware boundary, and is owned by one MP, which runs every command that touches it.
/// </summary>
public sealed class Ldev : IDisposable
{
    private LdevAttachment? _attachment;
    private HoldGate? _hold;

    /// <summary>Initializes an LDEV over its media.</summary>
    /// <param name="id">The LDEV's identity.</param>
    /// <param name="media">The media; the LDEV takes ownership.</param>
    /// <param name="geometry">The controller's track geometry.</param>
    public Ldev(LdevId id, IBlockDevice media, TrackGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(media);
        Id = id;
        Media = media;
        Geometry = geometry;
    }

    /// <summary>Gets the LDEV's identity.</summary>
    public LdevId Id { get; }

    /// <summary>Gets the media below the hardware boundary.</summary>
    public IBlockDevice Media { get; }

    /// <summary>Gets the track geometry.</summary>
    public TrackGeometry Geometry { get; }

    /// <summary>Gets the capacity in blocks.</summary>
    public long BlockCount => Media.BlockCount;

    /// <summary>
    /// Gets the group commit of media that can be synced (a file store), set when a subsystem attaches the LDEV; null
    /// for RAM, where an acknowledged write has nothing further to wait for.
    /// </summary>
    internal GroupCommit? Commit { get; set; }

    /// <summary>
    /// Gets how many syncs (fdatasync) this LDEV's group commit has run: fewer than its writes when concurrent writes
    /// share one. 0 for media that is never synced (RAM).
    /// </summary>
    public long SyncCount => Commit?.FlushCount ?? 0;

    /// <summary>
    /// Gets the write-intent log of an LDEV whose pair state is kept (a file store), set when the subsystem is told to
    /// keep its intents; null otherwise, and then host writes never wait for one.
    /// </summary>
    public WriteIntent? Intent { get; internal set; }

    /// <summary>Gets the MP that owns this LDEV, once a subsystem attached it.</summary>
    public MpWorker<BlockCommand>? Owner { get; internal set; }

    /// <summary>
    /// Gets or sets what the layer above keeps on this LDEV (the pairs: its pairing), published for the MPs that read
    /// it without a lock; null while none was published.
    /// </summary>
    internal LdevAttachment? Attachment
    {
        get => Volatile.Read(ref _attachment);
        set => Volatile.Write(ref _attachment, value);
    }

    /// <summary>
    /// Gets where mirror writes and copied tracks to this LDEV go when its blocks are not on this subsystem's media
    /// (a remote S-VOL's stand-in); null for an LDEV written on its own media.
    /// </summary>
    internal IMirrorTarget? MirrorTarget { get; init; }

    /// <summary>
    /// Gets the hold of a freeze on this volume, or null: while it is set, the owning MP parks every write it takes
    /// for the volume. Published by the Copy Management Table, cleared on the owning MP by the release.
    /// </summary>
    internal HoldGate? Hold
    {
        get => Volatile.Read(ref _hold);
        set => Volatile.Write(ref _hold, value);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Media.Dispose();
    }
}
