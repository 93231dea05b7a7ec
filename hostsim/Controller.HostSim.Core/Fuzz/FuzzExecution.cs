// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Scheduling;
using Controller.Wire.Transport;

namespace Controller.HostSim.Core.Fuzz;

/// <summary>
/// Where a fuzz run's controller does its work: on one seeded <see cref="DeterministicScheduler"/> driven by the run's
/// thread (<see cref="SteppedExecution"/>, the default: the run is a function of its seed), or on threads in real
/// time (<see cref="ThreadedExecution"/>, <c>--real-time</c>: real races, but a failure may not replay). The run
/// itself is written once against this class.
/// </summary>
public abstract class FuzzExecution : IDisposable
{
    /// <summary>Gets the scheduler the controller's MPs, copy jobs, timers and send sides run on.</summary>
    public abstract IScheduler Scheduler { get; }

    /// <summary>Gets the mode's name for the report: "deterministic" or "real time".</summary>
    public abstract string Mode { get; }

    /// <summary>Gets the scheduler steps run so far (0 in real time, where nobody counts them).</summary>
    public virtual long Steps => 0;

    /// <summary>Creates the two connected ends of an in-process link (what one sends, the other receives).</summary>
    /// <returns>The peer's end and the target's end.</returns>
    public abstract (DuplexPipe Peer, DuplexPipe Target) CreatePipes();

    /// <summary>Starts an asynchronous loop (a connection's reader): on the thread pool, or on the run's thread up to its first wait.</summary>
    /// <typeparam name="T">What the loop returns.</typeparam>
    /// <param name="loop">The loop.</param>
    /// <returns>Its task.</returns>
    public abstract Task<T> Start<T>(Func<Task<T>> loop);

    /// <summary>Waits for a task the controller's work completes (a check through an initiator, a connection's end).</summary>
    /// <param name="task">The task.</param>
    /// <param name="patience">How long to wait for progress made outside the controller (an initiator's threads).</param>
    /// <returns>True when the task has completed (perhaps faulted).</returns>
    public abstract bool Wait(Task task, TimeSpan patience);

    /// <summary>Lets the controller work a little after an input (the steps it takes while the fuzzer writes the next).</summary>
    public abstract void AfterInput();

    /// <summary>Waits until the target has answered the catch-up marker.</summary>
    /// <param name="answered">Completes when the marker's reply has been read.</param>
    /// <param name="patience">How long to wait in real time.</param>
    /// <returns>True when it was answered.</returns>
    public abstract bool CatchUp(Task answered, TimeSpan patience);

    /// <summary>Says why a catch-up failed: how long was waited, or that the scheduler went idle.</summary>
    /// <param name="patience">The patience of the catch-up.</param>
    /// <returns>The reason, for the report.</returns>
    public abstract string NoAnswer(TimeSpan patience);

    /// <summary>Runs the controller until it has nothing left to do (deterministic), or does nothing (real time).</summary>
    public abstract void Settle();

    /// <summary>Describes the scheduler's state, for a failure's diagnostics.</summary>
    /// <returns>The text, or an empty string.</returns>
    public abstract string Describe();

    /// <inheritdoc/>
    public virtual void Dispose()
    {
    }
}
