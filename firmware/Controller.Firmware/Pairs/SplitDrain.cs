// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Queues;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Pairs;

/// <summary>
/// Waits until every write admitted before a moment has completed, mirrors and cascades included (seed 000
/// S1060): rounds of barrier tasks, one per MP per round. The first round jumps the queues
/// (<see cref="MpWorker{TCommand}.SubmitUrgent"/>): a host write takes its sequence number, and meets the hold or
/// the cut, only when it runs, so the writes still queued are not "admitted before" and need no waiting for; the
/// first barrier has only to follow the command each MP is running. By then every admitted write has forwarded its
/// mirror writes, queued in order in their targets' internal rings; each later round is a barrier in the internal
/// ring behind them (<see cref="MpWorker{TCommand}.TrySubmitInternal"/>), not behind the host commands queued
/// since. One later round per hop of the longest chain of mirrors.
/// </summary>
internal sealed class SplitDrain : IWorkItem
{
    private static readonly TimeSpan QueueFullRetry = TimeSpan.FromMilliseconds(1);

    private readonly IReadOnlyList<MpWorker<BlockCommand>> _mps;
    private readonly Ldev _anyVolume;
    private readonly IScheduler _scheduler;
    private readonly Action _drained;
    private readonly Barrier[] _barriers;
    private int _roundsLeft;
    private int _pending;
    private int _nextToQueue;
    private bool _urgentDone;

    /// <summary>Initializes a drain; <see cref="Start"/> begins it.</summary>
    /// <param name="mps">Every MP of the subsystem.</param>
    /// <param name="anyVolume">A volume to address the barrier tasks by (an MP runs a task whatever its volume).</param>
    /// <param name="rounds">How many rounds (1 + the longest chain of mirrors).</param>
    /// <param name="scheduler">For retries when a queue is full.</param>
    /// <param name="drained">Called once, on an MP, when the last round has passed.</param>
    public SplitDrain(IReadOnlyList<MpWorker<BlockCommand>> mps, Ldev anyVolume, int rounds, IScheduler scheduler, Action drained)
    {
        _mps = mps;
        _anyVolume = anyVolume;
        _scheduler = scheduler;
        _drained = drained;
        _roundsLeft = rounds;
        _barriers = new Barrier[mps.Count];
        for (int i = 0; i < _barriers.Length; i++)
        {
            _barriers[i] = new Barrier(this);
        }
    }

    /// <summary>Queues the first round.</summary>
    public void Start()
    {
        StartRound();
    }

    /// <summary>A retry after a full queue.</summary>
    void System.Threading.IThreadPoolWorkItem.Execute()
    {
        QueueRest();
    }

    private void StartRound()
    {
        Volatile.Write(ref _pending, _mps.Count);
        if (!_urgentDone)
        {
            // The first round: never full, queued at once.
            _urgentDone = true;
            for (int i = 0; i < _mps.Count; i++)
            {
                _mps[i].SubmitUrgent(BlockCommand.ForTask(_anyVolume, _barriers[i]));
            }

            return;
        }

        _nextToQueue = 0;
        QueueRest();
    }

    // Queues this round's barriers from _nextToQueue on; a full ring retries later (the barrier must come after
    // every mirror write already queued, so it waits rather than jumping the ring). No field is written after the last
    // barrier is queued: it may run, and start the next round, at once on its MP.
    private void QueueRest()
    {
        int next = _nextToQueue;
        while (next < _mps.Count)
        {
            if (!_mps[next].TrySubmitInternal(BlockCommand.ForTask(_anyVolume, _barriers[next])))
            {
                // Barrier 'next' is not queued, so the round cannot end before the retry.
                _nextToQueue = next;
                _scheduler.ScheduleAfter(QueueFullRetry, this);
                return;
            }

            next++;
        }
    }

    private void Passed()
    {
        if (Interlocked.Decrement(ref _pending) != 0)
        {
            return;
        }

        // The last barrier of the round ran (on its MP); the queueing thread is done with this round.
        if (--_roundsLeft > 0)
        {
            StartRound();
        }
        else
        {
            _drained();
        }
    }

    private sealed class Barrier(SplitDrain drain) : IMpTask
    {
        public void Run()
        {
            drain.Passed();
        }
    }
}
