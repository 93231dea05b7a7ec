// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Controller.Wire.Tests;

// The FC CRC (FC-FS) is the standard CRC-32 of IEEE 802.3; the codec takes it from System.IO.Hashing.Crc32
// (docs/performance.md, "FC CRC"). These tests hold the library to the standard and to FC's use of it.
public sealed class FcCrcTests
{

    [Test]
    public void TheCheckValueOfCrc32IsRight()
    {
        // The standard check value of CRC-32 (IEEE 802.3): "123456789" -> 0xCBF43926.
        Assert.That(Crc32.HashToUInt32(Encoding.ASCII.GetBytes("123456789")), Is.EqualTo(0xCBF43926u));
        Assert.That(Crc32.HashToUInt32([]), Is.Zero, "the empty input");
    }

    [FsCheck.NUnit.Property(MaxTest = 500)]
    public Property TheLibraryAgreesWithTheByteAtATimeDefinition()
    {
        return Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), data =>
        {
            Assert.That(Crc32.HashToUInt32(data), Is.EqualTo(Bytewise(data)), Convert.ToHexString(data));
        });
    }

    [Test]
    public void TheLibraryAgreesWithTheDefinitionAtEveryLengthAndOffsetUpToTheLargestFrame()
    {
        // Every length from 0 to 700 (the vectorized paths start at 16, 64 and more bytes and leave tails), at
        // offsets 0-3 (unaligned loads), and the largest FC frame.
        byte[] data = new byte[FcipEncapsulation.MaxFcFrameLength + 3];
        new Random(20261122).NextBytes(data);
        int mismatches = 0;
        string? first = null;
        for (int offset = 0; offset < 4; offset++)
        {
            for (int length = 0; length <= 700; length++)
            {
                ReadOnlySpan<byte> slice = data.AsSpan(offset, length);
                if (Crc32.HashToUInt32(slice) != Bytewise(slice))
                {
                    mismatches++;
                    first ??= "offset " + offset + " length " + length;
                }
            }
        }

        byte[] largest = data.AsSpan(3, FcipEncapsulation.MaxFcFrameLength).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(mismatches, Is.Zero, "the library equals the definition everywhere; first mismatch at " + first);
            Assert.That(Crc32.HashToUInt32(largest), Is.EqualTo(Bytewise(largest)), "the largest FC frame, 2,136 bytes");
        });
    }

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property AnEncapsulatedFrameCarriesTheCrcOfItsHeaderAndPayloadLeastSignificantByteFirst()
    {
        // docs/protocol.md: after the FC frame, the CRC-32 of header and payload, least significant byte first; the
        // reader checks it.
        return Prop.ForAll(ArbMap.Default.ArbFor<int>(), Gen.Choose(0, FcipEncapsulation.MaxPayloadLength / 4).ToArbitrary(), (seed, words) =>
        {
            byte[] frame = new byte[FcFrameHeader.Length + (words * 4)];
            new Random(seed).NextBytes(frame);
            byte[] wire = new byte[FcipEncapsulation.EncodedLength(frame.Length)];
            Assert.That(FcipEncapsulation.TryWrite(frame, FcDelimiter.StartInitiate3, FcDelimiter.EndTerminate, 0, 0, wire, out int written), Is.True, "encoded");
            uint carried = BinaryPrimitives.ReadUInt32LittleEndian(wire.AsSpan(FcipEncapsulation.FrameOffset + frame.Length));
            Assert.That(carried, Is.EqualTo(Bytewise(frame)), "the CRC field is the definition's CRC of the frame, little-endian");
            Assert.That(FcipEncapsulation.TryRead(wire.AsSpan(0, written), out _, out _, out string? reason), Is.EqualTo(FcipDecodeStatus.Frame), "and the reader takes it: " + reason);
        });
    }

    // CRC-32 by its definition, bit by bit (no table, so it shares nothing with a fast implementation): reflected
    // polynomial 0xEDB88320, initial value and final XOR 0xFFFFFFFF.
    private static uint Bytewise(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }
}
