// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Bitmaps;
using Controller.Firmware.Media;

namespace Controller.Firmware.Tests.Bitmaps;

public sealed class DifferentialBitmapTests
{
    private const long KiB = 1024;
    private const long MiB = 1024 * KiB;

    [Test]
    public void AlignedAndUnalignedWritesMarkEveryTrackTheyTouch()
    {
        // The worked example: a 64 MiB volume of 64 KiB tracks (1024 tracks).
        DifferentialBitmap bitmap = new(64 * MiB / 512, TrackGeometry.Default);
        foreach (long offset in new[] { 0, 1 * MiB, 32 * MiB, (64 * MiB) - (64 * KiB) })
        {
            bitmap.MarkByteRange(offset, 64 * KiB);
        }

        Assert.That(bitmap.CountSet(), Is.EqualTo(4), "four track-aligned 64 KiB writes mark four tracks");

        foreach (long offset in new[] { (1 * MiB) - (32 * KiB), (32 * MiB) + (32 * KiB), (64 * MiB) - (128 * KiB) })
        {
            bitmap.MarkByteRange(offset, 64 * KiB);
        }

        Assert.That(SetTracks(bitmap), Is.EqualTo(new long[] { 0, 15, 16, 512, 513, 1022, 1023 }),
            "unaligned writes mark both tracks they straddle: 15, 513 and 1022 are added");
        Assert.That(bitmap.CountSet(), Is.EqualTo(7), "seven tracks in total");
    }

    [Test]
    public void MarkWriteOfBlocksMarksTheSameTracksAsTheByteRange()
    {
        DifferentialBitmap byBlocks = new(1 << 20, TrackGeometry.Default);
        DifferentialBitmap byBytes = new(1 << 20, TrackGeometry.Default);
        byBlocks.MarkWrite(127, 2);
        byBytes.MarkByteRange(127 * 512, 2 * 512);
        Assert.That(SetTracks(byBlocks), Is.EqualTo(new long[] { 0, 1 }), "blocks 127-128 straddle tracks 0 and 1");
        Assert.That(SetTracks(byBytes), Is.EqualTo(SetTracks(byBlocks)), "byte and block forms agree");
    }

    [Test]
    public void SwapInFreshMovesTheBitsWithoutCopyingAndLeavesAnEmptyBitmap()
    {
        DifferentialBitmap bitmap = new(1 << 24, TrackGeometry.Default);
        bitmap.Set(3);
        bitmap.Set(70_000);
        DifferentialBitmap old = bitmap.SwapInFresh();
        Assert.That(SetTracks(old), Is.EqualTo(new long[] { 3, 70_000 }), "the returned bitmap holds every bit set before the swap");
        Assert.That(bitmap.CountSet(), Is.Zero, "the live bitmap starts empty after the swap");
        bitmap.Set(5);
        Assert.That(old.IsSet(5), Is.False, "a set after the swap does not reach the swapped-out bits");
        Assert.That(bitmap.AllocatedBytes, Is.EqualTo(8 * KiB), "the fresh plane allocates only the one leaf set since");
    }

    [Test]
    public void AVolumeSmallerThanOneLeafGetsAShortLeafThatBehavesAsAFullOne()
    {
        // 64 MiB + 1 block: 1,025 tracks, 17 words. A split and resync swaps in fresh planes, so this is per cycle.
        DifferentialBitmap bitmap = new((64L << 20) / 512 + 1, TrackGeometry.Default);
        bitmap.Set(0);
        bitmap.Set(1024);
        Assert.That(bitmap.AllocatedBytes, Is.EqualTo(17 * sizeof(ulong)), "the leaf holds the volume's tracks, not 65,536");
        Assert.That(SetTracks(bitmap), Is.EqualTo(new long[] { 0, 1024 }), "the scan ends at the short leaf's end");

        DifferentialBitmap union = new(bitmap.BlockCount, TrackGeometry.Default);
        union.Set(7);
        union.UnionWith(bitmap);
        Assert.That(SetTracks(union), Is.EqualTo(new long[] { 0, 7, 1024 }), "a union over short leaves");

        ulong[] words = new ulong[DifferentialBitmap.LeafWords];
        Array.Fill(words, ulong.MaxValue);
        Assert.That(union.CopyNextLeaf(0, words), Is.Zero, "the state files read the one leaf");
        Assert.That(words[17..].All(w => w == 0), Is.True, "words past the volume's last track read as zero");
        DifferentialBitmap restored = new(bitmap.BlockCount, TrackGeometry.Default);
        restored.OrLeaf(0, words);
        Assert.That(SetTracks(restored), Is.EqualTo(SetTracks(union)), "and a leaf written back marks the same tracks");
    }

    [Test]
    public void TryClearReportsWhetherTheTrackWasMarked()
    {
        DifferentialBitmap bitmap = new(1 << 20, TrackGeometry.Default);
        bitmap.Set(9);
        Assert.That(bitmap.TryClear(9), Is.True, "clearing a marked track claims it");
        Assert.That(bitmap.TryClear(9), Is.False, "a second clear finds it already clear");
        Assert.That(bitmap.TryClear(10), Is.False, "clearing a never-marked track reports false");
        Assert.That(bitmap.IsSet(9), Is.False, "the track is clear");
    }

