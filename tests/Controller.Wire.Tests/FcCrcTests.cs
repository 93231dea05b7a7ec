// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Controller.Wire.Tests;

public sealed class FcCrcTests
{
    [Test]
    public void TheCheckValueOfCrc32IsRight()
    {
        // The standard check value of CRC-32 (IEEE 802.3): "123456789" -> 0xCBF43926.
        Assert.That(FcCrc.Compute(Encoding.ASCII.GetBytes("123456789")), Is.EqualTo(0xCBF43926u));
        Assert.That(FcCrc.Compute([]), Is.Zero, "the empty input");
    }

    [FsCheck.NUnit.Property(MaxTest = 500)]
    public Property SlicingByEightAgreesWithTheByteAtATimeDefinition()
    {
        return Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), data =>
        {
            Assert.That(FcCrc.Compute(data), Is.EqualTo(FcCrc.ComputeBytewise(data)), Convert.ToHexString(data));
        });
    }
}
