// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Traces.Tests;

/// <summary>A volume on the command line is written as controllerd's configuration writes it, and refused otherwise.</summary>
public sealed class TraceVolumeTests
{
    [TestCase("0x400104,0x0001", 0x400104, 1)]
    [TestCase("0x421014,0x0005", 0x421014, 5)]
    [TestCase(" 0X00ABcd , 0x3FFF ", 0x00ABCD, 0x3FFF)]
    public void TheConfigurationsFormIsAccepted(string text, int port, int lun)
    {
        Assert.That(TraceVolume.TryParse(text, out TraceVolume volume, out string? error), Is.True, error);
        Assert.That(volume, Is.EqualTo(new TraceVolume(port, (ushort)lun)));
    }

    [TestCase("0x40010,0x0001", "volume '0x40010,0x0001': port ID '0x40010' must have exactly 6 hex digits after 0x, not 5")]
    [TestCase("0x4001040,0x0001", "port ID '0x4001040' is over 24 bits; the largest is 0xFFFFFF")]
    [TestCase("0x0400104,0x0001", "port ID '0x0400104' must have exactly 6 hex digits after 0x, not 7")]
    [TestCase("400104,0x0001", "port ID '400104' must start with 0x")]
    [TestCase("0x40010g,0x0001", "port ID '0x40010g' has a character that is not a hex digit")]
    [TestCase("0x400104,0x1", "LUN '0x1' must have exactly 4 hex digits after 0x, not 1")]
    [TestCase("0x400104,", "LUN is missing")]
    [TestCase("0x400104,0x4000", "LUN 0x4000 is above 0x3FFF")]
    [TestCase("0x000000,0x0001", "port ID 0x000000 is not an N_Port ID")]
    [TestCase("0x400104", "'0x400104' is not PORT-ID,LUN")]
    [TestCase("0x400104,0x0001,0x0002", "is not PORT-ID,LUN")]
    public void AnythingElseIsRefusedNamingTheFieldAndWhy(string text, string message)
    {
        Assert.That(TraceVolume.TryParse(text, out _, out string? error), Is.False, text + " is refused");
        Assert.That(error, Does.Contain(message));
    }
}
