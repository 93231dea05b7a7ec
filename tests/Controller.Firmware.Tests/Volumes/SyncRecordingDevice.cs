// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;

namespace Controller.Firmware.Tests.Volumes;

/// <summary>
/// The file layer's stand-in: media with a chosen write cache policy that numbers every write as it returns (its
/// pwrite) and remembers, for each sync that succeeded (its fdatasync), how many writes had returned when it began.
/// A write is durable when a sync that began after it returned has ended: <see cref="IsDurable"/>.
/// </summary>
internal sealed class SyncRecordingDevice(IBlockDevice inner, WriteCachePolicy policy) : IBlockDevice
{
    private readonly Dictionary<long, long> _writeNumberAtLba = [];

    public long BlockCount => inner.BlockCount;

    public WriteCachePolicy CachePolicy => policy;

    /// <summary>Gets the writes that have returned so far.</summary>
    public long WritesReturned { get; private set; }

    /// <summary>Gets the writes covered by the syncs that succeeded: every write numbered at or below is durable.</summary>
    public long DurableThrough { get; private set; }

    /// <summary>Gets the syncs run.</summary>
    public int Syncs { get; private set; }

    /// <summary>Gets, for each sync, how many writes it covered.</summary>
    public List<long> SyncCovered { get; } = [];

    /// <summary>Gets or sets the number of next syncs that fail with a medium error.</summary>
    public int FailNextSyncs { get; set; }

    public MediaStatus Read(long lba, Span<byte> destination)
    {
        return inner.Read(lba, destination);
    }

    public MediaStatus Write(long lba, ReadOnlySpan<byte> source)
    {
        MediaStatus status = inner.Write(lba, source);
        if (status == MediaStatus.Good)
        {
            WritesReturned++;
            _writeNumberAtLba[lba] = WritesReturned;
        }

        return status;
    }

    public MediaStatus Flush()
    {
        long covers = WritesReturned;
        Syncs++;
        if (FailNextSyncs > 0)
        {
            FailNextSyncs--;
            return MediaStatus.MediumError;
        }

        MediaStatus status = inner.Flush();
        if (status != MediaStatus.Good)
        {
            return status;
        }

        SyncCovered.Add(covers);
        DurableThrough = Math.Max(DurableThrough, covers);
        return MediaStatus.Good;
    }

    /// <summary>Tells whether the last write at an LBA is on stable storage now.</summary>
    public bool IsDurable(long lba)
    {
        return _writeNumberAtLba.TryGetValue(lba, out long number) && number <= DurableThrough;
    }

    public void Dispose()
    {
        inner.Dispose();
    }
}
