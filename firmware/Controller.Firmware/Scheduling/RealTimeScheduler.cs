// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Scheduling;

/// <summary>
/// Production mode: items run on the .NET thread pool (about one worker per core) in real time.
/// <see cref="Schedule"/> does not allocate; timers allocate and are for the control plane only.
/// </summary>
public sealed class RealTimeScheduler : IScheduler
{
    /// <summary>Gets the shared instance.</summary>
    public static RealTimeScheduler Instance { get; } = new();

    /// <inheritdoc/>
    public TimeProvider Time => TimeProvider.System;

    /// <inheritdoc/>
    public void Schedule(IWorkItem item)
    {
        ArgumentNullException.ThrowIfNull(item);

        // preferLocal: false, so an MP woken by a producer does not queue behind that producer's own work.
        ThreadPool.UnsafeQueueUserWorkItem(item, preferLocal: false);
    }

    /// <inheritdoc/>
    public IDisposable ScheduleAfter(TimeSpan delay, IWorkItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (delay <= TimeSpan.Zero)
        {
            Schedule(item);
            return NoTimer.Instance;
        }

        // The timer is kept alive by its own callback state until it fires once, then disposed.
        ITimer? timer = null;
        timer = Time.CreateTimer(
            _ =>
            {
                timer?.Dispose();
                ThreadPool.UnsafeQueueUserWorkItem(item, preferLocal: false);
            },
            null,
            delay,
            Timeout.InfiniteTimeSpan);
        return timer;
    }

    // The handle of an item scheduled at once: nothing left to cancel.
    private sealed class NoTimer : IDisposable
    {
        public static readonly NoTimer Instance = new();

        public void Dispose()
        {
        }
    }
}
