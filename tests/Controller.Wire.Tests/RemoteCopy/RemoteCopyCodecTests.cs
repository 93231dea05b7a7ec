// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Wire.CopyManagement;
using Controller.Wire.RemoteCopy;

namespace Controller.Wire.Tests.RemoteCopy;

/// <summary>The remote-copy link's CDBs and parameter list: round trips over random fields, and each malformed form refused with its reason.</summary>
public sealed class RemoteCopyCodecTests
{
    [Test]
    public void UpdateCopyCdbsRoundTrip([Random(0L, UpdateCopyCdb.Max48, 50)] long lba)
    {
        Random random = new((int)(lba & 0x7FFFFFFF));
        bool copied = random.Next(2) == 0;
        UpdateCopyCdb cdb = new(lba, 1 + random.Next(ushort.MaxValue), copied ? 0 : random.NextInt64(UpdateCopyCdb.Max48), copied, !copied && random.Next(2) == 0);
        byte[] bytes = new byte[16];
        Assert.That(cdb.TryWrite(bytes), Is.True);
        Assert.That(bytes[0], Is.EqualTo(RemoteCopyOpcode.UpdateCopy));
        Assert.That(UpdateCopyCdb.TryRead(bytes, out UpdateCopyCdb read, out string? reason), Is.True, reason);
        Assert.That(read, Is.EqualTo(cdb));
    }

    [TestCase("E0 04 00 00 00 00 00 00 00 08 00 00 00 00 00 01", "reserved bits 7-2")]
    [TestCase("E0 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01", "TRANSFER LENGTH is 0")]
    [TestCase("E0 01 00 00 00 00 00 00 00 08 00 00 00 00 00 01", "a copied track carries no SEQUENCE")]
    [TestCase("E1 00 00 00 00 00 00 00 00 08 00 00 00 00 00 01", "not an RC UPDATE COPY")]
    public void AMalformedUpdateCopyCdbIsRefused(string hex, string reasonPart)
    {
        Assert.That(UpdateCopyCdb.TryRead(Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal)), out _, out string? reason), Is.False);
        Assert.That(reason, Does.Contain(reasonPart));
    }

    [Test]
    public void FieldsBeyondTheirWidthAreNotWritten()
    {
        byte[] bytes = new byte[16];
        Assert.That(new UpdateCopyCdb(UpdateCopyCdb.Max48 + 1, 8, 1, false).TryWrite(bytes), Is.False, "an LBA over 48 bits");
        Assert.That(new UpdateCopyCdb(0, 65_536, 1, false).TryWrite(bytes), Is.False, "a transfer over 65,535 blocks");
        Assert.That(new UpdateCopyCdb(0, 8, -1, false).TryWrite(bytes), Is.False, "a negative sequence");
    }

    [Test]
    public void PairControlParametersRoundTrip([Range(0, 30)] int seed)
    {
        Random random = new(seed);
        PairControlParameters parameters = new((byte)(1 + random.Next(4)), (byte)random.Next(7), (byte)random.Next(2), (byte)random.Next(2), new WireVolumeId(new PortId((uint)random.Next(0x1000000)), (ushort)random.Next(65536)), new WireVolumeId(new PortId((uint)random.Next(0x1000000)), (ushort)random.Next(65536)), random.NextInt64(long.MaxValue), random.Next(int.MaxValue));
        byte[] bytes = new byte[PairControlParameters.Length];
        parameters.Write(bytes);
        Assert.That(PairControlParameters.TryRead(bytes, out PairControlParameters read, out string? reason), Is.True, reason);
        Assert.That(read, Is.EqualTo(parameters));

        byte[] cdb = new byte[16];
        PairControlParameters.WriteCdb(cdb);
        Assert.That(PairControlParameters.TryCheckCdb(cdb, out reason), Is.True, reason);
        cdb[12] = 1;
        Assert.That(PairControlParameters.TryCheckCdb(cdb, out reason), Is.False);
        Assert.That(reason, Does.Contain("reserved byte 12"));
    }

    [Test]
    public void AMalformedParameterListIsRefused()
    {
        Assert.That(PairControlParameters.TryRead(new byte[31], out _, out string? reason), Is.False);
        Assert.That(reason, Does.Contain("31 bytes, shorter than its 32-byte header"));
        byte[] wide = new byte[32];
        wide[4] = 0x01;
        Assert.That(PairControlParameters.TryRead(wide, out _, out reason), Is.False);
        Assert.That(reason, Does.Contain("wider than 24 bits"));
        byte[] reserved = new byte[32];
        reserved[31] = 1;
        Assert.That(PairControlParameters.TryRead(reserved, out _, out reason), Is.False);
        Assert.That(reason, Does.Contain("reserved bytes 30-31"));
    }

    [Test]
    public void ResyncCdbsRoundTrip([Range(0, 10)] int seed)
    {
        Random random = new(seed);
        ResyncCdb cdb = new(new WireVolumeId(new PortId((uint)random.Next(0x1000000)), (ushort)random.Next(65536)), (uint)random.NextInt64(uint.MaxValue));
        byte[] bytes = new byte[16];
        cdb.Write(bytes);
        Assert.That(ResyncCdb.TryRead(bytes, out ResyncCdb read, out string? reason), Is.True, reason);
        Assert.That(read, Is.EqualTo(cdb));
        bytes[15] = 1;
        Assert.That(ResyncCdb.TryRead(bytes, out _, out reason), Is.False);
        Assert.That(reason, Does.Contain("reserved byte 15"));
    }
}
