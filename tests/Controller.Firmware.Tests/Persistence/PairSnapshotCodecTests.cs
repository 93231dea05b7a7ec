// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers;
using Controller.Addressing;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Persistence;
using Controller.Firmware.RemoteCopy;

namespace Controller.Firmware.Tests.Persistence;

public sealed class PairSnapshotCodecTests
{
    /// <summary>A row with every field drawn from a seed (property tests of the codec).</summary>
    /// <param name="random">The draws.</param>
    /// <param name="entryId">The row's entry ID.</param>
    /// <returns>The row.</returns>
    internal static PairSnapshot Draw(Random random, int entryId)
    {
        VolumeAddress Address() => new(new PortId((uint)random.Next(0, 0x1000000)), new Lun((ushort)random.Next(0, 0x10000)));
        return new PairSnapshot
        {
            EntryId = entryId,
            PVol = Address(),
            PVolLdev = new LdevId((ushort)random.Next(0, 0x10000)),
            SVol = Address(),
            SVolLdev = new LdevId((ushort)random.Next(0, 0x10000)),
            MirrorUnit = random.Next(0, 3),
            Type = (MirrorType)random.Next(0, 2),
            Role = (PairRole)random.Next(0, 2),
            Fence = (FenceLevel)random.Next(0, 2),
            Peer = random.Next(),
            Determining = random.Next(2) == 0,
            State = (PairState)random.Next(0, 7),
            SplitMode = (SplitMode)random.Next(0, 2),
            PVolProtected = random.Next(2) == 0,
            MirrorName = random.Next(3) == 0 ? null : "MIRROR-" + random.Next(1000) + (random.Next(2) == 0 ? "-Ü" : string.Empty),
            SplitSequence = random.NextInt64(),
            SplitTime = random.Next(2) == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(random.NextInt64(0, 4_000_000_000_000)),
            SplitSource = new SplitIdentity(random.Next(0, 65536), random.Next()),
            SplitUpstream = random.Next(2) == 0 ? null : Address(),
        };
    }

    [Test]
    public void RowsReadBackAsWritten([Values(1, 2, 3, 4)] int seed)
    {
        Random random = new(seed);
        for (int i = 0; i < 500; i++)
        {
            PairSnapshot row = Draw(random, random.Next());
            ArrayBufferWriter<byte> payload = new();
            PairSnapshotCodec.Encode(row, payload);

            Assert.That(PairSnapshotCodec.TryDecode(payload.WrittenSpan, out PairSnapshot? back), Is.Null, "row " + i);
            Assert.That(back, Is.EqualTo(row), "row " + i + " of seed " + seed);
        }
    }

    [Test]
    public void EveryShortenedRowIsRefused()
    {
        ArrayBufferWriter<byte> payload = new();
        PairSnapshotCodec.Encode(Draw(new Random(5), 7), payload);
        for (int length = 0; length < payload.WrittenCount; length++)
        {
            Assert.That(PairSnapshotCodec.TryDecode(payload.WrittenSpan.Slice(0, length), out PairSnapshot? row), Is.Not.Null, "cut at " + length);
            Assert.That(row, Is.Null);
        }
    }

    [Test]
    public void AValueOutOfRangeOrAnUnknownLayoutIsRefused()
    {
        ArrayBufferWriter<byte> payload = new();
        PairSnapshotCodec.Encode(Draw(new Random(6), 7), payload);
        byte[] unknownLayout = payload.WrittenSpan.ToArray();
        unknownLayout[0] = 2;
        byte[] badPort = payload.WrittenSpan.ToArray();
        badPort[5 + 3] = 0x01; // the P-VOL's port ID, fourth byte: beyond 24 bits

        Assert.That(PairSnapshotCodec.TryDecode(unknownLayout, out _), Does.Contain("layout 2"));
        Assert.That(PairSnapshotCodec.TryDecode(badPort, out _), Does.Contain("out of range"));
    }
}
