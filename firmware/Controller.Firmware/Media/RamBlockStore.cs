// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Collections;

namespace Controller.Firmware.Media;

/// <summary>
/// Sparse RAM media: a track's buffer is allocated on the first write that touches it, unwritten blocks
/// read as zeros, and memory grows with the data written, so a 2^48-block LDEV costs nothing up front.
/// </summary>
public sealed class RamBlockStore : IBlockDevice, ITrackStore
{
    private readonly SparseArray<byte[]> _tracks;
    private readonly TrackGeometry _geometry;

    /// <summary>Initializes an empty store.</summary>
    /// <param name="blockCount">The capacity in blocks, 1 to 2^48.</param>
    /// <param name="geometry">The controller's track geometry; tracks are the unit of allocation.</param>
    public RamBlockStore(long blockCount, TrackGeometry geometry)
    {
        BlockRange.ValidateCapacity(blockCount);
        BlockCount = blockCount;
        _geometry = geometry;
        _tracks = new SparseArray<byte[]>(geometry.TrackCount(blockCount));
    }

    /// <inheritdoc/>
    public long BlockCount { get; }

    /// <summary>Gets how many tracks have been allocated by writes.</summary>
    public long AllocatedTrackCount => _tracks.PopulatedCount;

    /// <summary>Gets the bytes of track buffers allocated so far (the store's data footprint).</summary>
    public long AllocatedBytes => _tracks.PopulatedCount * _geometry.TrackSizeBytes;

    /// <inheritdoc/>
    public MediaStatus Read(long lba, Span<byte> destination)
    {
        MediaStatus status = BlockRange.Check(lba, destination.Length, BlockCount);
        if (status != MediaStatus.Good)
        {
            return status;
        }

        long byteOffset = lba << TrackGeometry.BlockShift;
        int trackSize = _geometry.TrackSizeBytes;
        while (!destination.IsEmpty)
        {
            long track = byteOffset / trackSize;
            int offsetInTrack = (int)(byteOffset - (track * trackSize));
            int chunk = Math.Min(trackSize - offsetInTrack, destination.Length);
            byte[]? buffer = _tracks.Get(track);
            if (buffer is null)
            {
                destination.Slice(0, chunk).Clear();
            }
            else
            {
                buffer.AsSpan(offsetInTrack, chunk).CopyTo(destination);
            }

            destination = destination.Slice(chunk);
            byteOffset += chunk;
        }

        return MediaStatus.Good;
    }

    /// <inheritdoc/>
    public MediaStatus Write(long lba, ReadOnlySpan<byte> source)
    {
        MediaStatus status = BlockRange.Check(lba, source.Length, BlockCount);
        if (status != MediaStatus.Good)
        {
            return status;
        }

        long byteOffset = lba << TrackGeometry.BlockShift;
        int trackSize = _geometry.TrackSizeBytes;
        while (!source.IsEmpty)
        {
            long track = byteOffset / trackSize;
            int offsetInTrack = (int)(byteOffset - (track * trackSize));
            int chunk = Math.Min(trackSize - offsetInTrack, source.Length);
            byte[] buffer = _tracks.Get(track) ?? _tracks.GetOrSet(track, NewTrack(trackSize));
            source.Slice(0, chunk).CopyTo(buffer.AsSpan(offsetInTrack));
            source = source.Slice(chunk);
            byteOffset += chunk;
        }

        return MediaStatus.Good;
    }

    /// <inheritdoc/>
    public bool IsTrackWritten(long track)
    {
        return track >= 0 && track < _tracks.Length && _tracks.Get(track) is not null;
    }

    /// <inheritdoc/>
    public MediaStatus ReadTrack(long track, Span<byte> destination)
    {
        int trackSize = _geometry.TrackSizeBytes;
        if (track < 0 || (track + 1) * _geometry.BlocksPerTrack > BlockCount)
        {
            return MediaStatus.LbaOutOfRange;
        }

        if (destination.Length != trackSize)
        {
            return MediaStatus.LengthNotBlockMultiple;
        }

        byte[]? buffer = _tracks.Get(track);
        if (buffer is null)
        {
            destination.Clear();
        }
        else
        {
            StreamingCopy.Copy(buffer, destination);
        }

        return MediaStatus.Good;
    }

    /// <inheritdoc/>
    public bool TryExchangeTrack(long track, ref byte[]? buffer)
    {
        int trackSize = _geometry.TrackSizeBytes;
        if ((buffer is not null && buffer.Length != trackSize) || track < 0 || (track + 1) * _geometry.BlocksPerTrack > BlockCount)
        {
            return false;
        }

        buffer = _tracks.Exchange(track, buffer);
        return true;
    }

    /// <summary>
    /// Allocates a track's storage on the pinned object heap: volumes hold gigabytes of long-lived track buffers,
    /// which on the ordinary heap would be copied by every promotion from generation 0 to 2.
    /// </summary>
    /// <param name="trackSize">The track size in bytes.</param>
    /// <returns>A zeroed buffer.</returns>
    internal static byte[] NewTrack(int trackSize)
    {
        return GC.AllocateArray<byte>(trackSize, pinned: true);
    }

    /// <inheritdoc/>
    public MediaStatus Flush()
    {
        return MediaStatus.Good;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        // RAM media holds no OS resources.
    }
}
