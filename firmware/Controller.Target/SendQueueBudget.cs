// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Target;

/// <summary>
/// The answer bytes queued for sending on all connections of a port front together, against
/// <see cref="ConnectionLimits.SendQueueTotal"/> (docs/controllerd.md, "Bounded resources"). A connection that
/// would go over it stops taking read commands and waits here until enough has been sent.
/// </summary>
internal sealed class SendQueueBudget
{
    private readonly long _limit;
    private readonly Lock _lock = new();
    private readonly List<ConnectionSendQueue> _waiting = [];

    // The bytes queued on every connection; changed with Interlocked only (the readers, the drainers and the MPs
    // of all connections change it).
    private long _queued;
    private long _peak;

    // A release that leaves _queued at or below this wakes the waiting connections: the most any of them can then
    // take. -1 while none waits, so a release never takes the lock then. Written under _lock; read without it after
    // the release's Interlocked.Add (a full fence), while a waiter registers (under the lock, a full fence) before it
    // looks at _queued again: so either the waiter sees the release or the releaser sees the waiter.
    private long _wakeAtOrBelow = -1;

    public SendQueueBudget(long limit)
    {
        _limit = limit;
    }

    /// <summary>Gets the limit.</summary>
    public long Limit => _limit;

    /// <summary>Gets the bytes queued now, on all connections.</summary>
    public long Queued => Volatile.Read(ref _queued);

    /// <summary>Gets the most bytes ever queued at once.</summary>
    public long Peak => Volatile.Read(ref _peak);

    /// <summary>Takes bytes if the total stays within the limit (or nothing is queued: one answer larger than the limit still goes).</summary>
    public bool TryTake(long bytes)
    {
        while (true)
        {
            long queued = Volatile.Read(ref _queued);
            if (queued > 0 && queued + bytes > _limit)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _queued, queued + bytes, queued) == queued)
            {
                PeakGauge.Raise(ref _peak, queued + bytes);
                return true;
            }
        }
    }

    /// <summary>Adds bytes without looking at the limit: a connection's guaranteed share, or a buffer rented for a command already admitted.</summary>
    public void Add(long bytes)
    {
        PeakGauge.Raise(ref _peak, Interlocked.Add(ref _queued, bytes));
    }

    /// <summary>Gives bytes back (sent, or dropped with their connection) and wakes the connections that may now fit.</summary>
    public void Release(long bytes)
    {
        long queued = Interlocked.Add(ref _queued, -bytes);
        if (queued <= Volatile.Read(ref _wakeAtOrBelow))
        {
            WakeAll();
        }
    }

    /// <summary>Registers a connection that waits for <paramref name="bytes"/> to fit; the caller looks again after this.</summary>
    public void Wait(ConnectionSendQueue connection, long bytes)
    {
        lock (_lock)
        {
            _waiting.Add(connection);
            long fitsAt = Math.Max(_limit - bytes, 0);
            Interlocked.Exchange(ref _wakeAtOrBelow, Math.Max(Volatile.Read(ref _wakeAtOrBelow), fitsAt));
        }
    }

    private void WakeAll()
    {
        ConnectionSendQueue[] waking;
        lock (_lock)
        {
            waking = [.. _waiting];
            _waiting.Clear();
            Volatile.Write(ref _wakeAtOrBelow, -1);
        }

        // Each looks again; one that still does not fit registers again.
        foreach (ConnectionSendQueue connection in waking)
        {
            connection.Wake();
        }
    }
}
