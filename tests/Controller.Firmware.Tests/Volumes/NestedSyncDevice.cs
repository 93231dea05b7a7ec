// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;

namespace Controller.Firmware.Tests.Volumes;

/// <summary>
/// A device for driving a <see cref="Controller.Firmware.Volumes.GroupCommit"/> alone: writes are counted by the test
/// (<see cref="WriteReturned"/>), and a sync calls back into the test while it "runs" (<see cref="DuringSync"/>), so the
/// test can write more and run other syncs to their end inside it: syncs that overlap and end in any order, on one
/// thread, with no sleeps. A sync makes durable what had returned when it began, as fdatasync does.
/// </summary>
internal sealed class NestedSyncDevice : IBlockDevice, IWritebackStart
{
    private int _running;

    public long BlockCount => 1 << 16;

    public WriteCachePolicy CachePolicy => WriteCachePolicy.WriteThrough;

    /// <summary>Gets the writes that have returned so far.</summary>
    public long WritesReturned { get; private set; }

    /// <summary>Gets the writes made durable by the syncs that succeeded.</summary>
    public long DurableThrough { get; private set; }

    /// <summary>Gets, for each write-back start, how many writes had returned then.</summary>
    public List<long> WritebackStarts { get; } = [];

    /// <summary>Gets the syncs begun.</summary>
    public int Syncs { get; private set; }

    /// <summary>Gets the most syncs that ran at once.</summary>
    public int MostAtOnce { get; private set; }

    /// <summary>Gets or sets what the test does while a sync runs (the sync's number from 1, as it began).</summary>
    public Action<int>? DuringSync { get; set; }

    /// <summary>Gets or sets the numbers of the syncs that fail.</summary>
    public HashSet<int> Failing { get; } = [];

    /// <summary>Counts a write that returned from the media (the test plays the MP).</summary>
    public void WriteReturned()
    {
        WritesReturned++;
    }

    public MediaStatus Read(long lba, Span<byte> destination)
    {
        destination.Clear();
        return MediaStatus.Good;
    }

    public MediaStatus Write(long lba, ReadOnlySpan<byte> source)
    {
        WriteReturned();
        return MediaStatus.Good;
    }

    public MediaStatus Flush()
    {
        long covers = WritesReturned;
        int number = ++Syncs;
        _running++;
        MostAtOnce = Math.Max(MostAtOnce, _running);
        DuringSync?.Invoke(number);
        _running--;
        if (Failing.Contains(number))
        {
            return MediaStatus.MediumError;
        }

        DurableThrough = Math.Max(DurableThrough, covers);
        return MediaStatus.Good;
    }

    public void Dispose()
    {
    }

    public void StartWriteback()
    {
        WritebackStarts.Add(WritesReturned);
    }
}
