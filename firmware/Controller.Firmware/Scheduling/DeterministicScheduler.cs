// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;

namespace Controller.Firmware.Scheduling;

/// <summary>
/// Test and replay mode (docs/architecture.md decision 4): every item runs on the caller's thread, one at a
/// time, the next one drawn from the ready set by a seeded generator, over virtual time. The same seed
/// gives the same order of events; another seed gives another order, so a race found once is replayed by
/// its seed.
/// </summary>
/// <remarks>
/// Not thread-safe by design: everything, scheduling included, happens on the thread that created the
/// scheduler. A call from another thread is a bug in the test and throws.
/// </remarks>
public sealed class DeterministicScheduler : IScheduler
{
    private readonly SplitMix64 _random;
    private readonly VirtualTimeProvider _clock = new();
    private readonly List<IWorkItem> _ready = new();
    private readonly PriorityQueue<Timer, (long DueNanoseconds, long Order)> _timers = new();
    private readonly int _ownerThreadId = Environment.CurrentManagedThreadId;
    private long _timerOrder;

    /// <summary>Initializes a scheduler.</summary>
    /// <param name="seed">The seed that decides the order of ready items.</param>
    public DeterministicScheduler(ulong seed)
    {
        Seed = seed;
        _random = new SplitMix64(seed);
    }

    /// <summary>Gets the seed of this run.</summary>
    public ulong Seed { get; }

    /// <inheritdoc/>
    public TimeProvider Time => _clock;

    /// <summary>Gets the virtual clock.</summary>
    public VirtualTimeProvider Clock => _clock;

    /// <summary>Gets the number of items run so far.</summary>
    public long Steps { get; private set; }

    /// <summary>Gets the number of items ready to run now.</summary>
    public int ReadyCount => _ready.Count;

    /// <summary>Gets the number of timers not yet fired (cancelled ones included until their time).</summary>
    public int PendingTimerCount => _timers.Count;

    /// <inheritdoc/>
    public void Schedule(IWorkItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        CheckThread();
        _ready.Add(item);
    }

    /// <inheritdoc/>
    public IDisposable ScheduleAfter(TimeSpan delay, IWorkItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        CheckThread();
        long due = _clock.NowNanoseconds + Math.Max(0, delay.Ticks * 100);
        Timer timer = new(item);
        _timers.Enqueue(timer, (due, _timerOrder++));
        return timer;
    }

    /// <summary>
    /// Runs one item: a ready one drawn by the seed, or, when none is ready, moves the clock to the next
    /// timer and makes every timer due then ready.
    /// </summary>
    /// <returns>False when nothing is ready and no timer is pending.</returns>
    public bool RunOne()
    {
        CheckThread();
        if (_ready.Count == 0 && !FireNextTimers())
        {
            return false;
        }

        int index = _random.Next(_ready.Count);

        // Swap-remove: O(1), and the order left behind is still a function of the seed alone.
        IWorkItem item = _ready[index];
        _ready[index] = _ready[^1];
        _ready.RemoveAt(_ready.Count - 1);
        Steps++;
        item.Execute();
        return true;
    }

    /// <summary>
    /// Runs one chosen ready item now, out of the seeded order: how a test or a firmware engineer forces one
    /// particular interleaving (this MP drains before that one).
    /// </summary>
    /// <param name="item">The item (an MP, a copy job).</param>
    /// <returns>False when the item is not ready.</returns>
    public bool RunReady(IWorkItem item)
    {
        CheckThread();
        int index = _ready.IndexOf(item);
        if (index < 0)
        {
            return false;
        }

        _ready[index] = _ready[^1];
        _ready.RemoveAt(_ready.Count - 1);
        Steps++;
        item.Execute();
        return true;
    }

    /// <summary>Runs items until nothing is ready and no timer is pending, or a step limit is reached.</summary>
    /// <param name="maxSteps">The most items to run (guards against a livelock in a test).</param>
    /// <returns>The number of items run.</returns>
    /// <exception cref="InvalidOperationException">The step limit was reached with work still pending.</exception>
    public long RunUntilIdle(long maxSteps = 10_000_000)
    {
        long steps = 0;
        while (RunOne())
        {
            if (++steps >= maxSteps && (_ready.Count > 0 || _timers.Count > 0))
            {
                ThrowHelper.ThrowInvalidOperation("seed " + Seed + ": still busy after " + maxSteps + " steps (livelock?)");
            }
        }

        return steps;
    }

    private bool FireNextTimers()
    {
        // Cancelled timers at the head are dropped without moving the clock: nothing was due then.
        while (_timers.TryPeek(out Timer? head, out _) && head.IsCancelled)
        {
            _timers.Dequeue();
        }

        if (!_timers.TryPeek(out _, out (long DueNanoseconds, long Order) next))
        {
            return false;
        }

        _clock.AdvanceTo(next.DueNanoseconds);
        while (_timers.TryPeek(out Timer? timer, out (long DueNanoseconds, long Order) key) && key.DueNanoseconds <= next.DueNanoseconds)
        {
            _timers.Dequeue();
            if (!timer.IsCancelled)
            {
                _ready.Add(timer.Item);
            }
        }

        return true;
    }

    private void CheckThread()
    {
        if (Environment.CurrentManagedThreadId != _ownerThreadId)
        {
            ThrowHelper.ThrowInvalidOperation("a DeterministicScheduler is used only from the thread that created it");
        }
    }

    // A pending timer; disposing it cancels it.
    private sealed class Timer(IWorkItem item) : IDisposable
    {
        public IWorkItem Item { get; } = item;

        public bool IsCancelled { get; private set; }

        public void Dispose()
        {
            IsCancelled = true;
        }
    }
}
