// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;

namespace Controller.Firmware.Tests.Media;

/// <summary>What every store below the hardware boundary must do; run once per store.</summary>
[TestFixture("ram")]
[TestFixture("file")]
[Category("R0-3")]
public sealed class BlockDeviceContractTests
{
    private const long Capacity = 4096;

    private readonly string _store;
    private string _directory = "";

    public BlockDeviceContractTests(string store)
    {
        _store = store;
    }

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "ctl-media-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void DeleteDirectory()
    {
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public void ReadAfterWriteReturnsTheWrittenBlocks()
    {
        using IBlockDevice device = Create(Capacity);
        byte[] data = Pattern(3 * 512, seed: 7);
        Assert.That(device.Write(100, data), Is.EqualTo(MediaStatus.Good), "write status");
        byte[] back = new byte[data.Length];
        Assert.That(device.Read(100, back), Is.EqualTo(MediaStatus.Good), "read status");
        Assert.That(back, Is.EqualTo(data), "a read returns what was written");
    }

    [Test]
    public void UnwrittenBlocksReadAsZeros()
    {
        using IBlockDevice device = Create(Capacity);
        Assert.That(device.Write(10, Pattern(512, seed: 1)), Is.EqualTo(MediaStatus.Good), "write status");
        byte[] back = Pattern(4 * 512, seed: 9);
        Assert.That(device.Read(11, back), Is.EqualTo(MediaStatus.Good), "read status");
        Assert.That(back, Is.All.EqualTo(0), "blocks never written read as zeros");
        Assert.That(device.Read(Capacity - 4, back), Is.EqualTo(MediaStatus.Good), "read of the last blocks");
        Assert.That(back, Is.All.EqualTo(0), "the last blocks, never written, read as zeros");
    }

    [Test]
    public void AWriteAcrossTrackBoundariesReadsBackWhole()
    {
        using IBlockDevice device = Create(Capacity);
        byte[] data = Pattern(300 * 512, seed: 3);
        Assert.That(device.Write(120, data), Is.EqualTo(MediaStatus.Good), "a write over three 64 KiB tracks");
        byte[] back = new byte[data.Length];
        Assert.That(device.Read(120, back), Is.EqualTo(MediaStatus.Good), "read status");
        Assert.That(back, Is.EqualTo(data), "every track's part of the write reads back");
    }

    [TestCase(-1L, 1)]
    [TestCase(Capacity, 1)]
    [TestCase(Capacity - 1, 2)]
    [TestCase(long.MaxValue, 1)]
    public void AccessOutsideTheDeviceIsRejected(long lba, int blocks)
    {
        using IBlockDevice device = Create(Capacity);
        byte[] buffer = new byte[blocks * 512];
        Assert.That(device.Write(lba, buffer), Is.EqualTo(MediaStatus.LbaOutOfRange), "write at LBA " + lba);
        Assert.That(device.Read(lba, buffer), Is.EqualTo(MediaStatus.LbaOutOfRange), "read at LBA " + lba);
    }

    [Test]
    public void ALengthThatIsNotWholeBlocksIsRejected()
    {
        using IBlockDevice device = Create(Capacity);
        Assert.That(device.Write(0, new byte[513]), Is.EqualTo(MediaStatus.LengthNotBlockMultiple), "513-byte write");
        Assert.That(device.Read(0, new byte[100]), Is.EqualTo(MediaStatus.LengthNotBlockMultiple), "100-byte read");
    }

    [Test]
    public void TheLastBlockIsWritable()
    {
        using IBlockDevice device = Create(Capacity);
        byte[] data = Pattern(512, seed: 5);
        Assert.That(device.Write(Capacity - 1, data), Is.EqualTo(MediaStatus.Good), "write of the last block");
        byte[] back = new byte[512];
        Assert.That(device.Read(Capacity - 1, back), Is.EqualTo(MediaStatus.Good), "read of the last block");
        Assert.That(back, Is.EqualTo(data), "the last block reads back");
    }

    [Test]
    public void AHugeLdevCostsNothingUntilWritten()
    {
        // RAM takes the 2^48-block maximum; a file is bounded by the host file system (ext4: 16 TiB), so
        // the file store is shown with a 1 TiB LDEV.
        long blocks = _store == "ram" ? TrackGeometry.MaxLdevBlocks : 1L << 31;
        using IBlockDevice device = Create(blocks);
        byte[] data = Pattern(512, seed: 11);
        Assert.That(device.Write(blocks - 1, data), Is.EqualTo(MediaStatus.Good), "write of the last block");
        byte[] back = new byte[512];
        Assert.That(device.Read(blocks - 1, back), Is.EqualTo(MediaStatus.Good), "read of the last block");
        Assert.That(back, Is.EqualTo(data), "the last block of a " + blocks + "-block LDEV reads back");
        if (device is RamBlockStore ram)
        {
            Assert.That(ram.AllocatedBytes, Is.EqualTo(64 * 1024), "one written block allocates exactly one 64 KiB track");
        }
    }

    private IBlockDevice Create(long blockCount)
    {
        if (_store == "ram")
        {
            return new RamBlockStore(blockCount, TrackGeometry.Default);
        }

        return FileBlockStore.Create(Path.Combine(_directory, "ldev-0001.img"), blockCount);
    }

    private static byte[] Pattern(int length, int seed)
    {
        byte[] data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }
}
