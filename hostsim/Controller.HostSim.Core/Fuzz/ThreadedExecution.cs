// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Scheduling;
using Controller.Wire.Transport;

namespace Controller.HostSim.Core.Fuzz;

/// <summary>
/// The real-time mode of a fuzz run (<c>hostsim fuzz --real-time</c>): the MPs and send sides on the thread pool
/// beside the fuzzer's thread, as in production. Real interleavings (how the lost wake-up in <c>FrameOutbox</c> was
/// found), so a failure names its seed and input but may not happen again on a replay.
/// </summary>
public sealed class ThreadedExecution : FuzzExecution
{
    /// <inheritdoc/>
    public override IScheduler Scheduler => RealTimeScheduler.Instance;

    /// <inheritdoc/>
    public override string Mode => "real time";

    /// <inheritdoc/>
    public override (DuplexPipe Peer, DuplexPipe Target) CreatePipes()
    {
        return DuplexPipe.CreatePair();
    }

    /// <inheritdoc/>
    public override Task<T> Start<T>(Func<Task<T>> loop)
    {
        return Task.Run(loop);
    }

    /// <inheritdoc/>
    public override bool Wait(Task task, TimeSpan patience)
    {
        try
        {
            return task.Wait(patience);
        }
        catch (AggregateException)
        {
            // Faulted: completed; the caller looks at the exception.
            return true;
        }
    }

    /// <inheritdoc/>
    public override void AfterInput()
    {
    }

    /// <inheritdoc/>
    public override bool CatchUp(Task answered, TimeSpan patience)
    {
        return Wait(answered, patience);
    }

    /// <inheritdoc/>
    public override string NoAnswer(TimeSpan patience)
    {
        return "no reply to a LOGO within " + patience.TotalSeconds + " s";
    }

    /// <inheritdoc/>
    public override void Settle()
    {
    }

    /// <inheritdoc/>
    public override string Describe()
    {
        return string.Empty;
    }
}
