// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire.Tests;

public sealed class FcipEncapsulationTests
{
    // An FCP_CMND carrying WRITE(16) LBA 16, 8 blocks, LUN 1, from 0x010200 to 0x400104, encapsulated with SOFi3 /
    // EOFt and time stamp 1 s. Checked with tshark 4.0 (text2pcap -T 40000,3225, then tshark -d
    // tcp.port==3225,fcip): "01.02.00 -> 40.01.04 FCP SCSI: Write(16) LUN: 0x01 (LBA: 16, Len: 8)".
    private static readonly byte[] GoldenWrite16 = Convert.FromHexString("0101FEFE0101FEFE0000FFFF0018FFE70000000100000000000000002E2ED1D1064001040001020008290000000000001234FFFF000000000001000000000000000000018A0000000000000000100000000800000000100012EEDE1D4242BDBD");

    [Test]
    public void AWrite16CommandEncapsulatesByteForByte()
    {
        byte[] wire = new byte[FcipEncapsulation.EncodedLength(Write16Frame().Length)];
        Assert.That(FcipEncapsulation.TryWrite(Write16Frame(), FcDelimiter.StartInitiate3, FcDelimiter.EndTerminate, 1, 0, wire, out int written), Is.True);
        Assert.That(written, Is.EqualTo(GoldenWrite16.Length));
        Assert.That(Convert.ToHexString(wire), Is.EqualTo(Convert.ToHexString(GoldenWrite16)));
    }

    [Test]
    public void TheGoldenFrameDecodesBack()
    {
        Assert.That(FcipEncapsulation.TryRead(GoldenWrite16, out FcipFrame frame, out int consumed, out string? reason), Is.EqualTo(FcipDecodeStatus.Frame), reason);
        Assert.That(consumed, Is.EqualTo(GoldenWrite16.Length));
        Assert.That(frame.FcFrame.ToArray(), Is.EqualTo(Write16Frame()), "the FC frame, header and payload");
        Assert.That((frame.Start, frame.End, frame.Seconds), Is.EqualTo((FcDelimiter.StartInitiate3, FcDelimiter.EndTerminate, 1u)));
    }

    [Test]
    public void EveryShorterPrefixNeedsMoreData()
    {
        for (int length = 0; length < GoldenWrite16.Length; length++)
        {
            Assert.That(FcipEncapsulation.TryRead(GoldenWrite16.AsSpan(0, length), out _, out _, out _), Is.EqualTo(FcipDecodeStatus.NeedMoreData), "prefix of " + length);
        }
    }

    [TestCase(0, "not an FCIP encapsulation header")]
    [TestCase(5, "not an FCIP encapsulation header")]
    [TestCase(10, "pFlags")]
    [TestCase(15, "frame length fails its ones complement")]
    [TestCase(30, "invalid SOF word")]
    [TestCase(60, "FC frame CRC mismatch")]
    [TestCase(94, "invalid EOF word")]
    public void ACorruptedByteIsRefusedWithItsReason(int offset, string expected)
    {
        byte[] corrupted = (byte[])GoldenWrite16.Clone();
        corrupted[offset] ^= 0x10;
        Assert.That(FcipEncapsulation.TryRead(corrupted, out _, out _, out string? reason), Is.EqualTo(FcipDecodeStatus.Invalid));
        Assert.That(reason, Does.Contain(expected));
    }

    [Test]
    public void RandomMutationsNeverThrowAndNeverPassACorruptedFrame()
    {
        Random random = new(7);
        for (int n = 0; n < 20_000; n++)
        {
            byte[] mutated = (byte[])GoldenWrite16.Clone();
            int flips = 1 + random.Next(4);
            for (int f = 0; f < flips; f++)
            {
                mutated[random.Next(mutated.Length)] ^= (byte)(1 + random.Next(255));
            }

            FcipDecodeStatus status = FcipEncapsulation.TryRead(mutated.AsSpan(0, random.Next(mutated.Length + 1)), out FcipFrame frame, out _, out _);
            if (status == FcipDecodeStatus.Frame)
            {
                // The only frames that may pass are those whose FC content survived (the flips hit the time stamp).
                Assert.That(frame.FcFrame.ToArray(), Is.EqualTo(Write16Frame()), "input " + n);
            }
        }
    }

    [Test]
    public void InvalidFramesAreNotEncapsulated()
    {
        byte[] wire = new byte[4096];
        Assert.That(FcipEncapsulation.TryWrite(new byte[20], FcDelimiter.StartInitiate3, FcDelimiter.EndTerminate, 0, 0, wire, out _), Is.False, "shorter than an FC header");
        Assert.That(FcipEncapsulation.TryWrite(new byte[26], FcDelimiter.StartInitiate3, FcDelimiter.EndTerminate, 0, 0, wire, out _), Is.False, "not whole words");
        Assert.That(FcipEncapsulation.TryWrite(new byte[FcipEncapsulation.MaxFcFrameLength + 4], FcDelimiter.StartInitiate3, FcDelimiter.EndTerminate, 0, 0, wire, out _), Is.False, "payload over 2112 bytes");
        Assert.That(FcipEncapsulation.TryWrite(new byte[24], 0x00, FcDelimiter.EndTerminate, 0, 0, wire, out _), Is.False, "not an SOF code");
        Assert.That(FcipEncapsulation.TryWrite(new byte[24], FcDelimiter.StartInitiate3, FcDelimiter.EndTerminate, 0, 0, new byte[63], out _), Is.False, "no room");
    }

    private static byte[] Write16Frame()
    {
        return GoldenWrite16.AsSpan(32, 24 + 32).ToArray();
    }
}
