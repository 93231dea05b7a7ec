// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire.Tests;

[Category("Standards")]
public sealed class FcipSpecialFrameTests
{
    private const string Golden =
        "0101FEFE" + "0101FEFE" + "0100FEFF" + "0011FFEE" + "00000000" + "00000000" + "00000000"
        + "1000000000000001" + "0102030405060708" + "1122334455667788" + "00000000"
        + "0000000000000000" + "00002710";

    [Test]
    public void AnOriginatorsSpecialFrameIsWrittenByteForByte()
    {
        byte[] frame = new byte[FcipSpecialFrame.Length];
        FcipSpecialFrame.Write(frame, 0x1000000000000001, 0x0102030405060708, 0x1122334455667788, 0, 10_000);
        Assert.Multiple(() =>
        {
            Assert.That(Convert.ToHexString(frame), Is.EqualTo(Golden), "encapsulation header with SF and 17 words, source WWN, entity, nonce, usage, destination WWN, K_A_TOV 10,000 ms");
            Assert.That(FcipSpecialFrame.TryCheck(frame, out string? reason), Is.True, reason);
        });
    }

    [Test]
    public void TheEchoNamesTheAcceptorAndSetsChOnlyWhenTheDestinationDiffers()
    {
        byte[] frame = Convert.FromHexString(Golden);
        byte[] echo = new byte[FcipSpecialFrame.Length];
        bool changed = FcipSpecialFrame.WriteEcho(frame, 0x300043544C000000, echo);
        byte[] again = new byte[FcipSpecialFrame.Length];
        bool changedAgain = FcipSpecialFrame.WriteEcho(echo, 0x300043544C000000, again);
        Assert.Multiple(() =>
        {
            Assert.That(changed, Is.True, "the originator named no entity");
            Assert.That(Convert.ToHexString(echo), Is.EqualTo(Golden.Replace("0100FEFF", "8100" + "7EFF", StringComparison.Ordinal).Replace("00000000" + "0000000000000000" + "00002710", "00000000" + "300043544C000000" + "00002710", StringComparison.Ordinal)), "Ch set (pFlags 0x81, complement 0x7E), destination WWN the acceptor's, the rest unchanged");
            Assert.That(changedAgain, Is.False, "naming the acceptor: unchanged");
            Assert.That(again[8], Is.EqualTo(FcipSpecialFrame.SpecialFrameFlag), "Ch clear");
        });
    }

    [TestCase(0, "encapsulation header")]
    [TestCase(10, "pFlags")]
    [TestCase(13, "17 words")]
    [TestCase(53, "reserved byte")]
    public void AMalformedSpecialFrameIsRefusedWithItsReason(int offset, string expected)
    {
        byte[] frame = Convert.FromHexString(Golden);
        frame[offset] ^= 0x04;
        Assert.Multiple(() =>
        {
            Assert.That(FcipSpecialFrame.TryCheck(frame, out string? reason), Is.False);
            Assert.That(reason, Does.Contain(expected));
            Assert.That(FcipSpecialFrame.TryCheck(frame.AsSpan(0, 67), out _), Is.False, "68 bytes");
        });
    }

    [Test]
    public void OnlyAnFcipHeaderWithTheSfBitStartsASpecialFrame()
    {
        byte[] frame = Convert.FromHexString(Golden);
        byte[] garbage = (byte[])frame.Clone();
        garbage[0] = 0x55;
        byte[] ordinary = (byte[])frame.Clone();
        ordinary[8] = 0;
        Assert.Multiple(() =>
        {
            Assert.That(FcipSpecialFrame.StartsWithSpecialFrame(frame), Is.True, "the FSF");
            Assert.That(FcipSpecialFrame.StartsWithSpecialFrame(garbage), Is.False, "bytes that are no FCIP header are refused as such, not as a bad FSF");
            Assert.That(FcipSpecialFrame.StartsWithSpecialFrame(ordinary), Is.False, "pFlags without SF: an ordinary frame");
            Assert.That(FcipSpecialFrame.StartsWithSpecialFrame(frame.AsSpan(0, 11)), Is.False, "12 bytes are needed to tell");
        });
    }
}