    [Test]
    public void MemoryIsTwoMiBPerTiBAtSixtyFourKiBTracksWhenEveryTrackIsMarked()
    {
        const long TiBBlocks = (1L << 40) / 512;
        DifferentialBitmap bitmap = new(TiBBlocks, TrackGeometry.Default);
        Assert.That(bitmap.AllocatedBytes, Is.Zero, "an untouched bitmap allocates no bit storage");
        bitmap.SetRange(0, bitmap.TrackCount - 1);
        Assert.That(bitmap.CountSet(), Is.EqualTo(16L * 1024 * 1024), "1 TiB / 64 KiB = 16 Mi tracks");
        Assert.That(bitmap.AllocatedBytes, Is.EqualTo(2 * MiB), "one bit per track: 2 MiB per TiB");
    }

    [Test]
    public void AMaximumSizeVolumeAllocatesOnlyWhatIsMarked()
    {
        DifferentialBitmap bitmap = new(TrackGeometry.MaxLdevBlocks, TrackGeometry.Default);
        bitmap.Set(bitmap.TrackCount - 1);
        Assert.That(bitmap.AllocatedBytes, Is.EqualTo(8 * KiB), "one leaf for one marked track of a 2^48-block volume");
        Assert.That(bitmap.NextSet(0), Is.EqualTo(bitmap.TrackCount - 1), "a scan from 0 finds the last track");
        Assert.That(bitmap.CountSet(), Is.EqualTo(1), "one bit set");
    }

    [Test]
    public void NextSetScansFromAnyTrack()
    {
        DifferentialBitmap bitmap = new(1 << 24, TrackGeometry.Default);
        long[] marked = [0, 63, 64, 65_535, 65_536, 131_071];
        foreach (long track in marked)
        {
            bitmap.Set(track);
        }

        Assert.That(bitmap.NextSet(1), Is.EqualTo(63), "next after 0");
        Assert.That(bitmap.NextSet(65), Is.EqualTo(65_535), "crossing empty words");
        Assert.That(bitmap.NextSet(65_536), Is.EqualTo(65_536), "a scan starting on a marked track finds it");
        Assert.That(bitmap.NextSet(131_072), Is.EqualTo(-1), "nothing after the last mark");
        Assert.That(bitmap.NextSet(-5), Is.EqualTo(0), "a negative start scans from 0");
    }

    [Test]
    public void SetOutsideTheVolumeIsRejected()
    {
        DifferentialBitmap bitmap = new(1024, TrackGeometry.Default);
        Assert.Throws<ArgumentOutOfRangeException>(() => bitmap.Set(8), "track 8 of an 8-track bitmap");
        Assert.Throws<ArgumentOutOfRangeException>(() => bitmap.Set(-1), "a negative track");
        Assert.Throws<ArgumentOutOfRangeException>(() => bitmap.SetRange(5, 4), "a reversed range");
        Assert.Throws<ArgumentOutOfRangeException>(() => bitmap.MarkByteRange(0, 0), "an empty byte range");
    }

    [Test]
    public void UnionOfBitmapsOfDifferentShapesIsRejected()
    {
        DifferentialBitmap small = new(1024, TrackGeometry.Default);
        DifferentialBitmap large = new(2048, TrackGeometry.Default);
        Assert.Throws<ArgumentException>(() => small.UnionWith(large), "track counts differ");
    }

    [Test]
    public void ConcurrentSettersLoseNoBit()
    {
        // Four threads set interleaved tracks that share words, so every word sees racing atomic ORs.
        DifferentialBitmap bitmap = new(1L << 26, TrackGeometry.Default);
        const int Threads = 4;
        const int PerThread = 100_000;
        using Barrier start = new(Threads);
        Thread[] threads = new Thread[Threads];
        for (int t = 0; t < Threads; t++)
        {
            int id = t;
            threads[t] = new Thread(() =>
            {
                start.SignalAndWait();
                for (int i = 0; i < PerThread; i++)
                {
                    bitmap.Set(((long)i * Threads) + id);
                }
            });
            threads[t].Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        Assert.That(bitmap.CountSet(), Is.EqualTo(Threads * PerThread), "every racing set is kept");
    }

    [Test]
    public void EnumerateSetStartsInsideAWordAndCrossesLeaves()
    {
        DifferentialBitmap bitmap = new(1 << 26, TrackGeometry.Default);
        long[] marked = [1, 62, 63, 64, 65_535, 65_536, 300_000];
        foreach (long track in marked)
        {
            bitmap.Set(track);
        }

        List<long> fromSixtyThree = [];
        foreach (long track in bitmap.EnumerateSet(63))
        {
            fromSixtyThree.Add(track);
        }

        Assert.That(fromSixtyThree, Is.EqualTo(new long[] { 63, 64, 65_535, 65_536, 300_000 }), "the scan from 63 skips 1 and 62 in the same word");
        Assert.That(bitmap.EnumerateSet(bitmap.TrackCount).MoveNext(), Is.False, "a scan from past the end finds nothing");
    }

    /// <summary>The marked tracks by the enumerator, checked against the NextSet walk.</summary>
    internal static List<long> SetTracks(DifferentialBitmap bitmap)
    {
        List<long> tracks = [];
        foreach (long track in bitmap.EnumerateSet())
        {
            tracks.Add(track);
        }

        List<long> walked = [];
        for (long track = bitmap.NextSet(0); track >= 0; track = bitmap.NextSet(track + 1))
        {
            walked.Add(track);
        }

        Assert.That(walked, Is.EqualTo(tracks), "NextSet and EnumerateSet agree");
        return tracks;
    }
}
