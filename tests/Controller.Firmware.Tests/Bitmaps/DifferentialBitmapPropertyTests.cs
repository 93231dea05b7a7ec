// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Bitmaps;
using Controller.Firmware.Media;
using FsCheck;
using FsCheck.Fluent;

namespace Controller.Firmware.Tests.Bitmaps;

/// <summary>
/// The bitmap against a plain set of track numbers: whatever operations run, both agree on membership,
/// count and scan order. Volumes up to ~3 leaves (200,000 tracks), so ranges cross leaf boundaries.
/// </summary>
public sealed class DifferentialBitmapPropertyTests
{
    private static readonly Gen<BitmapOperation> OperationGen =
        from kind in Gen.Choose(0, BitmapOperation.KindCount - 1)
        from a in Gen.Choose(0, int.MaxValue)
        from b in Gen.Frequency((3, Gen.Choose(0, 300)), (1, Gen.Choose(0, 150_000)))
        select new BitmapOperation(kind, a, b);

    private static readonly Gen<BitmapScenario> ScenarioGen =
        from trackSize in Gen.Elements(TrackGeometry.TrackSize48K, TrackGeometry.TrackSize64K, TrackGeometry.TrackSize256K)
        from tracks in Gen.Frequency((2, Gen.Choose(1, 200)), (1, Gen.Choose(1, 200_000)))
        from extraBlocks in Gen.Choose(0, (trackSize / 512) - 1)
        from operations in Gen.ArrayOf(OperationGen)
        select new BitmapScenario(trackSize, ((long)(tracks - 1) * (trackSize / 512)) + 1 + extraBlocks, operations);

    [FsCheck.NUnit.Property(MaxTest = 150)]
    public Property OperationsAgreeWithASetModel()
    {
        return Prop.ForAll(ScenarioGen.ToArbitrary(), scenario =>
        {
            DifferentialBitmap bitmap = new(scenario.BlockCount, scenario.Geometry);
            SortedSet<long> model = Apply(bitmap, scenario);
            AssertSame(bitmap, model, scenario.ToString());
        });
    }

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property UnionIsTheSetUnion()
    {
        Gen<(BitmapScenario, BitmapOperation[])> pairs =
            from scenario in ScenarioGen
            from others in Gen.ArrayOf(OperationGen)
            select (scenario, others);
        return Prop.ForAll(pairs.ToArbitrary(), pair =>
        {
            (BitmapScenario first, BitmapOperation[] otherOperations) = pair;
            BitmapScenario second = first with { Operations = otherOperations };
            DifferentialBitmap left = new(first.BlockCount, first.Geometry);
            DifferentialBitmap right = new(second.BlockCount, second.Geometry);
            SortedSet<long> union = Apply(left, first);
            union.UnionWith(Apply(right, second));
            left.UnionWith(right);
            AssertSame(left, union, "left OR right, " + first + " | " + second);
        });
    }

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property SwapInFreshHandsOverExactlyTheBitsSetBefore()
    {
        return Prop.ForAll(ScenarioGen.ToArbitrary(), scenario =>
        {
            DifferentialBitmap bitmap = new(scenario.BlockCount, scenario.Geometry);
            SortedSet<long> model = Apply(bitmap, scenario);
            DifferentialBitmap old = bitmap.SwapInFresh();
            AssertSame(old, model, "swapped-out bits, " + scenario);
            AssertSame(bitmap, new SortedSet<long>(), "fresh bitmap, " + scenario);
        });
    }

    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property AByteRangeMarksExactlyTheTracksItOverlaps()
    {
        Gen<(int TrackSize, int Offset, int Length)> ranges =
            from trackSize in Gen.Elements(TrackGeometry.TrackSize48K, TrackGeometry.TrackSize64K, TrackGeometry.TrackSize256K)
            from offset in Gen.Choose(0, 8 * 1024 * 1024)
            from length in Gen.Frequency((3, Gen.Choose(1, 4096)), (1, Gen.Choose(1, 1024 * 1024)))
            select (trackSize, offset, length);
        return Prop.ForAll(ranges.ToArbitrary(), range =>
        {
            DifferentialBitmap bitmap = new(64 * 1024, new TrackGeometry(range.TrackSize));
            bitmap.MarkByteRange(range.Offset, range.Length);

            // The model asks, track by track, whether [start, end) of the track meets [offset, offset + length).
            SortedSet<long> model = [];
            for (long track = 0; track < bitmap.TrackCount; track++)
            {
                long start = track * range.TrackSize;
                long end = start + range.TrackSize;
                if (start < (long)range.Offset + range.Length && end > range.Offset)
                {
                    model.Add(track);
                }
            }

            AssertSame(bitmap, model, "bytes " + range.Offset + "+" + range.Length + " at " + range.TrackSize + "-byte tracks");
        });
    }

    private static SortedSet<long> Apply(DifferentialBitmap bitmap, BitmapScenario scenario)
    {
        SortedSet<long> model = [];
        long tracks = bitmap.TrackCount;
        long bytes = scenario.BlockCount * 512;
        int trackSize = scenario.TrackSize;
        foreach (BitmapOperation operation in scenario.Operations)
        {
            switch (operation.Kind)
            {
                case 0:
                    {
                        long track = operation.A % tracks;
                        bitmap.Set(track);
                        model.Add(track);
                        break;
                    }

                case 1:
                    {
                        long first = operation.A % tracks;
                        long last = Math.Min(tracks - 1, first + operation.B);
                        bitmap.SetRange(first, last);
                        for (long t = first; t <= last; t++)
                        {
                            model.Add(t);
                        }

                        break;
                    }

                case 2:
                    {
                        long offset = operation.A % bytes;
                        long length = Math.Min(bytes - offset, 1 + (operation.B * 997 % (3L * trackSize)));
                        bitmap.MarkByteRange(offset, length);
                        for (long t = offset / trackSize; t * trackSize < offset + length; t++)
                        {
                            model.Add(t);
                        }

                        break;
                    }

                case 3:
                    {
                        long lba = operation.A % scenario.BlockCount;
                        long count = Math.Min(scenario.BlockCount - lba, 1 + (operation.B % 1024));
                        bitmap.MarkWrite(lba, count);
                        for (long block = lba; block < lba + count; block++)
                        {
                            model.Add(block * 512 / trackSize);
                        }

                        break;
                    }

                default:
                    {
                        long track = operation.A % tracks;
                        bool wasSet = model.Remove(track);
                        Assert.That(bitmap.TryClear(track), Is.EqualTo(wasSet), "TryClear(" + track + ") reports whether the track was marked");
                        break;
                    }
            }
        }

        return model;
    }

    private static void AssertSame(DifferentialBitmap bitmap, SortedSet<long> model, string context)
    {
        Assert.That(bitmap.CountSet(), Is.EqualTo(model.Count), "count of marked tracks: " + context);
        Assert.That(DifferentialBitmapTests.SetTracks(bitmap), Is.EqualTo(model.ToList()), "scan order of marked tracks: " + context);
        foreach (long track in model)
        {
            Assert.That(bitmap.IsSet(track), Is.True, "track " + track + " is marked: " + context);
            if (track + 1 < bitmap.TrackCount && !model.Contains(track + 1))
            {
                Assert.That(bitmap.IsSet(track + 1), Is.False, "track " + (track + 1) + " is not marked: " + context);
                Assert.That(bitmap.NextSet(track + 1), Is.EqualTo(model.GetViewBetween(track + 1, long.MaxValue).DefaultIfEmpty(-1).First()),
                    "scan from the gap after " + track + ": " + context);
            }
        }
    }
}
