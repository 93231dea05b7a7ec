// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Scheduling;

namespace Controller.Firmware.Tests.Volumes;

/// <summary>A scheduler that runs nothing by itself: the test runs the scheduled items, one at a time, when it chooses.</summary>
internal sealed class ManualScheduler : IScheduler
{
    private readonly List<IWorkItem> _items = [];

    public TimeProvider Time => TimeProvider.System;

    /// <summary>Gets the number of items scheduled and not run yet.</summary>
    public int Pending => _items.Count;

    public void Schedule(IWorkItem item)
    {
        _items.Add(item);
    }

    public IDisposable ScheduleAfter(TimeSpan delay, IWorkItem item)
    {
        throw new NotSupportedException("the group commit schedules nothing for later");
    }

    /// <summary>Runs one scheduled item: the oldest, or the one at an index.</summary>
    /// <param name="index">The item's index among those pending.</param>
    public void Run(int index = 0)
    {
        IWorkItem item = _items[index];
        _items.RemoveAt(index);
        item.Execute();
    }
}
