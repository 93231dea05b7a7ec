// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Collections.Concurrent;
using System.IO.Pipelines;

namespace Controller.HostSim.Core.Fuzz;

/// <summary>
/// The pipes' callbacks of a deterministic fuzz run (a reader woken by data, a writer by room): queued, and run by
/// the run's thread between scheduler steps (<see cref="SteppedExecution"/>), so a target connection's reader runs
/// where its MPs and send side run and in an order the run decides. Callbacks may be queued from any thread (an
/// initiator's own threads write to the target).
/// </summary>
public sealed class PumpedPipeScheduler : PipeScheduler, IDisposable
{
    private readonly ConcurrentQueue<(Action<object?> Callback, object? State)> _queue = new();
    private readonly ManualResetEventSlim _arrived = new(false);

    /// <summary>Gets a value indicating whether no callback is waiting.</summary>
    public bool IsEmpty => _queue.IsEmpty;

    /// <inheritdoc/>
    public override void Schedule(Action<object?> action, object? state)
    {
        _queue.Enqueue((action, state));
        _arrived.Set();
    }

    /// <summary>Runs the oldest callback, if any. Only the run's thread calls this.</summary>
    /// <returns>False when none was waiting.</returns>
    public bool TryRunOne()
    {
        if (!_queue.TryDequeue(out (Action<object?> Callback, object? State) item))
        {
            return false;
        }

        item.Callback(item.State);
        return true;
    }

    /// <summary>Waits until a callback may have arrived (or <paramref name="timeout"/> passed): for another thread's progress.</summary>
    /// <param name="timeout">How long at most.</param>
    public void WaitForArrival(TimeSpan timeout)
    {
        // Reset, then look: an arrival after the look sets the event again, so none is slept through.
        _arrived.Reset();
        if (_queue.IsEmpty)
        {
            _arrived.Wait(timeout);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _arrived.Dispose();
    }
}
