// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Scheduling;

namespace Controller.Firmware.Tests.Scheduling;

/// <summary>A work item that logs its name, and the virtual time, each time it runs, then optionally reschedules itself.</summary>
internal sealed class RecordingItem : IWorkItem
{
    private readonly List<string> _log;
    private readonly DeterministicScheduler _scheduler;
    private int _remaining;

    public RecordingItem(string name, List<string> log, DeterministicScheduler scheduler, int runs)
    {
        Name = name;
        _log = log;
        _scheduler = scheduler;
        _remaining = runs;
    }

    public string Name { get; }

    public void Execute()
    {
        _log.Add(Name + "@" + _scheduler.Clock.NowNanoseconds);
        if (--_remaining > 0)
        {
            _scheduler.Schedule(this);
        }
    }
}
