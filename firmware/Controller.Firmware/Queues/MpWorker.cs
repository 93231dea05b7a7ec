// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Collections.Concurrent;
using Controller.Addressing;
using Controller.Firmware.Scheduling;

namespace Controller.Firmware.Queues;

/// <summary>
/// A microprocessor ("MP") of the controller: it owns some LDEVs, takes their commands from bounded MPSC rings and
/// runs each to completion, one at a time. It is woken by the producer that finds it idle (a CAS on a flag, as
/// Kestrel's IOQueue), so no thread spins waiting for work.
/// </summary>
/// <remarks>
/// Two rings, served in priority order as a controller's back end is served before its front end: the internal ring
/// holds the work that finishes what was already admitted (mirror writes, copied tracks, update copies received from
/// a primary, a split's later drain rounds and releases, control messages in order with a link's update copies); the
/// host ring holds new work (host commands, copy-engine steps). A mirror write therefore never waits behind host
/// commands that arrived after its origin, and a split's drain, which waits for those mirror writes, does not
/// either (docs/performance.md, "The split's tail"). Each ring is FIFO, so two items one producer puts in the same
/// ring run in that order; an internal item may pass host commands queued before it, which were not admitted yet.
/// </remarks>
/// <typeparam name="TCommand">The command type.</typeparam>
public sealed class MpWorker<TCommand> : IWorkItem
    where TCommand : struct
{
    private readonly MpscRing<TCommand> _ring;
    private readonly MpscRing<TCommand> _internal;
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
        _internal = new MpscRing<TCommand>(capacity);
        _handler = handler;
        _scheduler = scheduler;
        _batchLimit = batchLimit;
    }

    /// <summary>Gets the number of commands run so far.</summary>
    public long ExecutedCount => Volatile.Read(ref _executed);

    /// <summary>Gets the instantaneous queue depth, both rings.</summary>
    public int QueuedCount => _ring.Count + _internal.Count;

    /// <summary>Gets the instantaneous depth of the internal ring (mirror writes and copied tracks).</summary>
    public int InternalQueuedCount => _internal.Count;

    /// <summary>Gets each ring's capacity.</summary>
    public int Capacity => _ring.Capacity;

    /// <summary>Queues new work (a host command, a copy step) in the host ring and wakes the MP if it is idle. Safe from any thread.</summary>
    /// <param name="command">The command.</param>
    /// <returns>False when the ring is full: the caller answers TASK SET FULL / BUSY.</returns>
    public bool TrySubmit(in TCommand command)
    {
        return Publish(_ring, command);
    }

    /// <summary>
    /// Queues work that finishes something already admitted (a mirror write, a copied track, a drain round) in the
    /// internal ring, served before the host ring, and wakes the MP if it is idle. Safe from any thread.
    /// </summary>
    /// <param name="command">The command.</param>
    /// <returns>False when the ring is full.</returns>
    public bool TrySubmitInternal(in TCommand command)
    {
        return Publish(_internal, command);
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
            while (budget > 0 && (TryDequeueUrgent(out TCommand command) || _internal.TryDequeue(out command) || _ring.TryDequeue(out command)))
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
            if ((!_ring.HasPublishedItem && !_internal.HasPublishedItem && Volatile.Read(ref _urgentCount) == 0) || Interlocked.CompareExchange(ref _drainScheduled, 1, 0) != 0)
            {
                return;
            }
        }
    }

    private bool Publish(MpscRing<TCommand> ring, in TCommand command)
    {
        if (!ring.TryEnqueue(command))
        {
            return false;
        }

        // A full fence after publishing: the drainer clears the flag and then re-reads the rings, so one of
        // the two sides always sees the other's write (no lost wake-up).
        if (Interlocked.CompareExchange(ref _drainScheduled, 1, 0) == 0)
        {
            _scheduler.Schedule(this);
        }

        return true;
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
