// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Scheduling;

namespace Controller.Target;

/// <summary>
/// Runs a connection's send drainer (<c>FrameOutbox</c>) on the controller's <see cref="IScheduler"/>, as the MPs
/// run (docs/architecture.md, decision 4): on the thread pool in real time, exactly as before; on a
/// <see cref="DeterministicScheduler"/> in the seeded order of a deterministic run, so what a connection sends, and
/// when its OX_IDs come free, is a function of the seed too. One per connection, so a wake allocates nothing.
/// </summary>
internal sealed class ScheduledSend : IWorkItem
{
    private readonly IScheduler _scheduler;

    // The outbox: written before every Schedule, always the same one; the scheduler's queue publishes it.
    private IThreadPoolWorkItem? _drain;

    public ScheduledSend(IScheduler scheduler)
    {
        _scheduler = scheduler;
    }

    /// <summary>Schedules the drainer; the outbox calls this when it elects one.</summary>
    public void Schedule(IThreadPoolWorkItem drain)
    {
        _drain = drain;
        _scheduler.Schedule(this);
    }

    /// <inheritdoc/>
    public void Execute()
    {
        _drain!.Execute();
    }
}
