// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Microsoft.Extensions.ObjectPool;

namespace Controller.Firmware.Pairs;

/// <summary>
/// The copy engine's one-track buffers, kept between copies so that a resync does not allocate per track, and
/// one shared track of zeros that stands for every unwritten source track (never written to, never pooled).
/// </summary>
internal sealed class TrackBufferPool
{
    private readonly ObjectPool<byte[]> _pool;

    /// <summary>Initializes a pool.</summary>
    /// <param name="trackBytes">The track size.</param>
    /// <param name="retained">The most idle buffers kept.</param>
    public TrackBufferPool(int trackBytes, int retained)
    {
        _pool = new DefaultObjectPool<byte[]>(new Policy(trackBytes), retained);
        Zeros = new byte[trackBytes];
    }

    /// <summary>Gets a track of zeros: the data of a track never written. Read only.</summary>
    public byte[] Zeros { get; }

    /// <summary>Takes a buffer; its contents are undefined.</summary>
    /// <returns>A buffer of one track.</returns>
    public byte[] Rent()
    {
        return _pool.Get();
    }

    /// <summary>Gives a buffer back (the zeros track and buffers of another size are ignored).</summary>
    /// <param name="buffer">The buffer.</param>
    public void Return(byte[] buffer)
    {
        if (!ReferenceEquals(buffer, Zeros))
        {
            _pool.Return(buffer);
        }
    }

    // A new buffer is not zeroed (a track is read into it whole before anyone looks at it) and lives on the pinned
    // object heap like the stores' tracks, since a target store may keep it as a track.
    private sealed class Policy(int trackBytes) : IPooledObjectPolicy<byte[]>
    {
        public byte[] Create()
        {
            return GC.AllocateUninitializedArray<byte>(trackBytes, pinned: true);
        }

        public bool Return(byte[] obj)
        {
            return obj.Length == trackBytes;
        }
    }
}
