// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Media;

/// <summary>
/// The RAM store's track allocator: tracks are carved from slabs of several tracks, each slab one pinned array.
/// Slabs start small and double up to <see cref="MaxSlabBytes"/>, and never hold more tracks than the volume has
/// left to give, so a volume written in a few places reserves little and a small volume never more than its size.
/// </summary>
/// <remarks>
/// A first touch takes a track with one atomic increment. A lock is taken only to add a slab (once per up to 256
/// tracks of 64 KiB) and to reuse a track given back (a track made unwritten, or the loser of two first touches
/// of the same track); the common path never sees it.
/// </remarks>
internal sealed class TrackSlabAllocator
{
    /// <summary>The tracks in a volume's first slab.</summary>
    public const int FirstSlabTracks = 16;

    /// <summary>The largest slab in bytes (16 MiB: 256 tracks of 64 KiB).</summary>
    public const int MaxSlabBytes = 16 << 20;

    private readonly int _trackSize;
    private readonly int _maxSlabTracks;
    private readonly Lock _lock = new();
    private readonly Stack<SlabTrack> _free = new();
    private readonly Queue<TrackSlab> _reserved = new();
    private TrackSlab? _current;
    private long _tracksLeft;
    private long _reservedBytes;
    private int _freeCount;

    /// <summary>Initializes an allocator that has reserved nothing yet.</summary>
    /// <param name="trackSize">The track size in bytes.</param>
    /// <param name="volumeTracks">The volume's track count: the most tracks its slabs will hold together.</param>
    public TrackSlabAllocator(int trackSize, long volumeTracks)
    {
        _trackSize = trackSize;
        _maxSlabTracks = Math.Max(1, MaxSlabBytes / trackSize);
        _tracksLeft = volumeTracks;
    }

    /// <summary>Gets the bytes of slabs allocated so far (the tracks handed out, given back and not yet used).</summary>
    public long ReservedBytes => Volatile.Read(ref _reservedBytes);

    /// <summary>Takes a zeroed track.</summary>
    /// <returns>The track; no one else holds it.</returns>
    public SlabTrack Take()
    {
        if (Volatile.Read(ref _freeCount) != 0)
        {
            lock (_lock)
            {
                if (_free.TryPop(out SlabTrack? reused))
                {
                    _freeCount--;
                    return reused;
                }
            }
        }

        while (true)
        {
            TrackSlab? slab = Volatile.Read(ref _current);
            if (slab is not null && slab.TryCarve(out SlabTrack? track))
            {
                return track;
            }

            Grow(slab);
        }
    }

    /// <summary>Gives a track back for a later <see cref="Take"/>.</summary>
    /// <param name="track">A track no one reads or writes any more.</param>
    /// <param name="written">True if it may hold data (it is zeroed here); false for a track never written.</param>
    public void Give(SlabTrack track, bool written)
    {
        if (written)
        {
            track.Bytes.Clear();
        }

        lock (_lock)
        {
            _free.Push(track);
            _freeCount++;
        }
    }

    /// <summary>
    /// Allocates every slab the volume can still need and faults its pages in now, so that no later first write
    /// waits on the allocator or the kernel: a format of the RAM LDEV. The tracks are still handed out by first
    /// writes (a provisioned track is not a written one).
    /// </summary>
    /// <returns>The bytes reserved by this call.</returns>
    public long ReserveAll()
    {
        lock (_lock)
        {
            long reserved = 0;
            while (_tracksLeft > 0)
            {
                int tracks = (int)Math.Min(_maxSlabTracks, _tracksLeft);
                _tracksLeft -= tracks;
                TrackSlab slab = new(_trackSize, tracks, prefault: true);
                _reserved.Enqueue(slab);
                reserved += slab.SizeBytes;
            }

            Volatile.Write(ref _reservedBytes, _reservedBytes + reserved);
            return reserved;
        }
    }

    // Replaces a used-up slab (or the missing first one) unless another thread has done it already.
    private void Grow(TrackSlab? usedUp)
    {
        lock (_lock)
        {
            if (!ReferenceEquals(Volatile.Read(ref _current), usedUp))
            {
                return;
            }

            if (_reserved.TryDequeue(out TrackSlab? provisioned))
            {
                Volatile.Write(ref _current, provisioned);
                return;
            }

            long tracks = usedUp is null ? Math.Min(FirstSlabTracks, _maxSlabTracks) : Math.Min(usedUp.TrackCount * 2L, _maxSlabTracks);

            // Never past the volume's own size; at least one track, since a track given back late (the loser of a
            // race still holding its track) can leave a first touch without one for a moment.
            tracks = Math.Max(1, Math.Min(tracks, _tracksLeft));
            _tracksLeft -= tracks;
            TrackSlab slab = new(_trackSize, (int)tracks);
            Volatile.Write(ref _reservedBytes, _reservedBytes + slab.SizeBytes);
            Volatile.Write(ref _current, slab);
        }
    }
}
