// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Scheduling;

/// <summary>
/// Where workers, timers and links run (docs/architecture.md decision 4): on threads in real time, or all
/// on one thread in a seeded order over virtual time. Firmware code schedules only through this
/// interface and reads time only from <see cref="Time"/>, so one code path serves both modes.
/// </summary>
public interface IScheduler
{
    /// <summary>Gets the clock: the system clock, or the virtual clock of a deterministic run.</summary>
    TimeProvider Time { get; }

    /// <summary>Runs an item as soon as a worker is free.</summary>
    /// <param name="item">The item.</param>
    void Schedule(IWorkItem item);

    /// <summary>Runs an item once <paramref name="delay"/> has passed on <see cref="Time"/>.</summary>
    /// <param name="delay">The delay (zero or more).</param>
    /// <param name="item">The item.</param>
    /// <returns>A handle: disposing it before the delay has passed cancels the item (a timeout no longer needed).</returns>
    IDisposable ScheduleAfter(TimeSpan delay, IWorkItem item);
}
