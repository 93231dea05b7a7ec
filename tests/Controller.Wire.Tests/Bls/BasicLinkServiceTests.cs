// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Wire.Bls;

namespace Controller.Wire.Tests.Bls;

[Category("Standards")]
public sealed class BasicLinkServiceTests
{
    [Test]
    public void ABasicAcceptForAWholeExchangeIsWrittenByteForByte()
    {
        byte[] payload = new byte[BasicAccept.Length];
        Assert.That(BasicAccept.WholeExchange(0x1234, 0x1234).TryWrite(payload), Is.True);
        Assert.That(Convert.ToHexString(payload), Is.EqualTo("00000000" + "12341234" + "0000FFFF"), "SEQ_ID invalid, SEQ_ID 0, reserved, OX_ID, RX_ID, SEQ_CNT 0x0000-0xFFFF (FC-FS-3 BA_ACC)");
    }

    [Test]
    public void ABasicAcceptRoundTripsAndRefusesABadValidityByte()
    {
        BasicAccept accept = new(true, 7, 1, 2, 3, 4);
        byte[] payload = new byte[BasicAccept.Length];
        accept.TryWrite(payload);
        Assert.Multiple(() =>
        {
            Assert.That(payload[0], Is.EqualTo(0x80), "SEQ_ID valid is 0x80");
            Assert.That(BasicAccept.TryRead(payload, out BasicAccept read) ? read : default, Is.EqualTo(accept), "round trip");
            payload[0] = 0x01;
            Assert.That(BasicAccept.TryRead(payload, out _), Is.False, "validity is 0x00 or 0x80");
            Assert.That(BasicAccept.TryRead(new byte[11], out _), Is.False, "12 bytes");
            Assert.That(accept.TryWrite(new byte[11]), Is.False, "a short destination");
        });
    }

    [Test]
    public void ABasicRejectForNoSuchExchangeIsWrittenByteForByte()
    {
        byte[] payload = new byte[BasicReject.Length];
        Assert.That(BasicReject.NoSuchExchange.TryWrite(payload), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(Convert.ToHexString(payload), Is.EqualTo("00030300"), "reserved, logical error, invalid OX_ID-RX_ID combination, vendor 0");
            Assert.That(BasicReject.TryRead(payload, out BasicReject read) ? read : default, Is.EqualTo(BasicReject.NoSuchExchange), "round trip");
            Assert.That(BasicReject.TryRead(new byte[3], out _), Is.False, "4 bytes");
        });
    }
}
