// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Daemon.Tests.Recording;

public sealed class ByteSizeTests
{
    [TestCase("0", 0L)]
    [TestCase("65536", 65536L)]
    [TestCase("64k", 65536L)]
    [TestCase("64KiB", 65536L)]
    [TestCase("256M", 268435456L)]
    [TestCase("256mb", 268435456L)]
    [TestCase("1G", 1073741824L)]
    [TestCase("1GiB", 1073741824L)]
    public void ASizeParsesInBinaryUnits(string text, long expected)
    {
        Assert.That((ByteSize.TryParse(text, out long bytes), bytes), Is.EqualTo((true, expected)), text);
    }

    [TestCase("")]
    [TestCase("k")]
    [TestCase("-1")]
    [TestCase("1.5G")]
    [TestCase("12 M")]
    [TestCase("10T")]
    [TestCase("99999999999G")]
    public void NotASizeIsRefused(string text)
    {
        Assert.That(ByteSize.TryParse(text, out _), Is.False, "'" + text + "'");
    }
}
