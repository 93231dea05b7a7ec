// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Collections.Concurrent;
using Controller.Firmware.Scheduling;

namespace Controller.Firmware.Queues;

/// <summary>
/// A microprocessor ("MP") of the controller: it owns some LDEVs, takes their commands from one bounded
/// MPSC ring and runs each to completion, one at a time. It is woken by the producer that finds it idle
/// (a CAS on a flag, as Kestrel's IOQueue), so no thread spins waiting for work.
/// </summary>
/// <typeparam name="TCommand">The command type.</typeparam>
public sealed class MpWorker<TCommand> : IWorkItem
    where TCommand : struct
{
    private readonly MpscRing<TCommand> _ring;
    private readonly ICommandHandler<TCommand> _handler;
    private readonly IScheduler _scheduler;
    private readonly int _batchLimit;

    // 1 while a drain is scheduled or running, else 0. Invariant: whenever a published item sits in the
    // ring, either the flag is 1 or the producer that published it is about to set it and schedule a drain.
    private int _drainScheduled;
    private long _executed;

    // Control-plane tasks that run before the queued commands (a split's first drain barrier). Rare: the drain
    // loop reads only the count per command. Enqueued before the count is raised, so a count > 0 means an item.
    private readonly ConcurrentQueue<TCommand> _urgent = new();
    private int _urgentCount;

    /// <summary>Initializes an MP.</summary>
    /// <param name="capacity">The queue depth: a power of two.</param>
    /// <param name="handler">Runs each command.</param>
    /// <param name="scheduler">Where drains run.</param>
    /// <param name="batchLimit">The most commands run per drain before yielding the thread to other MPs.</param>
    public MpWorker(int capacity, ICommandHandler<TCommand> handler, IScheduler scheduler, int batchLimit = 64)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(scheduler);
        if (batchLimit <= 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(batchLimit), "batch limit must be positive");
        }

        _ring = new MpscRing<TCommand>(capacity);
        _handler = handler;
        _scheduler = scheduler;
        _batchLimit = batchLimit;
    }

    /// <summary>Gets the number of commands run so far.</summary>
    public long ExecutedCount => Volatile.Read(ref _executed);

    /// <summary>Gets the instantaneous queue depth.</summary>
    public int QueuedCount => _ring.Count;

    /// <summary>Gets the queue's capacity.</summary>
    public int Capacity => _ring.Capacity;

    /// <summary>Queues a command and wakes the MP if it is idle. Safe from any thread.</summary>
    /// <param name="command">The command.</param>
    /// <returns>False when the queue is full: the caller answers TASK SET FULL / BUSY.</returns>
    public bool TrySubmit(in TCommand command)
    {
        if (!_ring.TryEnqueue(command))
        {
            return false;
        }

        // A full fence after publishing: the drainer clears the flag and then re-reads the ring, so one of
        // the two sides always sees the other's write (no lost wake-up).
        if (Interlocked.CompareExchange(ref _drainScheduled, 1, 0) == 0)
        {
            _scheduler.Schedule(this);
        }

        return true;
    }

    /// <summary>
    /// Queues a control-plane command ahead of every command already queued: it runs as soon as the command the MP
    /// is running now has finished. A split's first drain barrier uses it: the commands still queued have not run,
    /// so they took no write sequence number yet and need no waiting for. Never full. Safe from any thread.
    /// </summary>
    /// <param name="command">The command (a task).</param>
    public void SubmitUrgent(in TCommand command)
    {
        _urgent.Enqueue(command);

        // A full fence before the flag is read, as in TrySubmit.
        Interlocked.Increment(ref _urgentCount);
        if (Interlocked.CompareExchange(ref _drainScheduled, 1, 0) == 0)
        {
            _scheduler.Schedule(this);
        }
    }

    /// <summary>Drains the queue; run by the scheduler only.</summary>
    void IThreadPoolWorkItem.Execute()
    {
        int budget = _batchLimit;
        while (true)
        {
            while (budget > 0 && (TryDequeueUrgent(out TCommand command) || _ring.TryDequeue(out command)))
            {
                _handler.Execute(command);
                Volatile.Write(ref _executed, _executed + 1);
                budget--;
            }

            if (budget == 0)
            {
                // Still flagged: yield the thread and continue in a fresh drain.
                _scheduler.Schedule(this);
                return;
            }

            // Idle: clear the flag (a full fence), then look once more for an item a producer published
            // after the last dequeue but before it could see the flag cleared.
            Interlocked.Exchange(ref _drainScheduled, 0);
            if ((!_ring.HasPublishedItem && Volatile.Read(ref _urgentCount) == 0) || Interlocked.CompareExchange(ref _drainScheduled, 1, 0) != 0)
            {
                return;
            }
        }
    }

    private bool TryDequeueUrgent(out TCommand command)
    {
        if (Volatile.Read(ref _urgentCount) != 0 && _urgent.TryDequeue(out command))
        {
            Interlocked.Decrement(ref _urgentCount);
            return true;
        }

        command = default;
        return false;
    }
}
