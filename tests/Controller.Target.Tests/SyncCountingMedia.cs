// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;

namespace Controller.Target.Tests;

/// <summary>
/// RAM media that claims a chosen write cache policy and counts writes and syncs the way the file store would do
/// them (pwrite, fdatasync): a write is durable when a sync that began after it returned has ended. Thread-safe: the
/// MPs write and the group commit's sync slots sync on pool threads.
/// </summary>
internal sealed class SyncCountingMedia(long blocks, WriteCachePolicy policy) : IBlockDevice
{
    private readonly RamBlockStore _inner = new(blocks, new TrackGeometry(TrackGeometry.TrackSize64K));
    private readonly Dictionary<long, long> _writeNumberAtLba = [];
    private readonly Lock _lock = new();
    private long _writes;
    private long _durableThrough;
    private int _syncs;

    public long BlockCount => _inner.BlockCount;

    public WriteCachePolicy CachePolicy => policy;

    public int Syncs
    {
        get
        {
            lock (_lock)
            {
                return _syncs;
            }
        }
    }

    public MediaStatus Read(long lba, Span<byte> destination)
    {
        return _inner.Read(lba, destination);
    }

    public MediaStatus Write(long lba, ReadOnlySpan<byte> source)
    {
        MediaStatus status = _inner.Write(lba, source);
        lock (_lock)
        {
            _writeNumberAtLba[lba] = ++_writes;
        }

        return status;
    }

    public MediaStatus Flush()
    {
        lock (_lock)
        {
            _syncs++;
            _durableThrough = _writes;
        }

        return MediaStatus.Good;
    }

    /// <summary>Tells whether the last write at an LBA is on stable storage.</summary>
    public bool IsDurable(long lba)
    {
        lock (_lock)
        {
            return _writeNumberAtLba.TryGetValue(lba, out long number) && number <= _durableThrough;
        }
    }

    public void Dispose()
    {
        _inner.Dispose();
    }
}
