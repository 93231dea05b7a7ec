// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers;
using Controller.Firmware.Bitmaps;
using Controller.Firmware.Media;
using Controller.Firmware.Pairs;
using Controller.Firmware.Persistence;

namespace Controller.Firmware.Tests.Persistence;

public sealed class BitmapRecordTests
{
    // 300,000 tracks of 64 KiB: five leaves, the last one partly beyond the volume.
    private const long Tracks = 300_000;
    private static readonly long s_blocks = Tracks * TrackGeometry.Default.BlocksPerTrack;

    [TestCase(1, 0.0001)]
    [TestCase(2, 0.01)]
    [TestCase(3, 0.5)]
    [TestCase(4, 1.0)]
    public void ABitmapReadsBackAsWritten(int seed, double density)
    {
        Random random = new(seed);
        DifferentialBitmap original = new(s_blocks, TrackGeometry.Default);
        for (long track = 0; track < Tracks; track++)
        {
            if (random.NextDouble() < density)
            {
                original.Set(track);
            }
        }

        DifferentialBitmap restored = new(s_blocks, TrackGeometry.Default);
        int records = 0;
        BitmapRecord.FromBitmap(original, 9, PairRole.SVol, leaf =>
        {
            ArrayBufferWriter<byte> payload = new();
            leaf.Encode(payload);
            Assert.That(BitmapRecord.TryDecode(payload.WrittenSpan, out BitmapRecord? back), Is.Null);
            Assert.That(back!.EntryId, Is.EqualTo(9));
            Assert.That(back.Side, Is.EqualTo(PairRole.SVol));
            back.ApplyTo(restored);
            records++;
        });

        Assert.That(restored.CountSet(), Is.EqualTo(original.CountSet()), "as many marked tracks");
        long firstDifference = -1;
        for (long track = 0; track < Tracks && firstDifference < 0; track++)
        {
            firstDifference = restored.IsSet(track) == original.IsSet(track) ? -1 : track;
        }

        Assert.That(firstDifference, Is.EqualTo(-1), "the first track marked in one and not the other");

        Assert.That(records, Is.LessThanOrEqualTo(5), "one record per leaf with a mark, no more");
    }

    [Test]
    public void AnEmptyBitmapWritesNothing()
    {
        int records = 0;
        BitmapRecord.FromBitmap(new DifferentialBitmap(s_blocks, TrackGeometry.Default), 1, PairRole.PVol, _ => records++);
        Assert.That(records, Is.Zero);
    }

    [Test]
    public void ALeafThatMarksBeyondTheVolumeOrIsCutShortIsRefused()
    {
        ulong[] words = new ulong[BitmapRecord.LeafWords];
        words[^1] = 1UL << 63; // track 5 * 65,536 - 1 = 327,679: past 300,000
        ArrayBufferWriter<byte> payload = new();
        new BitmapRecord(1, PairRole.PVol, Tracks, 4, words).Encode(payload);
        Assert.That(BitmapRecord.TryDecode(payload.WrittenSpan, out BitmapRecord? beyond), Does.Contain("does not fit"));
        Assert.That(beyond, Is.Null);

        payload.ResetWrittenCount();
        words[^1] = 0;
        words[3] = 0xF0;
        new BitmapRecord(1, PairRole.PVol, Tracks, 4, words).Encode(payload);
        Assert.That(BitmapRecord.TryDecode(payload.WrittenSpan.Slice(0, payload.WrittenCount - 1), out _), Does.Contain("not the layout's size"));
        Assert.That(BitmapRecord.TryDecode(payload.WrittenSpan, out BitmapRecord? whole), Is.Null, "the whole one is fine");
        Assert.That(whole!.Words[3], Is.EqualTo(0xF0UL));
    }
}
