// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Wire.CopyManagement;

namespace Controller.Wire.Tests.CopyManagement;

public sealed class WireVolumeIdTests
{
    [TestCase(0x400104, (ushort)0x0001, "0x400104/0x0001")]
    [TestCase(0, (ushort)0, "0x000000/0x0000")]
    [TestCase(0xFFFFFF, (ushort)0xFFFF, "0xFFFFFF/0xFFFF")]
    public void AVolumeFormatsAsPortIdSlashLun(int portId, ushort lun, string text)
    {
        Assert.That(new WireVolumeId(new PortId((uint)portId), lun).ToString(), Is.EqualTo(text), "six hex digits, a slash, four hex digits");
    }

    [TestCase(0u, true)]
    [TestCase(0xFFFFFFu, true)]
    [TestCase(0x1000000u, false)]
    [TestCase(uint.MaxValue, false)]
    public void OnlyATwentyFourBitPortIdCanNameAVolume(uint portId, bool fits)
    {
        // The port ID of a volume ID is a PortId: a value over 24 bits is refused when the PortId is made, so every
        // volume ID the codec is given fits its 3-byte field (PairListTests decodes the bytes back into the PortId).
        string what = "port ID 0x" + portId.ToString("X", System.Globalization.CultureInfo.InvariantCulture);
        if (fits)
        {
            Assert.That(new WireVolumeId(new PortId(portId), 1).PortId.Value, Is.EqualTo(portId), what);
        }
        else
        {
            Assert.That(() => new WireVolumeId(new PortId(portId), 1), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("does not fit in 24 bits"), what);
        }
    }

    [TestCase("0x400104, 0x0001")]
    [TestCase("0x000000, 0x0000")]
    [TestCase("0xFFFFFF, 0xFFFF")]
    public void AVolumeAddressCrossesTheCodecUnchanged(string text)
    {
        VolumeAddress address = VolumeAddress.Parse(text);
        WireVolumeId id = new(address);

        Assert.Multiple(() =>
        {
            Assert.That((id.PortId, id.Lun), Is.EqualTo((address.PortId, address.Lun.Value)), "the same 24-bit port ID and LUN on the wire");
            Assert.That(id.ToVolumeAddress(), Is.EqualTo(address), "and back");
        });
    }

    [Test]
    public void APairFormatsPVolArrowSVol()
    {
        WirePair pair = new(new WireVolumeId(new PortId(0x400104), 4), new WireVolumeId(new PortId(0x421014), 5));
        Assert.That(pair.ToString(), Is.EqualTo("0x400104/0x0004 -> 0x421014/0x0005"), "as docs/protocol.md writes the FIG 7 pairs");
    }
}
