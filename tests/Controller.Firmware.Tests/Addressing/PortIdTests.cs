// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using Controller.Addressing;
using FsCheck;
using FsCheck.Fluent;

namespace Controller.Firmware.Tests.Addressing;

public sealed class PortIdTests
{
    // The frame header no longer checks D_ID and S_ID: the type does, for every value a port ID is made from.
    [TestCase(0x1000000u)]
    [TestCase(0x7FFFFFFFu)]
    [TestCase(uint.MaxValue)]
    public void AValueOverTwentyFourBitsIsNoPortId(uint value)
    {
        Assert.That(() => new PortId(value), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("does not fit in 24 bits"), "0x" + value.ToString("X", CultureInfo.InvariantCulture));
    }

    [FsCheck.NUnit.Property(MaxTest = 500)]
    public Property ThreeBytesMakeThePortIdTheyAreTheBytesOf()
    {
        Gen<(byte Domain, byte Area, byte Port)> bytes =
            from domain in ArbMap.Default.GeneratorFor<byte>()
            from area in ArbMap.Default.GeneratorFor<byte>()
            from port in ArbMap.Default.GeneratorFor<byte>()
            select (domain, area, port);
        return Prop.ForAll(bytes.ToArbitrary(), b =>
        {
            PortId id = PortId.FromBytes(b.Domain, b.Area, b.Port);
            Assert.That(id, Is.EqualTo(new PortId(((uint)b.Domain << 16) | ((uint)b.Area << 8) | b.Port)), "the checked constructor makes the same port ID");
            Assert.That((id.Domain, id.Area, id.Port), Is.EqualTo(b), "and its bytes are the ones it was made of");
        });
    }

    [Test]
    public void TheLargestThreeBytesAreTheLargestPortId()
    {
        Assert.That(PortId.FromBytes(0xFF, 0xFF, 0xFF).Value, Is.EqualTo(PortId.MaxValue), "0xFFFFFF");
    }

    [Test]
    public void ANumericFormatFormatsTheNumberAndNoFormatTheHexNotation()
    {
        PortId id = new(0x400104);
        Assert.Multiple(() =>
        {
            Assert.That(string.Format(CultureInfo.InvariantCulture, "0x{0:X6}", id), Is.EqualTo("0x400104"), "a template written for the number prints the same");
            Assert.That(string.Format(CultureInfo.InvariantCulture, "{0}", id), Is.EqualTo("0x400104"), "without a format: ToString()");
            Assert.That(id.ToString("X6", CultureInfo.InvariantCulture), Is.EqualTo("400104"), "six hex digits");
            Assert.That(new PortId(0x0A).ToString("X6", CultureInfo.InvariantCulture), Is.EqualTo("00000A"), "zero-padded");
        });
    }
}
