// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using FsCheck;
using FsCheck.Fluent;

namespace Controller.Firmware.Tests.Addressing;

[Category("R0-2")]
public sealed class VolumeAddressTests
{
    [TestCase("0x400104, 0x0001")]
    [TestCase("0x400104, 0x0002")]
    [TestCase("0x421014, 0x0005")]
    [TestCase("0xFFFFFF, 0xFFFF")]
    [TestCase("0x000000, 0x0000")]
    public void Fig7NotationRoundTripsExactly(string text)
    {
        VolumeAddress address = VolumeAddress.Parse(text);
        Assert.That(address.ToString(), Is.EqualTo(text), "format(parse(text)) is the text itself");
    }

    [Test]
    public void TheFieldsOfAnAddressAreItsPortIdAndLun()
    {
        VolumeAddress address = VolumeAddress.Parse("0x400104, 0x0001");
        Assert.That(address.PortId.Value, Is.EqualTo(0x400104u), "port ID");
        Assert.That(address.PortId.Domain, Is.EqualTo(0x40), "domain");
        Assert.That(address.PortId.Area, Is.EqualTo(0x01), "area");
        Assert.That(address.PortId.Port, Is.EqualTo(0x04), "port");
        Assert.That(address.Lun.Value, Is.EqualTo(0x0001), "LUN");
    }

    [TestCase("0x400104/0x0001")]
    [TestCase("(0x400104, 0x0001)")]
    [TestCase("  0x400104 ,0x0001  ")]
    [TestCase("0X400104, 0X0001")]
    [TestCase("0x400104,0x0001")]
    public void OtherAcceptedFormsPrintInFig7Form(string text)
    {
        Assert.That(VolumeAddress.Parse(text).ToString(), Is.EqualTo("0x400104, 0x0001"), "'" + text + "' normalises to the FIG 7 form");
    }

    [Test]
    public void LowerCaseHexPrintsUpperCase()
    {
        Assert.That(VolumeAddress.Parse("0x42101a, 0x00ff").ToString(), Is.EqualTo("0x42101A, 0x00FF"), "hex digits print as 0x%06X / 0x%04X");
    }

    [TestCase("", "needs a port ID and a LUN separated by ',' or '/'")]
    [TestCase("0x400104", "needs a port ID and a LUN separated by ',' or '/'")]
    [TestCase("0x400104, 0x0001, 0x0002", "has more than one separator")]
    [TestCase("0x40010, 0x0001", "port ID '0x40010' must have exactly 6 hex digits after 0x, not 5")]
    [TestCase("0x4001040, 0x0001", "port ID '0x4001040' must have exactly 6 hex digits after 0x, not 7")]
    [TestCase("400104, 0x0001", "port ID '400104' must start with 0x")]
    [TestCase("0x4001G4, 0x0001", "port ID '0x4001G4' has a character that is not a hex digit")]
    [TestCase(", 0x0001", "port ID is missing")]
    [TestCase("0x400104, ", "LUN is missing")]
    [TestCase("0x400104, 0x00001", "LUN '0x00001' must have exactly 4 hex digits after 0x, not 5")]
    [TestCase("0x400104, 1", "LUN '1' must start with 0x")]
    [TestCase("0x400104, 0x-001", "LUN '0x-001' has a character that is not a hex digit")]
    public void MalformedTextIsRejectedSayingWhatIsWrong(string text, string expected)
    {
        Assert.That(VolumeAddress.TryParse(text, out _, out string? error), Is.False, "'" + text + "' is not an address");
        Assert.That(error, Does.Contain(expected), "the message says what is wrong");
        FormatException? ex = Assert.Throws<FormatException>(() => VolumeAddress.Parse(text), "Parse throws for '" + text + "'");
        Assert.That(ex!.Message, Is.EqualTo(error), "Parse and TryParse give the same message");
    }

    [Test]
    public void PortIdsBeyond24BitsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new PortId(0x1000000), "0x1000000 needs 25 bits");
    }

    [FsCheck.NUnit.Property(MaxTest = 500)]
    public Property EveryAddressRoundTripsThroughItsText()
    {
        Gen<VolumeAddress> addresses =
            from port in Gen.Choose(0, (int)PortId.MaxValue)
            from lun in Gen.Choose(0, ushort.MaxValue)
            select new VolumeAddress(new PortId((uint)port), new Lun((ushort)lun));
        return Prop.ForAll(addresses.ToArbitrary(), address =>
        {
            string text = address.ToString();
            Assert.That(VolumeAddress.TryParse(text, out VolumeAddress back, out string? error), Is.True, "'" + text + "' parses: " + error);
            Assert.That(back, Is.EqualTo(address), "parse(format(a)) == a for " + text);
            string slashed = address.PortId + "/" + address.Lun;
            Assert.That(VolumeAddress.Parse(slashed), Is.EqualTo(address), "the slash form parses to the same address");
        });
    }
}
