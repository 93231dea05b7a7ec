// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Media;

namespace Controller.Firmware.RemoteCopy;

/// <summary>
/// The media of a volume that lives in the peer subsystem: the stand-in LDEV a remote pair's row holds for its
/// far side (the S-VOL at the primary, the P-VOL at the secondary). It has the far volume's capacity, so bitmaps and
/// copy sets are sized as for a local pair; it stores nothing. At the primary its LDEV is owned by an MP like any
/// other, and a mirror write or copied track queued to it is sent over <see cref="Path"/> from that MP, in the order
/// the MP took them (BlockCommandHandler), so updates of one pair leave in write order.
/// </summary>
public sealed class RemoteVolume : IBlockDevice
{
    /// <summary>Initializes the stand-in of a far volume.</summary>
    /// <param name="address">The far volume's address (port ID of the peer, LUN).</param>
    /// <param name="blockCount">Its capacity.</param>
    /// <param name="path">At the primary, the link updates go over; null at the secondary.</param>
    public RemoteVolume(VolumeAddress address, long blockCount, IRemoteCopyPath? path)
    {
        Address = address;
        BlockCount = blockCount;
        Path = path;
    }

    /// <summary>Gets the far volume's address.</summary>
    public VolumeAddress Address { get; }

    /// <summary>Gets the link to the far volume's subsystem (null at the secondary).</summary>
    public IRemoteCopyPath? Path { get; }

    /// <inheritdoc/>
    public long BlockCount { get; }

    /// <summary>Refuses: the blocks are in the other subsystem (a remote mirror has no restore, which would read them).</summary>
    /// <param name="lba">The first block.</param>
    /// <param name="destination">The buffer.</param>
    /// <returns><see cref="MediaStatus.MediumError"/>.</returns>
    public MediaStatus Read(long lba, Span<byte> destination)
    {
        return MediaStatus.MediumError;
    }

    /// <summary>Refuses: writes to the far volume go over the link as update copies, never through here.</summary>
    /// <param name="lba">The first block.</param>
    /// <param name="source">The data.</param>
    /// <returns><see cref="MediaStatus.MediumError"/>.</returns>
    public MediaStatus Write(long lba, ReadOnlySpan<byte> source)
    {
        return MediaStatus.MediumError;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// A write here completes when the secondary has answered it, so nothing is cached on this side; whether it is on
    /// stable storage there is the secondary's own store policy.
    /// </remarks>
    public WriteCachePolicy CachePolicy => WriteCachePolicy.WriteThrough;

    /// <inheritdoc/>
    public MediaStatus Flush()
    {
        return MediaStatus.Good;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
