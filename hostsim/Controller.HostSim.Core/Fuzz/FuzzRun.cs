// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;
using Controller.Wire.Transport;

namespace Controller.HostSim.Core.Fuzz;

/// <summary>
/// A fuzz run (issue #4): an embedded controller, a canary written through a real initiator, then the inputs of
/// <see cref="FrameFuzzer"/> fed straight into target connections (a new one every
/// <see cref="FuzzOptions.InputsPerConnection"/> inputs, with a wait for the target to catch up every
/// <see cref="FuzzOptions.CatchUpInterval"/>), and the invariants checked: no exception escapes the decoder or
/// <c>TargetConnection.OnFrame</c> (the run stops at the first, naming the input); the target shows no fault of
/// its own (it stops answering, a send side fails, its output does not decode, a connection does not close);
/// every host command in flight finishes; the canary reads back as written ("never loses an acknowledged
/// write"); and a fresh host still logs in and gets TEST UNIT READY GOOD ("still serving"). By default the
/// controller runs on one seeded scheduler (<see cref="SteppedExecution"/>), so the whole run, answers and failures
/// included, is a function of the seed; <see cref="FuzzOptions.Deterministic"/> false runs it on threads.
/// </summary>
public static class FuzzRun
{
    private const int TopLogKinds = 10;

    /// <summary>Runs the fuzzer on the calling thread (which drives the controller in deterministic mode).</summary>
    /// <param name="options">How many inputs, the seed, the mode, the test seam.</param>
    /// <returns>The report.</returns>
    public static FuzzReport Run(FuzzOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        using FuzzExecution execution = options.Deterministic ? new SteppedExecution(options.Seed) : new ThreadedExecution();
        LogTally log = new();
        using FuzzController controller = new(log.Log, execution);
        byte[][] canary = FuzzController.CanaryData(options.Seed);
        string? canaryProblem = Check(execution, controller.WriteCanaryAsync(canary, options.Patience), options.Patience, "writing the canary");
        if (canaryProblem is not null)
        {
            canaryProblem = "the canary could not be written before the run: " + canaryProblem;
        }

        FrameFuzzer fuzzer = new(options.Seed, options.InputsPerConnection);
        FuzzInput input = new();
        FuzzFeeder feeder = new();
        long[] byKind = new long[(int)FuzzInputKind.FcipBytes + 1];
        long[] answers = new long[(int)TargetAnswer.Other + 1];
        List<string> faults = [];
        FuzzFailure? failure = null;
        FuzzConnection? connection = null;
        IFcFrameHandler? handler = null;
        int connections = 0;
        int maxOutstanding = 0;
        long catchUps = 0;
        long fed = 0;
        bool connectionStalled = false;

        // An exception on another thread (an MP, a connection's writer: real-time mode) ends the process: say which
        // input was being fed, so the crash can be replayed. In deterministic mode it comes out of a step, here.
        UnhandledExceptionEventHandler crash = (_, e) => Console.Error.WriteLine("hostsim fuzz: the target crashed on another thread at or shortly after input " + Volatile.Read(ref fed) + " of seed " + options.Seed + ": " + e.ExceptionObject);
        AppDomain.CurrentDomain.UnhandledException += crash;
        Stopwatch clock = Stopwatch.StartNew();
        try
        {
            for (long i = 0; i < options.Inputs; i++)
            {
                fuzzer.Next(input);
                if (input.NewConnection)
                {
                    if (connection is not null)
                    {
                        maxOutstanding = Math.Max(maxOutstanding, Retire(connection, handler!, answers, faults, controller, execution, options.Patience, fed));
                    }

                    connections++;
                    connection = FuzzConnection.Open(controller.FrontEnd, "fuzz " + connections, execution);
                    handler = options.WrapHandler?.Invoke(connection.Target) ?? connection.Target;
                }
                else if (i % options.CatchUpInterval == 0)
                {
                    catchUps++;
                    if (CatchUp(connection!, handler!, controller, execution, options.Patience, fed) is string stalled)
                    {
                        faults.Add(stalled);
                        connectionStalled = true;
                        break;
                    }
                }

                byKind[(int)input.Kind]++;
                Volatile.Write(ref fed, i + 1);
                try
                {
                    feeder.Feed(handler!, input);
                    execution.AfterInput();
                }
                catch (Exception exception)
                {
                    // Exactly what the fuzzer is for: stop here, with what it takes to replay it.
                    failure = new FuzzFailure(i, options.Seed, input.Kind, exception.ToString(), input.ToHex());
                    break;
                }
            }
        }
        finally
        {
            clock.Stop();
            AppDomain.CurrentDomain.UnhandledException -= crash;
        }

        if (connection is not null)
        {
            try
            {
                maxOutstanding = Math.Max(maxOutstanding, Retire(connection, connectionStalled ? null : handler, answers, faults, controller, execution, options.Patience, fed));
            }
            catch (Exception exception)
            {
                faults.Add(connection.Target.Peer + ": the controller threw while the connection closed: " + exception);
            }
        }

        bool quiesced = Quiesce(controller, faults, options.Patience);
        canaryProblem ??= Check(execution, controller.CheckCanaryAsync(canary, options.Patience), options.Patience, "reading the canary back");
        string? stillServingProblem = Check(execution, controller.CheckStillServingAsync(options.Patience), options.Patience, "the still-serving check");
        faults.AddRange(log.GetFaults());
        return new FuzzReport
        {
            Inputs = fed,
            RequestedInputs = options.Inputs,
            Seed = options.Seed,
            Mode = execution.Mode,
            SchedulerSteps = execution.Steps,
            Seconds = clock.Elapsed.TotalSeconds,
            Connections = connections,
            MaxOutstandingAtClose = maxOutstanding,
            CatchUps = catchUps,
            ByKind = byKind,
            Feeding = feeder,
            Answers = answers,
            LogLines = log.Lines,
            TopLog = log.GetTop(TopLogKinds),
            Failure = failure,
            TargetFaults = faults.ToArray(),
            Quiesced = quiesced,
            CanaryProblem = canaryProblem,
            StillServingProblem = stillServingProblem,
        };
    }

