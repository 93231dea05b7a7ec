// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;
using Controller.Wire.Transport;

namespace Controller.HostSim.Fuzz;

/// <summary>
/// A fuzz run (issue #4): an embedded controller, a canary written through a real initiator, then the inputs of
/// <see cref="FrameFuzzer"/> fed straight into target connections (a new one every
/// <see cref="FuzzOptions.InputsPerConnection"/> inputs, with a wait for the target to catch up every
/// <see cref="FuzzOptions.CatchUpInterval"/>), and the invariants checked: no exception escapes the decoder or
/// <c>TargetConnection.OnFrame</c> (the run stops at the first, naming the input); the target shows no fault of
/// its own (it stops answering, a send side fails, its output does not decode, a connection does not close);
/// every host command in flight finishes; the canary reads back as written ("never loses an acknowledged
/// write"); and a fresh host still logs in and gets TEST UNIT READY GOOD ("still serving").
/// </summary>
internal static class FuzzRun
{
    private const int TopLogKinds = 10;

    /// <summary>Runs the fuzzer.</summary>
    /// <param name="options">How many inputs, the seed, the test seam.</param>
    /// <returns>The report.</returns>
    public static FuzzReport Run(FuzzOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return RunAsync(options).GetAwaiter().GetResult();
    }

    private static async Task<FuzzReport> RunAsync(FuzzOptions options)
    {
        LogTally log = new();
        using FuzzController controller = new(log.Log);
        byte[][] canary = FuzzController.CanaryData(options.Seed);
        string? canaryProblem = await controller.WriteCanaryAsync(canary, options.Patience).ConfigureAwait(false);
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

        // An exception on another thread (an MP, a connection's writer) ends the process: say which input
        // was being fed, so the crash can be replayed.
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
                        maxOutstanding = Math.Max(maxOutstanding, await RetireAsync(connection, answers, faults, options.Patience).ConfigureAwait(false));
                    }

                    connections++;
                    connection = FuzzConnection.Open(controller.FrontEnd, "fuzz " + connections);
                    handler = options.WrapHandler?.Invoke(connection.Target) ?? connection.Target;
                }
                else if (i % options.CatchUpInterval == 0)
                {
                    catchUps++;
                    if (await connection!.CatchUpAsync(options.Patience).ConfigureAwait(false) is string stalled)
                    {
                        faults.Add(stalled);
                        break;
                    }
                }

                byKind[(int)input.Kind]++;
                Volatile.Write(ref fed, i + 1);
                try
                {
                    feeder.Feed(handler!, input);
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
            maxOutstanding = Math.Max(maxOutstanding, await RetireAsync(connection, answers, faults, options.Patience).ConfigureAwait(false));
        }

        bool quiesced = await controller.QuiesceAsync(options.Patience).ConfigureAwait(false);
        canaryProblem ??= await controller.CheckCanaryAsync(canary, options.Patience).ConfigureAwait(false);
        string? stillServingProblem = await controller.CheckStillServingAsync(options.Patience).ConfigureAwait(false);
        faults.AddRange(log.GetFaults());
        return new FuzzReport
        {
            Inputs = fed,
            RequestedInputs = options.Inputs,
            Seed = options.Seed,
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

    // Lets the target send what it still has queued, closes the connection, adds what the target sent on it to
    // the totals, and returns the exchanges it still held (commands waiting for write data that never came).
    private static async Task<int> RetireAsync(FuzzConnection connection, long[] answers, List<string> faults, TimeSpan patience)
    {
        if (await connection.CatchUpAsync(patience).ConfigureAwait(false) is string stalled)
        {
            faults.Add(stalled);
        }

        int outstanding = connection.Target.Outstanding;
        if (!await connection.RetireAsync(patience).ConfigureAwait(false))
        {
            faults.Add("connection '" + connection.Target.Peer + "' did not close within " + patience.TotalSeconds + " s");
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
}
