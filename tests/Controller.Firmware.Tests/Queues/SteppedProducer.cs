// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Scheduling;

namespace Controller.Firmware.Tests.Queues;

/// <summary>
/// A producer for the deterministic scheduler: each step offers its next stamped item once, and a refused
/// item (a full queue) is offered again on a later step, so the seed decides how producers interleave.
/// </summary>
internal sealed class SteppedProducer : IWorkItem
{
    private readonly int _id;
    private readonly int _count;
    private readonly Func<StampedItem, bool> _tryAdd;
    private readonly DeterministicScheduler _scheduler;
    private int _next;

    public SteppedProducer(int id, int count, Func<StampedItem, bool> tryAdd, DeterministicScheduler scheduler)
    {
        _id = id;
        _count = count;
        _tryAdd = tryAdd;
        _scheduler = scheduler;
    }

    public void Execute()
    {
        if (_tryAdd(new StampedItem(_id, _next)))
        {
            _next++;
        }

        if (_next < _count)
        {
            _scheduler.Schedule(this);
        }
    }
}
