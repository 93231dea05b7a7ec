// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using FsCheck;
using FsCheck.Fluent;

namespace Controller.Wire.Tests;

public sealed class FcFrameHeaderTests
{
    // An FCP_CMND from initiator 0x010200 to target port 0x400104, exchange 0x1234, RX_ID not yet assigned, F_CTL
    // "first sequence, last sequence, sequence initiative transferred" (0x290000), as FCP-4 sends a command.
    private static readonly byte[] GoldenCommandHeader = Convert.FromHexString("064001040001020008290000000000001234FFFF00000000");

    [Test]
    public void AnFcpCommandHeaderEncodesByteForByte()
    {
        FcFrameHeader header = new()
        {
            RoutingControl = FcRoutingControl.Command,
            DestinationId = new PortId(0x400104),
            SourceId = new PortId(0x010200),
            Type = FcFrameHeader.TypeFcp,
            FrameControl = 0x290000,
            OriginatorExchangeId = 0x1234,
            ResponderExchangeId = 0xFFFF,
        };
        byte[] bytes = new byte[FcFrameHeader.Length];
        Assert.That(header.TryWrite(bytes), Is.True);
        Assert.That(Convert.ToHexString(bytes), Is.EqualTo(Convert.ToHexString(GoldenCommandHeader)), "FC-FS word layout, big-endian");
        Assert.That(FcFrameHeader.TryRead(GoldenCommandHeader, out FcFrameHeader read), Is.True);
        Assert.That(read, Is.EqualTo(header), "and it decodes back");
    }

    [Test]
    public void ATruncatedHeaderIsRefused()
    {
        Assert.That(FcFrameHeader.TryRead(GoldenCommandHeader.AsSpan(0, FcFrameHeader.Length - 1), out _), Is.False, "23 bytes are not a header");
        Assert.That(default(FcFrameHeader).TryWrite(new byte[FcFrameHeader.Length - 1]), Is.False, "nor room for one");
    }

    [Test]
    public void FieldsWiderThanTwentyFourBitsAreRefused()
    {
        // D_ID and S_ID are PortIds, which refuse more than 24 bits when they are made
        // (VolumeAddressTests.PortIdsBeyond24BitsAreRejected, PortIdTests); F_CTL is a number the encoder checks.
        byte[] bytes = new byte[FcFrameHeader.Length];
        Assert.That(new FcFrameHeader { FrameControl = 0x1000000 }.TryWrite(bytes), Is.False, "F_CTL");
        Assert.That(bytes, Is.All.Zero, "a refused write writes nothing");
    }

    [TestCase("064001040001020008290000000000001234FFFF00000000", 0x400104u, 0x010200u)]
    [TestCase("06FFFFFF00000000082900000000000012340000FFFFFFFF", 0xFFFFFFu, 0x000000u)]
    [TestCase("06000000FF800001082900000000000012340000FFFFFFFF", 0x000000u, 0x800001u)]
    public void TheThreeBytesOfDIdAndSIdDecodeIntoTheirPortIds(string hex, uint destination, uint source)
    {
        // Bytes 1-3 are D_ID and bytes 5-7 S_ID, domain first (FC-FS word 0 and word 1).
        byte[] bytes = Convert.FromHexString(hex);
        Assert.That(FcFrameHeader.TryRead(bytes, out FcFrameHeader header), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(header.DestinationId, Is.EqualTo(new PortId(destination)), "D_ID");
            Assert.That((header.DestinationId.Domain, header.DestinationId.Area, header.DestinationId.Port), Is.EqualTo((bytes[1], bytes[2], bytes[3])), "D_ID domain, area, port");
            Assert.That(header.SourceId, Is.EqualTo(new PortId(source)), "S_ID");
            Assert.That((header.SourceId.Domain, header.SourceId.Area, header.SourceId.Port), Is.EqualTo((bytes[5], bytes[6], bytes[7])), "S_ID domain, area, port");
        });
        byte[] again = new byte[FcFrameHeader.Length];
        Assert.That(header.TryWrite(again), Is.True);
        Assert.That(Convert.ToHexString(again), Is.EqualTo(hex), "and the port IDs encode back to the same three bytes");
    }

    [FsCheck.NUnit.Property(MaxTest = 500)]
    public Property EveryHeaderDecodesAndEncodesToTheSameBytes()
    {
        Gen<byte[]> headers = Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), FcFrameHeader.Length);
        return Prop.ForAll(headers.ToArbitrary(), bytes =>
        {
            Assert.That(FcFrameHeader.TryRead(bytes, out FcFrameHeader header), Is.True);
            byte[] again = new byte[FcFrameHeader.Length];
            Assert.That(header.TryWrite(again), Is.True);
            Assert.That(again, Is.EqualTo(bytes), Convert.ToHexString(bytes));
        });
    }
}
