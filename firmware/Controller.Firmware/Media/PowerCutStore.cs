// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Scheduling;

namespace Controller.Firmware.Media;

/// <summary>
/// A disk with a volatile write cache, for power-cut tests of the sync discipline (docs/durability.md): a write lands
/// in a volatile layer (reads see it, as they see the page cache); <see cref="Flush"/> moves the layer onto the stable
/// medium; <see cref="CutPower"/> loses the layer as a disk's cache would, each write since the last sync at seeded
/// random dropped, kept, or torn (some of its 512-byte blocks kept). Whatever a controller acknowledged as durable
/// must be on the stable medium after any cut. One lock guards it all: a test medium, meant for the deterministic
/// scheduler (thousands of cuts a second), not a fast one.
/// </summary>
public sealed class PowerCutStore : IBlockDevice
{
    private readonly RamBlockStore _stable;
    private readonly Lock _lock = new();
    private List<(long Lba, byte[] Data)> _volatile = [];

    /// <summary>Initializes an empty disk.</summary>
    /// <param name="blockCount">The capacity in blocks.</param>
    /// <param name="geometry">The track geometry of the stable medium's RAM.</param>
    /// <param name="policy">The policy the disk reports (write-through makes the controller sync before GOOD).</param>
    public PowerCutStore(long blockCount, TrackGeometry geometry, WriteCachePolicy policy)
    {
        _stable = new RamBlockStore(blockCount, geometry);
        CachePolicy = policy;
    }

    /// <inheritdoc/>
    public long BlockCount => _stable.BlockCount;

    /// <inheritdoc/>
    public WriteCachePolicy CachePolicy { get; }

    /// <summary>Gets the writes still only in the volatile layer.</summary>
    public int VolatileWrites
    {
        get
        {
            lock (_lock)
            {
                return _volatile.Count;
            }
        }
    }

    /// <inheritdoc/>
    public MediaStatus Read(long lba, Span<byte> destination)
    {
        lock (_lock)
        {
            MediaStatus status = _stable.Read(lba, destination);
            if (status != MediaStatus.Good)
            {
                return status;
            }

            // The volatile layer over the medium, oldest first, as the cache answers reads.
            long blocks = destination.Length / TrackGeometry.BlockSize;
            foreach ((long writeLba, byte[] data) in _volatile)
            {
                long first = Math.Max(lba, writeLba);
                long end = Math.Min(lba + blocks, writeLba + (data.Length / TrackGeometry.BlockSize));
                if (first < end)
                {
                    data.AsSpan((int)((first - writeLba) * TrackGeometry.BlockSize), (int)((end - first) * TrackGeometry.BlockSize))
                        .CopyTo(destination.Slice((int)((first - lba) * TrackGeometry.BlockSize)));
                }
            }

            return MediaStatus.Good;
        }
    }

    /// <inheritdoc/>
    public MediaStatus Write(long lba, ReadOnlySpan<byte> source)
    {
        MediaStatus status = BlockRange.Check(lba, source.Length, BlockCount);
        if (status != MediaStatus.Good)
        {
            return status;
        }

        lock (_lock)
        {
            _volatile.Add((lba, source.ToArray()));
        }

        return MediaStatus.Good;
    }

    /// <inheritdoc/>
    public MediaStatus Flush()
    {
        lock (_lock)
        {
            foreach ((long lba, byte[] data) in _volatile)
            {
                _stable.Write(lba, data);
            }

            _volatile = [];
        }

        return MediaStatus.Good;
    }

    /// <summary>
    /// Cuts the power: every write since the last sync is, at seeded random, lost (one in three), kept (one in three)
    /// or torn (a random prefix of its blocks kept, the rest lost). The disk then holds only its stable medium.
    /// </summary>
    /// <param name="random">The draws.</param>
    /// <returns>The writes lost or torn.</returns>
    public int CutPower(SplitMix64 random)
    {
        ArgumentNullException.ThrowIfNull(random);
        lock (_lock)
        {
            int damaged = 0;
            foreach ((long lba, byte[] data) in _volatile)
            {
                int blocks = data.Length / TrackGeometry.BlockSize;
                int kept = random.Next(3) switch
                {
                    0 => 0,
                    1 => blocks,
                    _ => random.Next(blocks + 1),
                };
                if (kept > 0)
                {
                    _stable.Write(lba, data.AsSpan(0, kept * TrackGeometry.BlockSize));
                }

                damaged += kept < blocks ? 1 : 0;
            }

            _volatile = [];
            return damaged;
        }
    }

    /// <summary>Reads the stable medium alone (what a restart after a cut finds).</summary>
    /// <param name="lba">The first block.</param>
    /// <param name="destination">The buffer.</param>
    /// <returns>The status.</returns>
    public MediaStatus ReadStable(long lba, Span<byte> destination)
    {
        lock (_lock)
        {
            return _stable.Read(lba, destination);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _stable.Dispose();
    }
}
