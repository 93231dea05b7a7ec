// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Measurement;

namespace Controller.Firmware.Tests.Measurement;

public sealed class NearestRankTests
{
    [TestCase(0.50, 4, 2)]
    [TestCase(0.50, 5, 3)]
    [TestCase(0.99, 100, 99)]
    [TestCase(0.99, 101, 100)]
    [TestCase(0.999, 10, 10)]
    [TestCase(1.00, 7, 7)]
    [TestCase(0.00, 7, 1)]
    [TestCase(0.50, 1, 1)]
    public void TheRankIsTheCeilingOfTheFractionOfTheCountWithinOneToTheCount(double fraction, long count, long rank)
    {
        Assert.That(NearestRank.RankOf(fraction, count), Is.EqualTo(rank), "rank ceil(p * n), clamped to 1 .. n");
    }

    [Test]
    public void ThePercentileIsAMeasuredSample()
    {
        ReadOnlySpan<long> sorted = [10, 20, 30, 40, 50, 60, 70, 80, 90, 1000];
        Assert.Multiple(() =>
        {
            Assert.That(NearestRank.Of(new long[] { 10, 20, 30, 40, 50, 60, 70, 80, 90, 1000 }, 0.5), Is.EqualTo(50), "p50 of ten: the fifth");
            Assert.That(NearestRank.Of(new long[] { 10, 20, 30, 40, 50, 60, 70, 80, 90, 1000 }, 0.99), Is.EqualTo(1000), "p99 of ten: the last");
            Assert.That(NearestRank.Of(new long[] { 10, 20, 30, 40, 50, 60, 70, 80, 90, 1000 }, 0.9), Is.EqualTo(90), "p90 of ten: the ninth");
        });
        Assert.That(sorted.Length, Is.EqualTo(10));
        Assert.That(() => NearestRank.Of(Array.Empty<long>(), 0.5), Throws.TypeOf<ArgumentOutOfRangeException>(), "no samples has no percentile");
    }
}
