// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Queues;
using Controller.Firmware.Scheduling;

namespace Controller.Firmware.Tests.Queues;

public sealed class MpWorkerTests
{
    [Test]
    public void AnIdleMpIsWokenByTheFirstCommandAndDrainsEverything()
    {
        DeterministicScheduler scheduler = new(1);
        RecordingHandler handler = new(1);
        MpWorker<StampedItem> mp = new(16, handler, scheduler);
        Assert.That(scheduler.ReadyCount, Is.Zero, "an idle MP is not scheduled: no spinning");
        for (int i = 0; i < 10; i++)
        {
            Assert.That(mp.TrySubmit(new StampedItem(0, i)), Is.True, "submit " + i);
        }

        Assert.That(scheduler.ReadyCount, Is.EqualTo(1), "ten submits wake the MP once");
        scheduler.RunUntilIdle();
        handler.Log.AssertComplete(10, "one producer");
        Assert.That(mp.ExecutedCount, Is.EqualTo(10), "executed count");
        Assert.That(scheduler.ReadyCount, Is.Zero, "the MP went back to sleep");
    }

    [Test]
    public void AnUrgentCommandRunsBeforeEveryQueuedOneAndWakesAnIdleMp()
    {
        DeterministicScheduler scheduler = new(1);
        OrderHandler handler = new();
        MpWorker<StampedItem> mp = new(16, handler, scheduler);
        mp.SubmitUrgent(new StampedItem(9, 0));
        Assert.That(scheduler.ReadyCount, Is.EqualTo(1), "an urgent command wakes an idle MP");
        scheduler.RunUntilIdle();
        for (int i = 0; i < 5; i++)
        {
            Assert.That(mp.TrySubmit(new StampedItem(0, i)), Is.True);
        }

        mp.SubmitUrgent(new StampedItem(9, 1));
        scheduler.RunUntilIdle();
        Assert.That(handler.Order, Is.EqualTo(new[] { (9, 0), (9, 1), (0, 0), (0, 1), (0, 2), (0, 3), (0, 4) }), "the urgent command jumps the five queued ones");
        Assert.That(mp.ExecutedCount, Is.EqualTo(7), "nothing lost");
    }

    [Test]
    public void InternalWorkRunsBeforeTheHostCommandsQueuedBeforeItInItsOwnOrderAndWakesAnIdleMp()
    {
        DeterministicScheduler scheduler = new(1);
        OrderHandler handler = new();
        MpWorker<StampedItem> mp = new(16, handler, scheduler);
        for (int i = 0; i < 3; i++)
        {
            Assert.That(mp.TrySubmit(new StampedItem(0, i)), Is.True, "host " + i);
        }

        Assert.That(mp.TrySubmitInternal(new StampedItem(1, 0)), Is.True);
        Assert.That(mp.TrySubmitInternal(new StampedItem(1, 1)), Is.True);
        Assert.That(mp.QueuedCount, Is.EqualTo(5), "both rings count");
        Assert.That(mp.InternalQueuedCount, Is.EqualTo(2), "the internal ring alone");
        mp.SubmitUrgent(new StampedItem(9, 0));
        scheduler.RunUntilIdle();
        Assert.That(handler.Order, Is.EqualTo(new[] { (9, 0), (1, 0), (1, 1), (0, 0), (0, 1), (0, 2) }),
            "urgent, then the mirror writes (FIFO), then the host commands that arrived before them");

        Assert.That(mp.TrySubmitInternal(new StampedItem(1, 2)), Is.True);
        Assert.That(scheduler.ReadyCount, Is.EqualTo(1), "internal work wakes an idle MP");
        scheduler.RunUntilIdle();
        Assert.That(mp.ExecutedCount, Is.EqualTo(7), "nothing lost");
    }

