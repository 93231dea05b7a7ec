// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Scheduling;

namespace Controller.Firmware.RemoteCopy;

/// <summary>
/// A remote-copy path with latency (seed 002 R2-30's "RC latency"; a long-distance link): every message, update copy
/// or pair control, leaves a fixed time after it was sent, in the order sent (one FIFO: the order the link's
/// guarantees depend on, update copies before the state change behind them, is kept). Replies are not delayed again,
/// so a round trip costs the latency once more than the inner path. A message still waiting when the inner path goes
/// down is lost, as one on the wire would be: its sender learns LINK DOWN, even if the path is back when it falls due.
/// On a deterministic scheduler the delay is virtual time, so seeded tests get real, reproducible delays.
/// </summary>
public sealed class DelayedRemotePath : IRemoteCopyPath, IWorkItem
{
    private readonly IRemoteCopyPath _inner;
    private readonly IScheduler _scheduler;
    private readonly Lock _lock = new();
    private readonly Queue<(long Due, long Epoch, Action Send, Action Fail)> _queue = new();
    private bool _pumping;
    private long _epoch;

    /// <summary>Initializes a path that delays every message sent over <paramref name="inner"/>.</summary>
    /// <param name="inner">The path.</param>
    /// <param name="latency">The one-way delay (0 or more).</param>
    /// <param name="scheduler">Whose clock and timers time it.</param>
    public DelayedRemotePath(IRemoteCopyPath inner, TimeSpan latency, IScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentOutOfRangeException.ThrowIfLessThan(latency, TimeSpan.Zero);
        _inner = inner;
        _scheduler = scheduler;
        Latency = latency;
        _inner.StateChanged += up =>
        {
            if (!up)
            {
                Interlocked.Increment(ref _epoch);
            }

            StateChanged?.Invoke(up);
        };
    }

    /// <summary>Gets the one-way delay.</summary>
    public TimeSpan Latency { get; }

    /// <inheritdoc/>
    public string Name => _inner.Name;

    /// <inheritdoc/>
    public bool IsUp => _inner.IsUp;

    /// <inheritdoc/>
    public event Action<bool>? StateChanged;

    /// <inheritdoc/>
    public bool Reaches(PortId port)
    {
        return _inner.Reaches(port);
    }

    /// <inheritdoc/>
    public void SendUpdate(in RemoteUpdate update, IRemoteUpdateCompletion completion)
    {
        RemoteUpdate copy = update;
        Enqueue(() => _inner.SendUpdate(copy, completion), () => completion.Completed(RemoteStatus.LinkDown, PairVocabulary.PairErrorCode.LinkDown));
    }

    /// <inheritdoc/>
    public void SendControl(RemoteControl request, Action<RemoteControlReply> reply)
    {
        Enqueue(() => _inner.SendControl(request, reply), () => reply(RemoteControlReply.LinkDown("the remote-copy link went down while the message waited out its latency")));
    }

    /// <summary>Sends every message that is due, in order, and waits for the next.</summary>
    void IThreadPoolWorkItem.Execute()
    {
        while (true)
        {
            Action send;
            lock (_lock)
            {
                if (_queue.Count == 0)
                {
                    _pumping = false;
                    return;
                }

                long wait = _queue.Peek().Due - Now();
                if (wait > 0)
                {
                    _scheduler.ScheduleAfter(TimeSpan.FromTicks(wait), this);
                    return;
                }

                (_, long epoch, Action deliver, Action fail) = _queue.Dequeue();
                send = epoch == Interlocked.Read(ref _epoch) ? deliver : fail;
            }

            send();
        }
    }

    private long Now()
    {
        return _scheduler.Time.GetUtcNow().UtcTicks;
    }

    private void Enqueue(Action send, Action fail)
    {
        bool start;
        lock (_lock)
        {
            _queue.Enqueue((Now() + Latency.Ticks, Interlocked.Read(ref _epoch), send, fail));
            start = !_pumping;
            _pumping = true;
        }

        if (start)
        {
            _scheduler.ScheduleAfter(Latency, this);
        }
    }
}
