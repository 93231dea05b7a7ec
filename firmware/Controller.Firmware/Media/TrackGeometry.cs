// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Numerics;
using System.Runtime.CompilerServices;
using Controller.Addressing;

namespace Controller.Firmware.Media;

/// <summary>
/// Block and track geometry of one controller: 512-byte blocks grouped into tracks, the unit of the
/// differential bitmaps and of the copy engine. The track size is chosen per controller.
/// </summary>
public readonly struct TrackGeometry : IEquatable<TrackGeometry>
{
    /// <summary>The logical block size in bytes.</summary>
    public const int BlockSize = 512;

    /// <summary>log2 of <see cref="BlockSize"/>.</summary>
    public const int BlockShift = 9;

    /// <summary>The largest LDEV the controller accepts, in blocks (2^48).</summary>
    public const long MaxLdevBlocks = 1L << 48;

    /// <summary>A 48 KiB track (96 blocks).</summary>
    public const int TrackSize48K = 48 * 1024;

    /// <summary>A 64 KiB track (128 blocks), the default.</summary>
    public const int TrackSize64K = 64 * 1024;

    /// <summary>A 256 KiB track (512 blocks).</summary>
    public const int TrackSize256K = 256 * 1024;

    // log2(BlocksPerTrack) when that is a power of two, else -1: a shift is several times cheaper
    // than a 64-bit division on the per-write path.
    private readonly int _blocksPerTrackShift;

    /// <summary>Initializes a geometry with one of the supported track sizes.</summary>
    /// <param name="trackSizeBytes">48 KiB, 64 KiB or 256 KiB.</param>
    /// <exception cref="ArgumentOutOfRangeException">The size is not one of the supported ones.</exception>
    public TrackGeometry(int trackSizeBytes)
    {
        if (!IsSupportedTrackSize(trackSizeBytes))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(trackSizeBytes),
                "track size " + trackSizeBytes + " bytes is not supported; use 49152 (48 KiB), 65536 (64 KiB) or 262144 (256 KiB)");
        }

        TrackSizeBytes = trackSizeBytes;
        BlocksPerTrack = trackSizeBytes / BlockSize;
        _blocksPerTrackShift = BitOperations.IsPow2(BlocksPerTrack) ? BitOperations.Log2((uint)BlocksPerTrack) : -1;
    }

    /// <summary>Gets the default geometry: 64 KiB tracks.</summary>
    public static TrackGeometry Default => new(TrackSize64K);

    /// <summary>Gets the track size in bytes.</summary>
    public int TrackSizeBytes { get; }

    /// <summary>Gets the number of 512-byte blocks in one track.</summary>
    public int BlocksPerTrack { get; }

    /// <summary>Tells whether a track size is one the controller supports.</summary>
    /// <param name="trackSizeBytes">The size in bytes.</param>
    /// <returns>True for 48 KiB, 64 KiB and 256 KiB.</returns>
    public static bool IsSupportedTrackSize(int trackSizeBytes)
    {
        return trackSizeBytes is TrackSize48K or TrackSize64K or TrackSize256K;
    }

    /// <summary>Gets the track that holds a block.</summary>
    /// <param name="lba">The logical block address (non-negative).</param>
    /// <returns>The track number.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long TrackOfBlock(long lba)
    {
        return _blocksPerTrackShift >= 0 ? lba >> _blocksPerTrackShift : lba / BlocksPerTrack;
    }

    /// <summary>Gets the track that holds a byte.</summary>
    /// <param name="byteOffset">The byte offset from the start of the volume (non-negative).</param>
    /// <returns>The track number.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long TrackOfByte(long byteOffset)
    {
        return TrackOfBlock(byteOffset >> BlockShift);
    }

    /// <summary>Gets the first block of a track.</summary>
    /// <param name="track">The track number.</param>
    /// <returns>Its first logical block address.</returns>
    public long FirstBlockOfTrack(long track)
    {
        return track * BlocksPerTrack;
    }

    /// <summary>Gets how many tracks cover a volume, counting a partial last track.</summary>
    /// <param name="blockCount">The capacity in blocks.</param>
    /// <returns>The number of tracks.</returns>
    public long TrackCount(long blockCount)
    {
        return (blockCount + BlocksPerTrack - 1) / BlocksPerTrack;
    }

    /// <inheritdoc/>
    public bool Equals(TrackGeometry other)
    {
        return TrackSizeBytes == other.TrackSizeBytes;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj)
    {
        return obj is TrackGeometry other && Equals(other);
    }

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        return TrackSizeBytes;
    }

    /// <summary>Gets the geometry as people write it, e.g. "64 KiB tracks".</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        return (TrackSizeBytes / 1024) + " KiB tracks";
    }

    /// <summary>Compares two geometries.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>True when the track sizes are equal.</returns>
    public static bool operator ==(TrackGeometry left, TrackGeometry right)
    {
        return left.Equals(right);
    }

    /// <summary>Compares two geometries.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>True when the track sizes differ.</returns>
    public static bool operator !=(TrackGeometry left, TrackGeometry right)
    {
        return !left.Equals(right);
    }
}
