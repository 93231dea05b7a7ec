// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;

namespace Controller.Firmware.Tests.Media;

public sealed class TrackSlabAllocatorTests
{
    private const int Track = 64 * 1024;

    [Test]
    public void SlabsStartSmallAndDoubleUpToTheLargest()
    {
        TrackSlabAllocator slabs = new(Track, volumeTracks: 1L << 30);
        Assert.That(slabs.ReservedBytes, Is.Zero, "nothing before the first track");

        long[] expected = [16, 16 + 32, 16 + 32 + 64, 16 + 32 + 64 + 128, 16 + 32 + 64 + 128 + 256, 16 + 32 + 64 + 128 + 256 + 256];
        long taken = 0;
        foreach (long reservedTracks in expected)
        {
            slabs.Take();
            taken++;
            Assert.That(slabs.ReservedBytes, Is.EqualTo(reservedTracks * Track), "after " + taken + " tracks");
            while (taken < reservedTracks)
            {
                slabs.Take();
                taken++;
            }

            Assert.That(slabs.ReservedBytes, Is.EqualTo(reservedTracks * Track), "a slab is used up before the next");
        }
    }

    [Test]
    public void ASmallVolumeNeverReservesMoreThanItsSize()
    {
        TrackSlabAllocator slabs = new(Track, volumeTracks: 20);
        for (int i = 0; i < 20; i++)
        {
            slabs.Take();
        }

        Assert.That(slabs.ReservedBytes, Is.EqualTo(20L * Track), "16 tracks, then the 4 left, not 32");
    }

    [Test]
    public void ReserveAllReservesTheRestOfTheVolumeOnceAndFirstTouchesThenAllocateNothing()
    {
        const int tracks = 600;
        TrackSlabAllocator slabs = new(Track, volumeTracks: tracks);
        HashSet<SlabTrack> seen = new(ReferenceEqualityComparer.Instance);
        seen.Add(slabs.Take());

        long reserved = slabs.ReserveAll();

        Assert.That(reserved, Is.EqualTo((tracks - 16L) * Track), "everything but the first slab of 16 tracks");
        Assert.That(slabs.ReservedBytes, Is.EqualTo((long)tracks * Track), "the whole volume, no more");
        Assert.That(slabs.ReserveAll(), Is.Zero, "a second call has nothing left to reserve");
        for (int i = 1; i < tracks; i++)
        {
            SlabTrack track = slabs.Take();
            Assert.That(seen.Add(track), Is.True, "track " + i + " is handed out once");
            Assert.That(track.Bytes.IndexOfAnyExcept((byte)0), Is.EqualTo(-1), "zeros: touching the pages left them zero");
            track.Bytes.Fill(0x5A);
        }

        Assert.That(slabs.ReservedBytes, Is.EqualTo((long)tracks * Track), "every track came from the reserved slabs");
    }

    [Test]
    public void EveryTrackTakenIsZeroedAndDistinct()
    {
        TrackSlabAllocator slabs = new(Track, volumeTracks: 100);
        HashSet<SlabTrack> seen = new(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < 40; i++)
        {
            SlabTrack track = slabs.Take();
            Assert.That(seen.Add(track), Is.True, "track " + i + " is handed out once");
            Assert.That(track.Bytes.Length, Is.EqualTo(Track), "a whole track");
            Assert.That(track.Bytes.IndexOfAnyExcept((byte)0), Is.EqualTo(-1), "zeros");
            track.Bytes.Fill(0xA5);
        }
    }

    [Test]
    public void ATrackGivenBackIsReusedZeroed()
    {
        TrackSlabAllocator slabs = new(Track, volumeTracks: 100);
        SlabTrack first = slabs.Take();
        first.Bytes.Fill(0x77);
        slabs.Give(first, written: true);
        SlabTrack again = slabs.Take();
        Assert.That(again, Is.SameAs(first), "the track given back comes first");
        Assert.That(again.Bytes.IndexOfAnyExcept((byte)0), Is.EqualTo(-1), "and reads as zeros");
        Assert.That(slabs.ReservedBytes, Is.EqualTo(16L * Track), "no new slab for it");
    }
}