    // Waits for the target to answer a marker; null when it did, else the fault with what the connection, the
    // controller and the scheduler looked like. A step that throws (deterministic mode) is a fault too.
    private static string? CatchUp(FuzzConnection connection, IFcFrameHandler handler, FuzzController controller, FuzzExecution execution, TimeSpan patience, long fed)
    {
        string? stalled;
        try
        {
            stalled = connection.CatchUp(handler, patience);
        }
        catch (Exception exception)
        {
            return connection.Target.Peer + ": the controller threw in a step after input " + (fed - 1) + ": " + exception + "; " + controller.Describe();
        }

        if (stalled is null)
        {
            return null;
        }

        string scheduler = execution.Describe();
        return stalled + "; " + controller.Describe() + (scheduler.Length == 0 ? string.Empty : "; " + scheduler);
    }

    // Lets the target send what it still has queued (unless it stopped answering already: handler null), closes the
    // connection, adds what the target sent on it to the totals, and returns the exchanges it still held (commands
    // waiting for write data that never came).
    private static int Retire(FuzzConnection connection, IFcFrameHandler? handler, long[] answers, List<string> faults, FuzzController controller, FuzzExecution execution, TimeSpan patience, long fed)
    {
        if (handler is not null && CatchUp(connection, handler, controller, execution, patience, fed) is string stalled)
        {
            faults.Add(stalled);
        }

        int outstanding = connection.Target.Outstanding;
        if (!connection.Retire(patience))
        {
            faults.Add("connection '" + connection.Target.Peer + "' did not close within " + patience.TotalSeconds + " s; " + connection.Describe());
            return outstanding;
        }

        if (connection.OutputFault is string fault)
        {
            faults.Add(connection.Target.Peer + ": " + fault);
        }

        IReadOnlyList<long> counts = connection.Answers.Counts;
        for (int i = 0; i < answers.Length; i++)
        {
            answers[i] += counts[i];
        }

        return outstanding;
    }

    private static bool Quiesce(FuzzController controller, List<string> faults, TimeSpan patience)
    {
        try
        {
            return controller.Quiesce(patience);
        }
        catch (Exception exception)
        {
            faults.Add("the controller threw in a step after the last input: " + exception);
            return false;
        }
    }

    // Runs a check through a real initiator to its end: its verdict, or why there is none.
    private static string? Check(FuzzExecution execution, Task<string?> check, TimeSpan patience, string what)
    {
        if (!execution.Wait(check, patience + patience))
        {
            return what + " did not finish within " + (2 * patience.TotalSeconds) + " s";
        }

        return check.IsFaulted ? what + " failed: " + check.Exception!.InnerException : check.Result;
    }
}
