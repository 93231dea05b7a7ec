// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.IO.Pipelines;
using Controller.Firmware.Scheduling;
using Controller.Wire.Transport;

namespace Controller.HostSim.Core.Fuzz;

/// <summary>
/// The deterministic mode of a fuzz run (the default; docs/architecture.md, decision 4): the controller's MPs, copy
/// jobs, timers and connections' send sides run on one <see cref="DeterministicScheduler"/> seeded from the run's
/// seed, and the target connections' pipe callbacks on the run's thread (<see cref="PumpedPipeScheduler"/>), all
/// driven by the thread that feeds the inputs. After each input the controller takes 0 to 3 steps (drawn from the
/// seed), and a catch-up runs it until it is idle (virtual time moves to each timer), so the target stays just
/// behind the fuzzer as with threads; the order of every step, and so the whole report, is a function of the seed.
/// A catch-up with the marker unanswered once the scheduler is idle is a verdict without a clock. Only the checks
/// through a real initiator (the canary, still serving) involve other threads: the initiator's, which the run's
/// thread waits for, with patience, between its steps.
/// </summary>
public sealed class SteppedExecution : FuzzExecution
{
    // Steps the controller may take after an input: 0 to this minus one.
    private const int StepsAfterInput = 4;

    // A run's worth of steps with nothing left over means something that never ends (a livelock).
    private const long MaxStepsToIdle = 10_000_000;

    private readonly DeterministicScheduler _scheduler;
    private readonly PumpedPipeScheduler _pipes = new();
    private readonly SplitMix64 _steps;

    /// <summary>Initializes the mode for one run.</summary>
    /// <param name="seed">The run's seed (the fuzzer's inputs use it too, in a stream of their own).</param>
    public SteppedExecution(ulong seed)
    {
        _scheduler = new DeterministicScheduler(seed ^ 0x5EED_0F5C_4ED0_1E00UL);
        _steps = new SplitMix64(seed ^ 0x0057_E950_0000_0001UL);
    }

    /// <inheritdoc/>
    public override IScheduler Scheduler => _scheduler;

    /// <inheritdoc/>
    public override string Mode => "deterministic";

    /// <inheritdoc/>
    /// <remarks>
    /// Items the scheduler ran; pipe callbacks are not counted: how an initiator's thread splits its frames into
    /// writes (the canary checks) changes how many there are, never what the target does with the frames.
    /// </remarks>
    public override long Steps => _scheduler.Steps;

    /// <summary>Gets the virtual time the run reached (timers: split holds, copy retries), in seconds.</summary>
    public double VirtualSeconds => _scheduler.Clock.NowNanoseconds / 1e9;

    /// <inheritdoc/>
    public override (DuplexPipe Peer, DuplexPipe Target) CreatePipes()
    {
        // No pause: a writer never waits for room, so no flush is left half done between two steps.
        PipeOptions options = new(readerScheduler: _pipes, writerScheduler: _pipes, pauseWriterThreshold: 0, useSynchronizationContext: false);
        Pipe toTarget = new(options);
        Pipe toPeer = new(options);
        return (new DuplexPipe(toPeer.Reader, toTarget.Writer), new DuplexPipe(toTarget.Reader, toPeer.Writer));
    }

    /// <inheritdoc/>
    public override Task<T> Start<T>(Func<Task<T>> loop)
    {
        // On this thread up to its first wait for data; the pipe's callback resumes it here too.
        return loop();
    }

    /// <inheritdoc/>
    public override bool Wait(Task task, TimeSpan patience)
    {
        DateTime deadline = DateTime.UtcNow + patience;
        while (!task.IsCompleted)
        {
            if (TryStep())
            {
                continue;
            }

            // Nothing to run here: the task waits for another thread (an initiator's). Timers are not fired, so
            // how long that thread takes never moves virtual time.
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            _pipes.WaitForArrival(TimeSpan.FromMilliseconds(10));
        }

        return true;
    }

    /// <inheritdoc/>
    public override void AfterInput()
    {
        for (int steps = _steps.Next(StepsAfterInput); steps > 0 && TryStep(); steps--)
        {
        }
    }

    /// <inheritdoc/>
    public override bool CatchUp(Task answered, TimeSpan patience)
    {
        Settle();
        return answered.IsCompleted;
    }

    /// <inheritdoc/>
    public override string NoAnswer(TimeSpan patience)
    {
        return "the scheduler went idle with the LOGO unanswered";
    }

    /// <inheritdoc/>
    public override void Settle()
    {
        long steps = 0;
        while (TryStep() || _scheduler.RunOne())
        {
            if (++steps >= MaxStepsToIdle)
            {
                throw new InvalidOperationException("seed " + _scheduler.Seed + ": the controller was still busy after " + MaxStepsToIdle + " steps (livelock?)");
            }
        }
    }

    /// <inheritdoc/>
    public override string Describe()
    {
        return string.Create(CultureInfo.InvariantCulture, $"scheduler: {Steps:N0} steps, {_scheduler.ReadyCount} ready, {_scheduler.PendingTimerCount} timers pending, virtual time {VirtualSeconds:F3} s, pipe callbacks waiting: {(_pipes.IsEmpty ? "none" : "some")}");
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        _pipes.Dispose();
    }

    // One pipe callback, else one ready item; never a timer (only Settle moves virtual time).
    private bool TryStep()
    {
        return _pipes.TryRunOne() || (_scheduler.ReadyCount > 0 && _scheduler.RunOne());
    }
}