    [Test]
    public void AFullInternalRingRefusesTheItemWhileTheHostRingStillTakesCommands()
    {
        DeterministicScheduler scheduler = new(1);
        MpWorker<StampedItem> mp = new(4, new RecordingHandler(2), scheduler);
        for (int i = 0; i < 4; i++)
        {
            Assert.That(mp.TrySubmitInternal(new StampedItem(1, i)), Is.True, "internal " + i);
        }

        Assert.That(mp.TrySubmitInternal(new StampedItem(1, 4)), Is.False, "internal ring full: the mirror is suspended");
        Assert.That(mp.TrySubmit(new StampedItem(0, 0)), Is.True, "host commands have their own ring");
    }

    [Test]
    public void AFullQueueRefusesTheCommand()
    {
        DeterministicScheduler scheduler = new(1);
        MpWorker<StampedItem> mp = new(4, new RecordingHandler(1), scheduler);
        for (int i = 0; i < 4; i++)
        {
            Assert.That(mp.TrySubmit(new StampedItem(0, i)), Is.True, "submit " + i);
        }

        Assert.That(mp.TrySubmit(new StampedItem(0, 4)), Is.False, "queue full: the caller answers TASK SET FULL");
    }

    [Test]
    public void InterleavedProducersAndDrainsLoseNothingForAnySeed()
    {
        const int Producers = 4;
        const int PerProducer = 300;
        for (ulong seed = 0; seed < 40; seed++)
        {
            DeterministicScheduler scheduler = new(seed);
            RecordingHandler handler = new(Producers);

            // A small queue and batch so that full queues, yields and re-wakes all happen.
            MpWorker<StampedItem> mp = new(8, handler, scheduler, batchLimit: 3);
            for (int p = 0; p < Producers; p++)
            {
                scheduler.Schedule(new SteppedProducer(p, PerProducer, item => mp.TrySubmit(item), scheduler));
            }

            scheduler.RunUntilIdle();
            handler.Log.AssertComplete(PerProducer, "seed " + seed);
        }
    }

    [Test]
    public void ProducersOnRealThreadsNeverLeaveACommandUnrun()
    {
        const int Producers = 4;
        const int PerProducer = 100_000;
        RecordingHandler handler = new(Producers);
        using CountdownEvent done = new(Producers * PerProducer);
        handler.Done = done;
        MpWorker<StampedItem> mp = new(64, handler, RealTimeScheduler.Instance, batchLimit: 32);
        using Barrier start = new(Producers);
        Thread[] threads = new Thread[Producers];
        for (int p = 0; p < Producers; p++)
        {
            int producer = p;
            threads[p] = new Thread(() =>
            {
                start.SignalAndWait();
                SpinWait spin = default;
                for (int i = 0; i < PerProducer; i++)
                {
                    while (!mp.TrySubmit(new StampedItem(producer, i)))
                    {
                        spin.SpinOnce();
                    }
                }
            });
            threads[p].Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        // A generous safety net, not a timing assertion: a lost wake-up would leave commands unrun forever.
        Assert.That(done.Wait(TimeSpan.FromMinutes(2)), Is.True, "every submitted command ran (no lost wake-up)");
        handler.Log.AssertComplete(PerProducer, "4 threads x 100,000 through a 64-deep MP queue");
    }

    private sealed class RecordingHandler : ICommandHandler<StampedItem>
    {
        public RecordingHandler(int producers)
        {
            Log = new DeliveryLog(producers);
        }

        public DeliveryLog Log { get; }

        public CountdownEvent? Done { get; set; }

        public void Execute(in StampedItem command)
        {
            // Runs on one drain at a time: the MP's run-to-completion guarantee makes this unsynchronized log safe.
            Log.Record(command);
            Done?.Signal();
        }
    }

    private sealed class OrderHandler : ICommandHandler<StampedItem>
    {
        public List<(int Producer, int Sequence)> Order { get; } = [];

        public void Execute(in StampedItem command)
        {
            Order.Add((command.Producer, command.Sequence));
        }
    }
}
