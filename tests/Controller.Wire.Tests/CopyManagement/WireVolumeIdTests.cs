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
        Assert.That(new WireVolumeId(portId, lun).ToString(), Is.EqualTo(text), "six hex digits, a slash, four hex digits");
    }

    [TestCase(0, true)]
    [TestCase(0xFFFFFF, true)]
    [TestCase(0x1000000, false)]
    [TestCase(-1, false)]
    public void OnlyATwentyFourBitPortIdIsEncodable(int portId, bool encodable)
    {
        Assert.That(new WireVolumeId(portId, 1).IsEncodable, Is.EqualTo(encodable), "port ID 0x" + portId.ToString("X", System.Globalization.CultureInfo.InvariantCulture));
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
            Assert.That((id.PortId, id.Lun), Is.EqualTo(((int)address.PortId.Value, address.Lun.Value)), "the same 24-bit port ID and LUN on the wire");
            Assert.That(id.ToVolumeAddress(), Is.EqualTo(address), "and back");
        });
    }

    [TestCase(0x1000000)]
    [TestCase(-1)]
    public void AnIdThatIsNotEncodableIsNoVolumeAddress(int portId)
    {
        // As the port front's own conversion did before it moved here: a PortId refuses a value over 24 bits.
        Assert.That(() => new WireVolumeId(portId, 1).ToVolumeAddress(), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("does not fit in 24 bits"));
    }

    [Test]
    public void APairFormatsPVolArrowSVol()
    {
        WirePair pair = new(new WireVolumeId(0x400104, 4), new WireVolumeId(0x421014, 5));
        Assert.That(pair.ToString(), Is.EqualTo("0x400104/0x0004 -> 0x421014/0x0005"), "as docs/protocol.md writes the FIG 7 pairs");
    }
}
