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
    public void AProvisionedStoreHasItsMemoryButNoWrittenTrack()
    {
        RamBlockStore store = new(40 * 128, TrackGeometry.Default);
        byte[] block = new byte[512];
        block.AsSpan().Fill(0x77);
        Assert.That(store.Write(0, block), Is.EqualTo(MediaStatus.Good), "write status");

        long provisioned = store.Provision();

        Assert.That(provisioned, Is.EqualTo(24L * 64 * 1024), "the 24 tracks past the first slab of 16");
        Assert.That(store.ReservedBytes, Is.EqualTo(40L * 64 * 1024), "the whole volume is reserved");
        Assert.That(store.AllocatedTrackCount, Is.EqualTo(1), "only the track written has storage");
        Assert.That(store.IsTrackWritten(39), Is.False, "a provisioned track is not a written one (the copy engine skips it)");
        byte[] read = new byte[512];
        Assert.That(store.Read(39 * 128, read), Is.EqualTo(MediaStatus.Good), "read status");
        Assert.That(read.AsSpan().IndexOfAnyExcept((byte)0), Is.EqualTo(-1), "reads as zeros");
        for (long track = 0; track < 40; track++)
        {
            Assert.That(store.Write((track * 128) + 5, block), Is.EqualTo(MediaStatus.Good), "write status");
        }

        Assert.That(store.ReservedBytes, Is.EqualTo(40L * 64 * 1024), "writing every track reserves nothing more");
        Assert.That(store.Read(0, read), Is.EqualTo(MediaStatus.Good), "read status");
        Assert.That(read, Is.EqualTo(block), "the data written before provisioning is kept");
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

    [Test]
    public void AFewWritesToALargeVolumeReserveOneSmallSlabAndUnwrittenTracksReadZeros()
    {
        RamBlockStore store = new(1L << 21, TrackGeometry.Default);
        byte[] block = new byte[512];
        block.AsSpan().Fill(0x3C);
        Assert.That(store.Write(128 * 1000, block), Is.EqualTo(MediaStatus.Good), "write status");
        Assert.That(store.Write(128 * 9000, block), Is.EqualTo(MediaStatus.Good), "write status");
        Assert.That((store.AllocatedTrackCount, store.AllocatedBytes), Is.EqualTo((2L, 2L * 64 * 1024)), "two tracks in use");
        Assert.That(store.ReservedBytes, Is.EqualTo(TrackSlabAllocator.FirstSlabTracks * 64L * 1024), "one 1 MiB slab, not 1 GiB");
        Assert.That(store.IsTrackWritten(1001), Is.False, "a track beside a written one has no storage");

        byte[] read = new byte[64 * 1024];
        Assert.That(store.Read(128 * 1001, read), Is.EqualTo(MediaStatus.Good), "read status");
        Assert.That(read, Is.All.Zero, "an unwritten track reads as zeros, though the slab holds its neighbour");
        Assert.That(store.Read(128 * 1000, read), Is.EqualTo(MediaStatus.Good), "read status");
        Assert.That(read.AsSpan(0, 512).ToArray(), Is.All.EqualTo(0x3C), "the block written");
        Assert.That(read.AsSpan(512).IndexOfAnyExcept((byte)0), Is.EqualTo(-1), "the rest of its track reads as zeros");
    }

    [Test]
    public void ABufferExchangedIntoASlabTrackIsCopiedAndStaysTheCallers()
    {
        RamBlockStore store = new(4 * 128, TrackGeometry.Default);
        Assert.That(store.Write(128, new byte[512]), Is.EqualTo(MediaStatus.Good), "track 1 now lives in a slab");
        byte[] track = new byte[TrackGeometry.Default.TrackSizeBytes];
        track.AsSpan().Fill(0x5A);
        byte[]? buffer = track;
        Assert.That(store.TryExchangeTrack(1, ref buffer), Is.True, "a full track of the right size");
        Assert.That(buffer, Is.SameAs(track), "the caller keeps its buffer: the slab's track holds a copy");
        track.AsSpan().Fill(0x11);
        byte[] read = new byte[512];
        store.Read(128, read);
        Assert.That(read, Is.All.EqualTo(0x5A), "the track holds the data exchanged in, not the caller's later bytes");
        Assert.That(store.AllocatedTrackCount, Is.EqualTo(1), "still one track");
    }

    [Test]
    public void ASlabTrackMadeUnwrittenIsReusedZeroedByTheNextFirstWrite()
    {
        RamBlockStore store = new(64 * 128, TrackGeometry.Default);
        byte[] full = new byte[64 * 1024];
        full.AsSpan().Fill(0xEE);
        Assert.That(store.Write(128 * 3, full), Is.EqualTo(MediaStatus.Good), "write status");
        long reserved = store.ReservedBytes;
        byte[]? none = null;
        Assert.That(store.TryExchangeTrack(3, ref none), Is.True, "null makes the track unwritten");
        Assert.That(none, Is.Null, "a slab's track is not handed out as an array");
        Assert.That((store.IsTrackWritten(3), store.AllocatedTrackCount), Is.EqualTo((false, 0L)), "sparse again");

        byte[] block = new byte[512];
        block.AsSpan().Fill(0x01);
        Assert.That(store.Write(128 * 7, block), Is.EqualTo(MediaStatus.Good), "write status");
        byte[] read = new byte[64 * 1024];
        store.Read(128 * 7, read);
        Assert.That(read.AsSpan(512).IndexOfAnyExcept((byte)0), Is.EqualTo(-1), "the reused track was zeroed: no 0xEE from track 3");
        store.Read(128 * 3, read);
        Assert.That(read, Is.All.Zero, "track 3 reads as zeros");
        Assert.That(store.ReservedBytes, Is.EqualTo(reserved), "no slab added");
    }

    [Test]
    public void TwoThreadsFirstWritingTheSameTracksEndWithOneTrackEachHoldingBothWrites()
    {
        const int Tracks = 300;
        RamBlockStore store = new(Tracks * 128L, TrackGeometry.Default);
        using Barrier barrier = new(2);
        byte[][] blocks = [new byte[512], new byte[512]];
        blocks[0].AsSpan().Fill(0xA1);
        blocks[1].AsSpan().Fill(0xB2);
        MediaStatus[] statuses = [MediaStatus.Good, MediaStatus.Good];

        void Writer(int side)
        {
            for (int track = 0; track < Tracks; track++)
            {
                // Both threads leave the barrier together and first-touch the same track: blocks 0 and 1 of it.
                barrier.SignalAndWait();
                statuses[side] |= store.Write((track * 128L) + side, blocks[side]);
            }
        }

        Thread[] threads = [new(() => Writer(0)), new(() => Writer(1))];
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        Assert.That(statuses, Is.All.EqualTo(MediaStatus.Good), "write statuses");
        Assert.That(store.AllocatedTrackCount, Is.EqualTo(Tracks), "one track per track, whoever won each race");
        Assert.That(store.ReservedBytes, Is.LessThanOrEqualTo((Tracks + 1) * 64L * 1024), "the losers' tracks went back for reuse");
        byte[] read = new byte[1024];
        for (int track = 0; track < Tracks; track++)
        {
            store.Read(track * 128L, read);
            Assert.That((read[0], read[511], read[512], read[1023]), Is.EqualTo(((byte)0xA1, (byte)0xA1, (byte)0xB2, (byte)0xB2)), "track " + track + " holds both first writes");
        }
    }
}
