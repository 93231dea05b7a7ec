// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Scheduling;

namespace Controller.Firmware.Tests.Scheduling;

[Category("R0-36")]
public sealed class DeterministicSchedulerTests
{
    [Test]
    public void TheSameSeedGivesTheIdenticalEventOrder()
    {
        for (ulong seed = 0; seed < 20; seed++)
        {
            List<string> first = Run(seed);
            List<string> second = Run(seed);
            Assert.That(second, Is.EqualTo(first), "seed " + seed + " replays the same interleaving");
        }
    }

    [Test]
    public void AnotherSeedGivesAnotherOrder()
    {
        HashSet<string> orders = [];
        for (ulong seed = 0; seed < 20; seed++)
        {
            orders.Add(string.Join(",", Run(seed)));
        }

        Assert.That(orders, Has.Count.GreaterThan(15), "20 seeds over 4 items x 5 runs give (nearly) 20 different interleavings");
        Assert.That(Run(1), Is.Not.EqualTo(Run(2)), "seeds 1 and 2 interleave differently");
    }

    [Test]
    public void TimersFireInVirtualTimeOrderAndMoveTheClock()
    {
        DeterministicScheduler scheduler = new(7);
        List<string> log = [];
        scheduler.ScheduleAfter(TimeSpan.FromMilliseconds(5), new RecordingItem("late", log, scheduler, 1));
        scheduler.ScheduleAfter(TimeSpan.FromMilliseconds(1), new RecordingItem("early", log, scheduler, 1));
        scheduler.Schedule(new RecordingItem("now", log, scheduler, 1));
        scheduler.RunUntilIdle();
        Assert.That(log, Is.EqualTo(new[] { "now@0", "early@1000000", "late@5000000" }),
            "ready work runs before the clock moves; then each timer at its due time");
        Assert.That(scheduler.Time.GetElapsedTime(0), Is.EqualTo(TimeSpan.FromMilliseconds(5)), "the clock stands at the last timer");
    }

    [Test]
    public void TimersDueAtTheSameTimeFireInTheOrderTheyWereSet()
    {
        DeterministicScheduler scheduler = new(3);
        List<string> log = [];
        for (int i = 0; i < 5; i++)
        {
            scheduler.ScheduleAfter(TimeSpan.FromMilliseconds(2), new RecordingItem("t" + i, log, scheduler, 1));
        }

        scheduler.RunUntilIdle();
        Assert.That(log, Has.Count.EqualTo(5), "every timer fired");
        Assert.That(log, Is.All.EndsWith("@2000000"), "all at 2 ms of virtual time");
    }

    [Test]
    public void ALivelockIsReportedWithItsSeed()
    {
        DeterministicScheduler scheduler = new(99);
        scheduler.Schedule(new RecordingItem("forever", [], scheduler, int.MaxValue));
        InvalidOperationException? ex = Assert.Throws<InvalidOperationException>(() => scheduler.RunUntilIdle(maxSteps: 1000));
        Assert.That(ex!.Message, Does.StartWith("seed 99: still busy after 1000 steps"), "the message gives the seed to replay");
    }

    [Test]
    public void UseFromAnotherThreadIsRefused()
    {
        DeterministicScheduler scheduler = new(1);
        Exception? caught = null;
        Thread other = new(() =>
        {
            try
            {
                scheduler.Schedule(new RecordingItem("x", [], scheduler, 1));
            }
            catch (InvalidOperationException ex)
            {
                caught = ex;
            }
        });
        other.Start();
        other.Join();
        Assert.That(caught, Is.Not.Null, "a deterministic run is single-threaded by contract");
    }

    private static List<string> Run(ulong seed)
    {
        DeterministicScheduler scheduler = new(seed);
        List<string> log = [];
        foreach (string name in new[] { "a", "b", "c", "d" })
        {
            scheduler.Schedule(new RecordingItem(name, log, scheduler, 5));
        }

        scheduler.RunUntilIdle();
        return log;
    }
}
