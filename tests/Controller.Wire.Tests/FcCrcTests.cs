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

    [Test]
    public void CarrylessFoldingAgreesWithTheByteAtATimeDefinitionAtEveryLengthAndOffset()
    {
        // Every length from 0 to 700 (the folding starts at 64 and leaves a tail of 0-15 bytes), at offsets 0-3
        // (unaligned loads), and the largest FC frame.
        byte[] data = new byte[FcipEncapsulation.MaxFcFrameLength + 3];
        new Random(20261122).NextBytes(data);
        int mismatches = 0;
        string? first = null;
        for (int offset = 0; offset < 4; offset++)
        {
            for (int length = 0; length <= 700; length++)
            {
                ReadOnlySpan<byte> slice = data.AsSpan(offset, length);
                if (FcCrc.Compute(slice) != FcCrc.ComputeBytewise(slice) || FcCrc.ComputeWithTables(slice) != FcCrc.ComputeBytewise(slice))
                {
                    mismatches++;
                    first ??= "offset " + offset + " length " + length;
                }
            }
        }

        byte[] largest = data.AsSpan(3, FcipEncapsulation.MaxFcFrameLength).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(mismatches, Is.Zero, "the folding and the tables equal the definition everywhere; first mismatch at " + first);
            Assert.That(FcCrc.Compute(largest), Is.EqualTo(FcCrc.ComputeBytewise(largest)), "the largest FC frame, 2,136 bytes");
        });
    }
}
