// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics.CodeAnalysis;

namespace Controller.Firmware.Media;

/// <summary>
/// One pinned, zeroed array carved into tracks by a bump counter: a track is handed out by one
/// <see cref="Interlocked.Increment(ref int)"/>, without a lock and without an allocation.
/// </summary>
internal sealed class TrackSlab
{
    private readonly SlabTrack[] _tracks;
    private int _next;

    /// <summary>Initializes a slab: allocates and zeroes its array on the pinned object heap.</summary>
    /// <param name="trackSize">The track size in bytes.</param>
    /// <param name="tracks">How many tracks it holds (positive).</param>
    /// <param name="prefault">True to touch every page now (see <see cref="TrackSlabAllocator.ReserveAll"/>).</param>
    public TrackSlab(int trackSize, int tracks, bool prefault = false)
    {
        // Pinned: gigabytes of long-lived track data would otherwise be copied by every promotion from generation
        // 0 to 2; one array per slab instead of one per track keeps the pinned heap's allocations (a lock and a
        // garbage collection budget each) to a few per volume.
        byte[] memory = GC.AllocateArray<byte>(trackSize * tracks, pinned: true);
        if (prefault)
        {
            // The runtime maps fresh memory without touching it, so the kernel faults each page in (and zeroes it) at
            // its first write. Writing a zero into every page does that now; the bytes stay zero.
            int page = Environment.SystemPageSize;
            for (int offset = 0; offset < memory.Length; offset += page)
            {
                memory[offset] = 0;
            }
        }

        _tracks = new SlabTrack[tracks];
        for (int i = 0; i < tracks; i++)
        {
            _tracks[i] = new SlabTrack(memory, i * trackSize, trackSize);
        }

        SizeBytes = (long)trackSize * tracks;
    }

    /// <summary>Gets how many tracks the slab holds.</summary>
    public int TrackCount => _tracks.Length;

    /// <summary>Gets the slab's size in bytes.</summary>
    public long SizeBytes { get; }

    /// <summary>Takes the next track not yet handed out.</summary>
    /// <param name="track">The track, zeroed and never handed out before.</param>
    /// <returns>False when the slab is used up.</returns>
    public bool TryCarve([NotNullWhen(true)] out SlabTrack? track)
    {
        // Past the end the counter only grows by one per caller that finds the slab used up (each then replaces
        // the slab), so it cannot wrap.
        int index = Interlocked.Increment(ref _next) - 1;
        if (index < _tracks.Length)
        {
            track = _tracks[index];
            return true;
        }

        track = null;
        return false;
    }
}
