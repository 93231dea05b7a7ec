// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Addressing;
using Controller.Firmware.Bitmaps;
using Controller.Firmware.Media;
using Controller.Firmware.Pairs;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Tests.Pairs;

public sealed class TrackCopierTests
{
    // 20 full 64 KiB tracks and a partial last one of 40 blocks.
    private const long Blocks = (20 * 128) + 40;

    [Test]
    public void AFullCopyMakesTheTargetEqualTheSourceIncludingAPartialLastTrack()
    {
        Ldev source = NewLdev(1, seed: 1);
        Ldev target = NewLdev(2, seed: 2);
        DifferentialBitmap all = new(Blocks, TrackGeometry.Default);
        all.SetRange(0, all.TrackCount - 1);
        TrackCopier copier = new(all, source, target);
        int steps = RunToDone(copier, maxTracks: 4);
        Assert.That(Read(target), Is.EqualTo(Read(source)), "after a full copy S equals P, byte for byte");
        Assert.That(copier.TracksCopied, Is.EqualTo(21), "every track once, the partial one included");
        Assert.That(steps, Is.EqualTo(6), "21 tracks at 4 per step: the 6th step copies the last one and finds the set empty");
    }

    [Test]
    [Category("R0-8")]
    public void ADifferentialCopyTouchesOnlyTheMarkedTracks()
    {
        Ldev source = NewLdev(1, seed: 1);
        Ldev target = NewLdev(2, seed: 2);
        byte[] before = Read(target);
        DifferentialBitmap marked = new(Blocks, TrackGeometry.Default);
        marked.Set(3);
        marked.Set(20);
        TrackCopier copier = new(marked, source, target);
        RunToDone(copier, maxTracks: 100);
        Assert.That(copier.TracksCopied, Is.EqualTo(2), "the number of tracks copied equals the number marked");
        byte[] after = Read(target);
        byte[] expected = (byte[])before.Clone();
        CopyTrackBytes(Read(source), expected, 3);
        CopyTrackBytes(Read(source), expected, 20);
        Assert.That(after, Is.EqualTo(expected), "tracks 3 and 20 now match the source; every other track is untouched");
    }

    [Test]
    public void ATrackMarkedAgainBehindTheCursorIsCopiedAgain()
    {
        Ldev source = NewLdev(1, seed: 1);
        Ldev target = NewLdev(2, seed: 2);
        DifferentialBitmap marked = new(Blocks, TrackGeometry.Default);
        marked.SetRange(0, 9);
        TrackCopier copier = new(marked, source, target);
        Assert.That(copier.CopyStep(5).TracksCopied, Is.EqualTo(5), "tracks 0-4");

        // A host write between steps changes track 1 on the source and marks it again (the COPY write rule).
        byte[] fresh = new byte[512];
        Array.Fill(fresh, (byte)0xAB);
        source.Media.Write(128 + 7, fresh);
        marked.Set(1);
        RunToDone(copier, maxTracks: 5);
        const int TenTracks = 10 * 64 * 1024;
        Assert.That(Read(target).AsSpan(0, TenTracks).SequenceEqual(Read(source).AsSpan(0, TenTracks)), Is.True,
            "tracks 0-9, the rewritten track 1 included, match the source");
        Assert.That(copier.TracksCopied, Is.EqualTo(11), "ten tracks plus the one marked again");
    }

    private static int RunToDone(TrackCopier copier, int maxTracks)
    {
        for (int steps = 1; steps < 10_000; steps++)
        {
            CopyStepResult result = copier.CopyStep(maxTracks);
            Assert.That(result.Status, Is.EqualTo(MediaStatus.Good), "step " + steps + " media status");
            Assert.That(result.TracksCopied, Is.LessThanOrEqualTo(maxTracks), "a step respects its bound");
            if (result.Done)
            {
                return steps;
            }
        }

        Assert.Fail("the copy never finished");
        return -1;
    }

    private static Ldev NewLdev(ushort id, int seed)
    {
        RamBlockStore store = new(Blocks, TrackGeometry.Default);
        byte[] data = new byte[Blocks * 512];
        new Random(seed).NextBytes(data);
        Assert.That(store.Write(0, data), Is.EqualTo(MediaStatus.Good), "fill the volume");
        return new Ldev(new LdevId(id), store, TrackGeometry.Default);
    }

    private static byte[] Read(Ldev ldev)
    {
        byte[] data = new byte[ldev.BlockCount * 512];
        Assert.That(ldev.Media.Read(0, data), Is.EqualTo(MediaStatus.Good), "read the whole volume");
        return data;
    }

    private static void CopyTrackBytes(byte[] from, byte[] to, long track)
    {
        int offset = (int)(track * 64 * 1024);
        int length = Math.Min(64 * 1024, from.Length - offset);
        Array.Copy(from, offset, to, offset, length);
    }
}
