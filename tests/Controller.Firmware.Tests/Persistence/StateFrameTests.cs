// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers;
using Controller.Firmware.Persistence;

namespace Controller.Firmware.Tests.Persistence;

public sealed class StateFrameTests
{
    [Test]
    public void AFrameReadsBackAsWritten()
    {
        ArrayBufferWriter<byte> file = new();
        StateFrame.Write(file, StateRecordKind.PairRow, [1, 2, 3]);
        StateFrame.Write(file, StateRecordKind.PairDeleted, [9, 0, 0, 0]);

        Assert.That(StateFrame.TryRead(file.WrittenSpan, out StateRecordKind kind, out ReadOnlySpan<byte> payload, out int consumed), Is.Null);
        Assert.That(kind, Is.EqualTo(StateRecordKind.PairRow));
        Assert.That(payload.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3 }));
        Assert.That(StateFrame.TryRead(file.WrittenSpan.Slice(consumed), out kind, out payload, out int second), Is.Null);
        Assert.That(kind, Is.EqualTo(StateRecordKind.PairDeleted));
        Assert.That(consumed + second, Is.EqualTo(file.WrittenCount), "two frames, nothing else");
        Assert.That(StateFrame.TryRead(file.WrittenSpan.Slice(consumed + second), out _, out _, out _), Is.EqualTo("end"));
    }

    [Test]
    public void EveryCutOfAFrameIsATornTailNeverARecord()
    {
        ArrayBufferWriter<byte> file = new();
        StateFrame.Write(file, StateRecordKind.PairRow, new byte[100]);
        for (int length = 1; length < file.WrittenCount; length++)
        {
            string? why = StateFrame.TryRead(file.WrittenSpan.Slice(0, length), out _, out _, out int consumed);
            Assert.That(why, Is.Not.Null.And.Not.EqualTo("end"), "cut at " + length);
            Assert.That(consumed, Is.Zero);
        }
    }

    [Test]
    public void EverySingleBitFlipIsFound([Values(1, 2, 3)] int seed)
    {
        Random random = new(seed);
        byte[] payload = new byte[random.Next(1, 300)];
        random.NextBytes(payload);
        ArrayBufferWriter<byte> file = new();
        StateFrame.Write(file, StateRecordKind.Bitmap, payload);
        byte[] frame = file.WrittenSpan.ToArray();
        List<int> believed = [];
        for (int bit = 0; bit < frame.Length * 8; bit++)
        {
            byte[] damaged = (byte[])frame.Clone();
            damaged[bit / 8] ^= (byte)(1 << (bit % 8));
            if (StateFrame.TryRead(damaged, out _, out _, out _) is null)
            {
                believed.Add(bit);
            }
        }

        Assert.That(believed, Is.Empty, "bits whose flip went unnoticed");
    }

    [Test]
    public void AGarbageLengthIsRefusedBeforeItIsBelieved()
    {
        byte[] garbage = [0xFF, 0xFF, 0xFF, 0x7F, 0, 0, 0, 0, 1, 2, 3];
        Assert.That(StateFrame.TryRead(garbage, out _, out _, out _), Does.Contain("frame length"));
    }
}
