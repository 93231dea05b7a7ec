// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Pairs;

namespace Controller.Firmware.Tests.Pairs;

public sealed class EventRingTests
{
    [Test]
    public void KeepsTheNewestEventsOldestFirstAndCountsTheDropped()
    {
        EventRing<int> ring = new(4);
        for (int i = 1; i <= 10; i++)
        {
            ring.Add(i);
        }

        Assert.That(ring.ToArray(), Is.EqualTo(new[] { 7, 8, 9, 10 }), "the newest four, oldest first");
        Assert.That(ring.Dropped, Is.EqualTo(6), "the six oldest were dropped and counted");
    }

    [Test]
    public void BelowItsCapacityItKeepsEverything()
    {
        EventRing<int> ring = new(4);
        ring.Add(1);
        ring.Add(2);
        Assert.That(ring.ToArray(), Is.EqualTo(new[] { 1, 2 }), "nothing dropped");
        Assert.That(ring.Dropped, Is.Zero);
    }
}
