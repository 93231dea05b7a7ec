// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;

namespace Controller.Firmware.Tests.Media;

public sealed class RamBlockStoreTests
{
    [Test]
    public void MemoryGrowsWithTheTracksWrittenNotWithCapacity()
    {
        RamBlockStore store = new(1L << 40, TrackGeometry.Default);
        Assert.That(store.AllocatedBytes, Is.Zero, "a new LDEV allocates no track");

        byte[] block = new byte[512];
        for (long i = 0; i < 10; i++)
        {
            // Ten writes in ten different tracks, far apart.
            Assert.That(store.Write(i * 1_000_000_000L, block), Is.EqualTo(MediaStatus.Good), "write status");
        }

        Assert.That(store.AllocatedTrackCount, Is.EqualTo(10), "one track per written track");
        Assert.That(store.Write(5, block), Is.EqualTo(MediaStatus.Good), "write status");
        Assert.That(store.AllocatedTrackCount, Is.EqualTo(10), "a second write into track 0 allocates nothing new");
    }

    [Test]
    public void ReadsAllocateNothing()
    {
        RamBlockStore store = new(1 << 20, TrackGeometry.Default);
        byte[] buffer = new byte[64 * 1024];
        Assert.That(store.Read(12345, buffer), Is.EqualTo(MediaStatus.Good), "read status");
        Assert.That(store.AllocatedTrackCount, Is.Zero, "reading an unwritten track does not allocate it");
    }

    [Test]
    public void ATrackCanTakeABufferAsItsStorageAndBeMadeUnwrittenAgain()
    {
        RamBlockStore store = new(4 * 128, TrackGeometry.Default);
        byte[] track = new byte[TrackGeometry.Default.TrackSizeBytes];
        track.AsSpan().Fill(0x5A);
        byte[]? buffer = track;
        Assert.That(store.TryExchangeTrack(1, ref buffer), Is.True, "a full track of the right size");
        Assert.That(buffer, Is.Null, "track 1 had no storage before");
        Assert.That((store.IsTrackWritten(1), store.AllocatedTrackCount), Is.EqualTo((true, 1L)));
        byte[] read = new byte[512];
        store.Read(128, read);
        Assert.That(read, Is.All.EqualTo(0x5A), "the buffer is the track's data, without a copy");

        buffer = null;
        Assert.That(store.TryExchangeTrack(1, ref buffer), Is.True, "null makes the track unwritten");
        Assert.That(buffer, Is.SameAs(track), "the replaced storage comes back to the caller");
        Assert.That((store.IsTrackWritten(1), store.AllocatedTrackCount), Is.EqualTo((false, 0L)), "sparse again");
        store.Read(128, read);
        Assert.That(read, Is.All.Zero, "an unwritten track reads as zeros");

        byte[]? wrongSize = new byte[512];
        Assert.That(store.TryExchangeTrack(2, ref wrongSize), Is.False, "only whole tracks");
        byte[]? beyond = new byte[TrackGeometry.Default.TrackSizeBytes];
        Assert.That(store.TryExchangeTrack(4, ref beyond), Is.False, "only tracks of the volume");
    }

    [TestCase(TrackGeometry.TrackSize48K)]
    [TestCase(TrackGeometry.TrackSize256K)]
    public void OtherTrackSizesStoreAndReadBack(int trackSize)
    {
        RamBlockStore store = new(10_000, new TrackGeometry(trackSize));
        byte[] data = new byte[200 * 512];
        new Random(trackSize).NextBytes(data);
        Assert.That(store.Write(90, data), Is.EqualTo(MediaStatus.Good), "write status");
        byte[] back = new byte[data.Length];
        Assert.That(store.Read(90, back), Is.EqualTo(MediaStatus.Good), "read status");
        Assert.That(back, Is.EqualTo(data), "data across " + trackSize + "-byte tracks reads back");
    }
}
