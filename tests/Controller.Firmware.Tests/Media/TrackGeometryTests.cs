// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;

namespace Controller.Firmware.Tests.Media;

public sealed class TrackGeometryTests
{
    [TestCase(TrackGeometry.TrackSize48K, 96)]
    [TestCase(TrackGeometry.TrackSize64K, 128)]
    [TestCase(TrackGeometry.TrackSize256K, 512)]
    public void SupportedTrackSizesHaveWholeBlocks(int trackSize, int blocksPerTrack)
    {
        TrackGeometry geometry = new(trackSize);
        Assert.That(geometry.BlocksPerTrack, Is.EqualTo(blocksPerTrack), "blocks per track of " + geometry);
    }

    [Test]
    public void DefaultIs64KiBTracks()
    {
        Assert.That(TrackGeometry.Default.TrackSizeBytes, Is.EqualTo(64 * 1024), "the default track size");
    }

    [TestCase(0)]
    [TestCase(512)]
    [TestCase(32 * 1024)]
    [TestCase(128 * 1024)]
    public void UnsupportedTrackSizeIsRejectedWithTheSupportedList(int trackSize)
    {
        ArgumentOutOfRangeException? ex = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new TrackGeometry(trackSize));
        Assert.That(ex!.Message, Does.Contain("49152 (48 KiB), 65536 (64 KiB) or 262144 (256 KiB)"), "the message lists what is supported");
    }

    [TestCase(TrackGeometry.TrackSize48K)]
    [TestCase(TrackGeometry.TrackSize64K)]
    [TestCase(TrackGeometry.TrackSize256K)]
    public void TrackOfBlockAgreesWithDivisionAtTrackBoundaries(int trackSize)
    {
        TrackGeometry geometry = new(trackSize);
        long[] lbas = [0, geometry.BlocksPerTrack - 1, geometry.BlocksPerTrack, (5L * geometry.BlocksPerTrack) + 7, TrackGeometry.MaxLdevBlocks - 1];
        foreach (long lba in lbas)
        {
            Assert.That(geometry.TrackOfBlock(lba), Is.EqualTo(lba / geometry.BlocksPerTrack), "track of LBA " + lba);
            Assert.That(geometry.TrackOfByte(lba * 512), Is.EqualTo(lba / geometry.BlocksPerTrack), "track of byte " + (lba * 512));
        }
    }

    [Test]
    public void TrackCountRoundsAPartialLastTrackUp()
    {
        TrackGeometry geometry = TrackGeometry.Default;
        Assert.That(geometry.TrackCount(128), Is.EqualTo(1), "one full track");
        Assert.That(geometry.TrackCount(129), Is.EqualTo(2), "a full track and one block");
        Assert.That(geometry.TrackCount(TrackGeometry.MaxLdevBlocks), Is.EqualTo(1L << 41), "2^48 blocks in 64 KiB tracks");
    }
}
