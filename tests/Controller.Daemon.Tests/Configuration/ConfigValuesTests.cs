// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Daemon.Configuration;

namespace Controller.Daemon.Tests.Configuration;

public sealed class ConfigValuesTests
{
    [TestCase("0", 0L)]
    [TestCase("512", 512L)]
    [TestCase("65536", 65536L)]
    [TestCase("1KiB", 1024L)]
    [TestCase("48KiB", 49152L)]
    [TestCase("64MiB", 67108864L)]
    [TestCase("1GiB", 1073741824L)]
    [TestCase("3GiB", 3221225472L)]
    [TestCase("2TiB", 2199023255552L)]
    [TestCase("8388607TiB", 8388607L << 40)]
    [TestCase("007KiB", 7168L)]
    public void SizesAreBytesWithAnOptionalBinarySuffix(string text, long expected)
    {
        Assert.That(ConfigValues.TryParseSize(text, "size", out long bytes, out string? error), Is.True, "'" + text + "' is a size: " + error);
        Assert.That(bytes, Is.EqualTo(expected), "'" + text + "' in bytes");
        Assert.That(error, Is.Null, "no error for a valid size");
    }

    [TestCase("")]
    [TestCase("KiB")]
    [TestCase("1K")]
    [TestCase("1KB")]
    [TestCase("1kib")]
    [TestCase("1 KiB")]
    [TestCase("1PiB")]
    [TestCase("1.5MiB")]
    [TestCase("-1")]
    [TestCase("+1")]
    [TestCase("0x200")]
    [TestCase("1_024")]
    public void AnythingElseIsNotASize(string text)
    {
        Assert.That(ConfigValues.TryParseSize(text, "size", out _, out string? error), Is.False, "'" + text + "' is not a size");
        Assert.That(error, Is.EqualTo("size '" + text + "' must be a whole number of bytes with an optional KiB, MiB, GiB or TiB suffix, e.g. 64MiB"), "the message shows the accepted form");
    }

    [TestCase("9223372036854775808")]
    [TestCase("99999999999999999999999")]
    [TestCase("8388608TiB")]
    [TestCase("9007199254740992KiB")]
    public void SizesBeyondSixtyThreeBitsAreTooLarge(string text)
    {
        Assert.That(ConfigValues.TryParseSize(text, "size", out _, out string? error), Is.False, "'" + text + "' overflows a long");
        Assert.That(error, Is.EqualTo("size '" + text + "' is too large"), "overflow is named, not wrapped around");
    }

    [TestCase("0x000000", 0x000000u)]
    [TestCase("0x400104", 0x400104u)]
    [TestCase("0xffffff", 0xFFFFFFu)]
    public void PortIdsAreSixHexDigits(string text, uint expected)
    {
        Assert.That(ConfigValues.TryParsePortId(text, out PortId portId, out _), Is.True, text);
        Assert.That(portId.Value, Is.EqualTo(expected), text);
    }

    [TestCase("0x1000000", "port ID '0x1000000' is over 24 bits; the largest is 0xFFFFFF")]
    [TestCase("0xFFFFFFFF", "port ID '0xFFFFFFFF' is over 24 bits; the largest is 0xFFFFFF")]
    [TestCase("0x0400104", "port ID '0x0400104' must have exactly 6 hex digits after 0x, not 7")]
    [TestCase("0x40010", "port ID '0x40010' must have exactly 6 hex digits after 0x, not 5")]
    [TestCase("0x40010Z", "port ID '0x40010Z' has a character that is not a hex digit")]
    public void PortIdsOverTwentyFourBitsSaySo(string text, string expected)
    {
        Assert.That(ConfigValues.TryParsePortId(text, out _, out string? error), Is.False, text + " is refused");
        Assert.That(error, Is.EqualTo(expected), "a 7-digit ID that fits in 24 bits keeps PortId's own message");
    }

    [TestCase("prod")]
    [TestCase("host-a")]
    [TestCase("Host_A.1")]
    [TestCase("x")]
    public void HostGroupNamesAreLettersDigitsAndSomePunctuation(string name)
    {
        Assert.That(ConfigValues.IsValidHostGroupName(name, out string? error), Is.True, "'" + name + "': " + error);
    }

    [TestCase("")]
    [TestCase("prod host")]
    [TestCase("prod/1")]
    [TestCase("0x010200")]
    [TestCase("initiators")]
    [TestCase("luns")]
    public void OtherHostGroupNamesAreRefused(string name)
    {
        Assert.That(ConfigValues.IsValidHostGroupName(name, out _), Is.False, "'" + name + "' is refused");
    }

    [Test]
    public void AHostGroupNameMayHaveSixtyFourCharactersButNotMore()
    {
        Assert.That(ConfigValues.IsValidHostGroupName(new string('a', 64), out _), Is.True, "64 characters");
        Assert.That(ConfigValues.IsValidHostGroupName(new string('a', 65), out _), Is.False, "65 characters");
    }
}
