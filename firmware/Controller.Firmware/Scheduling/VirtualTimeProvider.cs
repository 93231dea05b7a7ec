// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Scheduling;

/// <summary>
/// The clock of a deterministic run: it stands still while work runs and jumps to the next timer when
/// nothing is ready. Timestamps are nanoseconds of virtual time since the run started.
/// </summary>
public sealed class VirtualTimeProvider : TimeProvider
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private long _nowNanoseconds;

    /// <summary>Gets the virtual time since the start of the run, in nanoseconds.</summary>
    public long NowNanoseconds => Volatile.Read(ref _nowNanoseconds);

    /// <inheritdoc/>
    public override long TimestampFrequency => 1_000_000_000;

    /// <inheritdoc/>
    public override long GetTimestamp()
    {
        return NowNanoseconds;
    }

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow()
    {
        return Epoch.AddTicks(NowNanoseconds / 100);
    }

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        // Virtual timers belong to the deterministic scheduler (ScheduleAfter), which orders them with the
        // rest of the run; a free-running timer here would escape that order.
        throw new NotSupportedException("use DeterministicScheduler.ScheduleAfter for timers in virtual time");
    }

    /// <summary>Moves the clock forward; it never goes back.</summary>
    /// <param name="nanoseconds">The new time.</param>
    internal void AdvanceTo(long nanoseconds)
    {
        if (nanoseconds > _nowNanoseconds)
        {
            Volatile.Write(ref _nowNanoseconds, nanoseconds);
        }
    }
}
