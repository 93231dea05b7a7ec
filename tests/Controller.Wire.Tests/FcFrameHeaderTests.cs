// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

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
            DestinationId = 0x400104,
            SourceId = 0x010200,
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
        byte[] bytes = new byte[FcFrameHeader.Length];
        Assert.That(new FcFrameHeader { DestinationId = 0x1000000 }.TryWrite(bytes), Is.False, "D_ID");
        Assert.That(new FcFrameHeader { SourceId = -1 }.TryWrite(bytes), Is.False, "S_ID");
        Assert.That(new FcFrameHeader { FrameControl = 0x1000000 }.TryWrite(bytes), Is.False, "F_CTL");
        Assert.That(bytes, Is.All.Zero, "a refused write writes nothing");
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
