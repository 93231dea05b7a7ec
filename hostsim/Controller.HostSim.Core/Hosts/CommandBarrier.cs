// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.Core.Hosts;

/// <summary>
/// The rule a recorded load keeps so that its replay gets the same answers: a copy-management command (PAIR CREATE,
/// ATOMIC SPLIT, PAIR STATUS, ...) is never outstanding beside another command. It waits for the load's outstanding
/// READs and WRITEs to be answered, and holds back new ones until it is answered. That is the order replay keeps (a
/// command that is not a READ or WRITE waits for every earlier one and holds back every later one), so the trace's
/// frame order says exactly which writes a split came before and after. Without it, a write sent just before a
/// split could reach the controller's volume after it, and the differential bitmap would depend on the timing.
/// </summary>
public sealed class CommandBarrier
{
    private readonly Lock _gate = new();
    private int _outstanding;
    private TaskCompletionSource? _exclusive;
    private TaskCompletionSource? _drained;

    /// <summary>Waits until a READ or WRITE may be sent: no copy-management command is waiting or outstanding.</summary>
    /// <returns>When it may; call <see cref="Exit"/> once it is answered.</returns>
    public ValueTask EnterAsync()
    {
        Task wait;
        lock (_gate)
        {
            if (_exclusive is null)
            {
                _outstanding++;
                return ValueTask.CompletedTask;
            }

            wait = _exclusive.Task;
        }

        return WaitThenEnterAsync(wait);
    }

    /// <summary>Says a READ or WRITE was answered.</summary>
    public void Exit()
    {
        TaskCompletionSource? drained = null;
        lock (_gate)
        {
            _outstanding--;
            if (_outstanding == 0)
            {
                drained = _drained;
                _drained = null;
            }
        }

        drained?.TrySetResult();
    }

    /// <summary>Runs a copy-management command alone: after every outstanding READ and WRITE, before any new one.</summary>
    /// <typeparam name="T">What the command returns.</typeparam>
    /// <param name="command">Sends the command and waits for its answer.</param>
    /// <returns>What the command returned.</returns>
    public async Task<T> AloneAsync<T>(Func<Task<T>> command)
    {
        TaskCompletionSource mine = NewSignal();
        Task? drained = null;
        while (true)
        {
            Task other;
            lock (_gate)
            {
                if (_exclusive is null)
                {
                    _exclusive = mine;
                    if (_outstanding > 0)
                    {
                        _drained = NewSignal();
                        drained = _drained.Task;
                    }

                    break;
                }

                other = _exclusive.Task;
            }

            await other.ConfigureAwait(false);
        }

        try
        {
            if (drained is not null)
            {
                await drained.ConfigureAwait(false);
            }

            return await command().ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _exclusive = null;
            }

            mine.TrySetResult();
        }
    }

    private static TaskCompletionSource NewSignal()
    {
        // Waiters resume on the thread pool, never on an initiator's frame reader.
        return new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private async ValueTask WaitThenEnterAsync(Task wait)
    {
        while (true)
        {
            await wait.ConfigureAwait(false);
            lock (_gate)
            {
                if (_exclusive is null)
                {
                    _outstanding++;
                    return;
                }

                wait = _exclusive.Task;
            }
        }
    }
}
