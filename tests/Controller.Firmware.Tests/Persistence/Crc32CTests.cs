// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Persistence;

namespace Controller.Firmware.Tests.Persistence;

public sealed class Crc32CTests
{
    // The check value of the CRC catalogue and the test vectors of RFC 3720 (iSCSI), appendix B.4.
    [TestCase("123456789", 0xE3069283u)]
    [TestCase("", 0x00000000u)]
    public void TheCatalogueCheckValues(string text, uint expected)
    {
        Assert.That(Crc32C.Compute(System.Text.Encoding.ASCII.GetBytes(text)), Is.EqualTo(expected));
    }

    [Test]
    public void TheIscsiVectors()
    {
        byte[] ascending = new byte[32];
        byte[] descending = new byte[32];
        for (int i = 0; i < 32; i++)
        {
            ascending[i] = (byte)i;
            descending[i] = (byte)(31 - i);
        }

        Assert.That(Crc32C.Compute(new byte[32]), Is.EqualTo(0x8A9136AAu), "32 bytes of zeros");
        Assert.That(Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()), Is.EqualTo(0x62A8AB43u), "32 bytes of ones");
        Assert.That(Crc32C.Compute(ascending), Is.EqualTo(0x46DD794Eu), "0 to 31");
        Assert.That(Crc32C.Compute(descending), Is.EqualTo(0x113FDB5Cu), "31 to 0");
    }

    [Test]
    public void AppendingInPiecesGivesTheWholesChecksum()
    {
        byte[] data = new byte[1000];
        new Random(7).NextBytes(data);
        for (int split = 0; split <= data.Length; split += 37)
        {
            uint running = Crc32C.Append(~0u, data.AsSpan(0, split));
            Assert.That(~Crc32C.Append(running, data.AsSpan(split)), Is.EqualTo(Crc32C.Compute(data)), "split at " + split);
        }
    }
}
