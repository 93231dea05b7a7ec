// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using Controller.Firmware.Collections;

namespace Controller.Firmware.Media;

/// <summary>
/// Sparse RAM media: a track's buffer is allocated on the first write that touches it, unwritten blocks
/// read as zeros, and memory grows with the data written, so a 2^48-block LDEV costs nothing up front.
/// </summary>
/// <remarks>
/// A track's storage is either a <see cref="SlabTrack"/> (a first write takes one from the
/// <see cref="TrackSlabAllocator"/>: many tracks per pinned array, no allocation per track) or a whole
/// <c>byte[]</c> the copy engine handed over (<see cref="TryExchangeTrack"/>).
/// </remarks>
public sealed class RamBlockStore : IBlockDevice, ITrackStore
{
    private readonly SparseArray<object> _tracks;
    private readonly TrackSlabAllocator _slabs;
    private readonly TrackGeometry _geometry;

    /// <summary>Initializes an empty store.</summary>
    /// <param name="blockCount">The capacity in blocks, 1 to 2^48.</param>
    /// <param name="geometry">The controller's track geometry; tracks are the unit of allocation.</param>
    public RamBlockStore(long blockCount, TrackGeometry geometry)
    {
        BlockRange.ValidateCapacity(blockCount);
        BlockCount = blockCount;
        _geometry = geometry;
        long tracks = geometry.TrackCount(blockCount);
        _tracks = new SparseArray<object>(tracks);
        _slabs = new TrackSlabAllocator(geometry.TrackSizeBytes, tracks);
    }

    /// <inheritdoc/>
    public long BlockCount { get; }

    /// <summary>Gets how many tracks have been allocated by writes.</summary>
    public long AllocatedTrackCount => _tracks.PopulatedCount;

    /// <summary>Gets the bytes of the tracks that have storage (the store's data footprint); <see cref="ReservedBytes"/> counts the slabs they are carved from.</summary>
    public long AllocatedBytes => _tracks.PopulatedCount * _geometry.TrackSizeBytes;

    /// <summary>
    /// Gets the bytes of track slabs allocated so far: the tracks in use plus the rest of the current slab and any
    /// track given back (at most the volume's size, give or take a track lost to a race of two first writes).
    /// </summary>
    public long ReservedBytes => _slabs.ReservedBytes;

    /// <summary>
    /// Reserves memory for every track not yet given storage and faults it in now, as formatting a volume does
    /// before hosts use it: first writes then cost no allocation and no page fault. Tracks stay unwritten (reads
    /// return zeros, the copy engine skips them) until a write touches them.
    /// </summary>
    /// <returns>The bytes reserved by this call (0 if everything was reserved already).</returns>
    public long Provision()
    {
        return _slabs.ReserveAll();
    }

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
            object? storage = _tracks.Get(track);
            if (storage is null)
            {
                destination.Slice(0, chunk).Clear();
            }
            else
            {
                Bytes(storage).Slice(offsetInTrack, chunk).CopyTo(destination);
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
            object storage = _tracks.Get(track) ?? FirstTouch(track);
            source.Slice(0, chunk).CopyTo(Bytes(storage).Slice(offsetInTrack));
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

        object? storage = _tracks.Get(track);
        if (storage is null)
        {
            destination.Clear();
        }
        else
        {
            StreamingCopy.Copy(Bytes(storage), destination);
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

        if (buffer is not null && _tracks.Get(track) is SlabTrack slabTrack)
        {
            // A slab's track cannot be handed out as an array: the data is copied into it, and the caller keeps its
            // buffer (for the copy engine's pool), so the slab's memory stays in use.
            buffer.CopyTo(slabTrack.Bytes);
            return true;
        }

        object? replaced = _tracks.Exchange(track, buffer);
        if (replaced is SlabTrack freed)
        {
            // Made unwritten: the track goes back to the allocator, zeroed, for the next first write.
            _slabs.Give(freed, written: true);
            buffer = null;
        }
        else
        {
            buffer = Unsafe.As<byte[]?>(replaced);
        }

        return true;
    }

    // Either kind of storage, as the track's bytes.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Span<byte> Bytes(object storage)
    {
        return storage.GetType() == typeof(SlabTrack) ? Unsafe.As<SlabTrack>(storage).Bytes : Unsafe.As<byte[]>(storage);
    }

    // The first write into a track gives it storage; of two racing first writes one wins, and the other's track
    // (never written) goes back to the allocator.
    private object FirstTouch(long track)
    {
        SlabTrack fresh = _slabs.Take();
        object winner = _tracks.GetOrSet(track, fresh);
        if (!ReferenceEquals(winner, fresh))
        {
            _slabs.Give(fresh, written: false);
        }

        return winner;
    }

    /// <inheritdoc/>
    /// <remarks>RAM is the medium: nothing stands between an acknowledged write and it, and nothing survives the process.</remarks>
    public WriteCachePolicy CachePolicy => WriteCachePolicy.VolatileMedium;

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
