// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.HostSim.Core.Measurement;

namespace Controller.HostSim.Tests.Measurement;

public sealed class LatencyHistogramTests
{
    [Test]
    public void PercentilesOfAUniformSpreadAreWithinOnePercent()
    {
        LatencyHistogram histogram = new();
        for (long value = 1; value <= 1_000_000; value++)
        {
            histogram.Record(value * 10);
        }

        Assert.Multiple(() =>
        {
            Assert.That(histogram.Count, Is.EqualTo(1_000_000), "every value counted");
            Assert.That(histogram.Percentile(0.50), Is.EqualTo(5_000_000).Within(1).Percent, "p50 of 10 ns .. 10 ms");
            Assert.That(histogram.Percentile(0.99), Is.EqualTo(9_900_000).Within(1).Percent, "p99");
            Assert.That(histogram.Percentile(0.9999), Is.EqualTo(9_999_000).Within(1).Percent, "p99.99");
            Assert.That(histogram.Max, Is.EqualTo(10_000_000), "max is exact");
        });
    }

    [Test]
    public void EveryBucketsLowerBoundMapsBackToItself()
    {
        for (int index = 0; index < 50 * 128; index++)
        {
            long lower = LatencyHistogram.LowerBound(index);
            Assert.That(LatencyHistogram.IndexOf(lower), Is.EqualTo(index), "bucket " + index + " starts at " + lower);
        }
    }

    [Test]
    public void MergedHistogramsCountBoth()
    {
        LatencyHistogram a = new();
        LatencyHistogram b = new();
        a.Record(100);
        b.Record(1_000_000);
        a.Add(b);
        Assert.Multiple(() =>
        {
            Assert.That(a.Count, Is.EqualTo(2), "counts add");
            Assert.That(a.Max, Is.EqualTo(1_000_000), "max is the larger");
            Assert.That(a.Percentile(0.5), Is.EqualTo(100), "the median is the smaller value");
        });
    }
}
