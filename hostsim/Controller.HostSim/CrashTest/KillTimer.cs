// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;

namespace Controller.HostSim.CrashTest;

/// <summary>
/// Kills at a chosen moment, to the microsecond: a thread of its own sleeps until about a millisecond before, then
/// spins to the moment (a timer's resolution is about a millisecond, and an atomic split lasts a few). Its own
/// thread, because the thread that arms it may be an initiator's frame reader, which must not be held.
/// </summary>
internal static class KillTimer
{
    /// <summary>Calls <paramref name="kill"/> at a moment.</summary>
    /// <param name="at">The moment, a <see cref="Stopwatch"/> timestamp.</param>
    /// <param name="kill">The kill.</param>
    /// <returns>A task that completes once it has been called.</returns>
    public static Task KillAtAsync(long at, Action kill)
    {
        TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Thread thread = new(() =>
        {
            try
            {
                while (Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), at) > TimeSpan.FromMilliseconds(2))
                {
                    Thread.Sleep(1);
                }

                while (Stopwatch.GetTimestamp() < at)
                {
                    Thread.SpinWait(20);
                }

                kill();
                done.SetResult();
            }
            catch (Exception failure) when (failure is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                done.SetException(failure);
            }
        })
        {
            IsBackground = true,
            Name = "crash-test kill",
        };
        thread.Start();
        return done.Task;
    }

    /// <summary>The timestamp a number of microseconds after another.</summary>
    /// <param name="from">A <see cref="Stopwatch"/> timestamp.</param>
    /// <param name="microseconds">The delay.</param>
    /// <returns>The later timestamp.</returns>
    public static long After(long from, double microseconds)
    {
        return from + (long)(microseconds * Stopwatch.Frequency / 1_000_000);
    }
}
