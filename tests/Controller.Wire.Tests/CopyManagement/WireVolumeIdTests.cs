// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

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

    [Test]
    public void APairFormatsPVolArrowSVol()
    {
        WirePair pair = new(new WireVolumeId(0x400104, 4), new WireVolumeId(0x421014, 5));
        Assert.That(pair.ToString(), Is.EqualTo("0x400104/0x0004 -> 0x421014/0x0005"), "as docs/protocol.md writes the FIG 7 pairs");
    }
}
