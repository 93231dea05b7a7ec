// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.HostSim.Core.Load;

namespace Controller.HostSim.Tests.Load;

public sealed class LoadTimelineTests
{
    private const long Ms = 1_000_000;

    [Test]
    public void WholeSecondsCountTheFirstAndTheSlowestAndLeaveThePartialLastOut()
    {
        LoadTimeline timeline = new(3.5);
        Record(timeline, 0, 5);
        Record(timeline, 999 * Ms, 7);
        Record(timeline, 1_000 * Ms, 3);
        Record(timeline, 1_950 * Ms, 1);
        Record(timeline, 2_100 * Ms, 20);
        Record(timeline, 3_200 * Ms, 1);

        (long first, long slowest, int seconds) = timeline.WholeSeconds(3.5);

        Assert.That(seconds, Is.EqualTo(3), "3.5 s hold three whole seconds");
        Assert.That(first, Is.EqualTo(12), "0 ms and 999 ms are in the first second");
        Assert.That(slowest, Is.EqualTo(4), "the second second is the slowest; the half second after 3 s is not a second");
    }

    [Test]
    public void ARunShorterThanASecondHasNoWholeSecond()
    {
        LoadTimeline timeline = new(0.5);
        Record(timeline, 100 * Ms, 9);

        Assert.That(timeline.WholeSeconds(0.5), Is.EqualTo((0L, 0L, 0)), "nothing to report");
    }

    private static void Record(LoadTimeline timeline, long atNanoseconds, int commands)
    {
        for (int i = 0; i < commands; i++)
        {
            timeline.Record(atNanoseconds, 1_000, isWrite: i % 2 == 0);
        }
    }
}
