// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Queues;
using Controller.Firmware.Scheduling;

namespace Controller.Firmware.Tests.Queues;

public sealed class MpscRingTests
{
    [TestCase(0)]
    [TestCase(1)]
    [TestCase(3)]
    [TestCase(1000)]
    public void CapacityMustBeAPowerOfTwoOfAtLeastTwo(int capacity)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new MpscRing<int>(capacity), "capacity " + capacity);
    }

    [Test]
    public void AFullRingRefusesAndAcceptsAgainOnceAnItemIsTaken()
    {
        MpscRing<int> ring = new(4);
        for (int i = 0; i < 4; i++)
        {
            Assert.That(ring.TryEnqueue(i), Is.True, "slot " + i + " is free");
        }

        Assert.That(ring.TryEnqueue(99), Is.False, "a full ring refuses: back-pressure, not growth");
        Assert.That(ring.Count, Is.EqualTo(4), "the refused item was not added");
        Assert.That(ring.TryDequeue(out int first), Is.True, "an item is there");
        Assert.That(first, Is.Zero, "oldest first");
        Assert.That(ring.TryEnqueue(4), Is.True, "one slot freed");
    }

    [Test]
    public void ItemsComeOutInOrderOverManyLaps()
    {
        MpscRing<long> ring = new(8);
        long next = 0;
        for (long i = 0; i < 10_000; i++)
        {
            Assert.That(ring.TryEnqueue(i), Is.True, "enqueue " + i);
            if (i % 3 != 0 || ring.Count == ring.Capacity)
            {
                Assert.That(ring.TryDequeue(out long item), Is.True, "dequeue after " + i);
                Assert.That(item, Is.EqualTo(next++), "FIFO across wrap-around");
            }
        }

        while (ring.TryDequeue(out long item))
        {
            Assert.That(item, Is.EqualTo(next++), "FIFO while draining");
        }

        Assert.That(next, Is.EqualTo(10_000), "every item came out");
        Assert.That(ring.HasPublishedItem, Is.False, "empty at the end");
    }

    [Test]
    public void ADequeuedSlotDropsItsReferences()
    {
        MpscRing<ArraySegment<byte>> ring = new(2);
        WeakReference buffer = EnqueueAndTakeBuffer(ring);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.That(buffer.IsAlive, Is.False, "a consumed slot does not keep the command's buffer alive");
    }

    [Test]
    public void ManyProducersAndOneConsumerUnderTheDeterministicScheduler()
    {
        const int Producers = 5;
        const int PerProducer = 400;
        for (ulong seed = 0; seed < 40; seed++)
        {
            DeterministicScheduler scheduler = new(seed);
            MpscRing<StampedItem> ring = new(8);
            DeliveryLog log = new(Producers);
            for (int p = 0; p < Producers; p++)
            {
                scheduler.Schedule(new SteppedProducer(p, PerProducer, item => ring.TryEnqueue(item), scheduler));
            }

            scheduler.Schedule(new SteppedConsumer(ring, log, Producers * PerProducer, scheduler));
            scheduler.RunUntilIdle();
            log.AssertComplete(PerProducer, "seed " + seed);
        }
    }

    [Test]
    public void ManyProducersAndOneConsumerOnRealThreads()
    {
        const int Producers = 4;
        const int PerProducer = 250_000;
        MpscRing<StampedItem> ring = new(256);
        DeliveryLog log = new(Producers);
        using Barrier start = new(Producers + 1);
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
                    while (!ring.TryEnqueue(new StampedItem(producer, i)))
                    {
                        spin.SpinOnce();
                    }
                }
            });
            threads[p].Start();
        }

        start.SignalAndWait();
        long total = (long)Producers * PerProducer;
        SpinWait consumerSpin = default;
        while (log.Received < total)
        {
            if (ring.TryDequeue(out StampedItem item))
            {
                log.Record(item);
            }
            else
            {
                consumerSpin.SpinOnce();
            }
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        log.AssertComplete(PerProducer, "4 threads x 250,000 through a 256-slot ring");
        Assert.That(ring.TryDequeue(out _), Is.False, "nothing left over");
    }

    private static WeakReference EnqueueAndTakeBuffer(MpscRing<ArraySegment<byte>> ring)
    {
        byte[] data = new byte[1024];
        ring.TryEnqueue(new ArraySegment<byte>(data));
        ring.TryDequeue(out _);
        return new WeakReference(data);
    }

    /// <summary>Dequeues one item per step until it has them all.</summary>
    private sealed class SteppedConsumer : IWorkItem
    {
        private readonly MpscRing<StampedItem> _ring;
        private readonly DeliveryLog _log;
        private readonly long _expected;
        private readonly DeterministicScheduler _scheduler;

        public SteppedConsumer(MpscRing<StampedItem> ring, DeliveryLog log, long expected, DeterministicScheduler scheduler)
        {
            _ring = ring;
            _log = log;
            _expected = expected;
            _scheduler = scheduler;
        }

        public void Execute()
        {
            if (_ring.TryDequeue(out StampedItem item))
            {
                _log.Record(item);
            }

            if (_log.Received < _expected)
            {
                _scheduler.Schedule(this);
            }
        }
    }
}
