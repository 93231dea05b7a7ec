// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;

namespace Controller.Firmware.Tests.Media;

public sealed class StreamingCopyTests
{
    [TestCase(0, 65536)]
    [TestCase(1, 65536)]
    [TestCase(7, 4096)]
    [TestCase(33, 65536 - 5)]
    [TestCase(0, 100)]
    public void CopiesEveryByteWhateverTheAlignmentAndLength(int offset, int length)
    {
        byte[] source = new byte[length];
        new Random(length).NextBytes(source);
        byte[] destination = new byte[offset + length + 64];
        destination.AsSpan().Fill(0xEE);
        StreamingCopy.Copy(source, destination.AsSpan(offset));
        Assert.That(destination.AsSpan(offset, length).SequenceEqual(source), Is.True, "the copy");
        Assert.That(destination[..offset], Is.All.EqualTo(0xEE), "nothing before");
        Assert.That(destination[(offset + length)..], Is.All.EqualTo(0xEE), "nothing after");
    }

    [Test]
    public void ATooShortDestinationIsRefused()
    {
        Assert.Throws<ArgumentException>(() => StreamingCopy.Copy(new byte[8192], new byte[8191]));
    }
}
