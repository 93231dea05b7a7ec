// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.CommandLine;
using Controller.HostSim.Cli;
using Controller.HostSim.Core.Fuzz;

namespace Controller.HostSim;

/// <summary><c>hostsim fuzz</c>: generated and mutated frames against an embedded controller's target.</summary>
internal static class FuzzCommand
{
    public static Command Create()
    {
        Option<bool> json = CliOptions.Json();
        Option<long> inputs = CliOptions.Long("--inputs", "number of inputs", 1_000_000, 1);
        Option<ulong> seed = CliOptions.Seed("seed of the inputs and of the controller's scheduler; a failure names the seed and the input to replay");
        Option<bool> realTime = new("--real-time") { Description = "run the controller's MPs and send sides on threads in real time instead of on one seeded scheduler: real races, but a failure may not replay" };
        Command command = new("fuzz", "feed generated and mutated FC/FCIP frames to an embedded controller's target; check that no exception escapes, the canary write survives and a host can still log in and work")
        {
            json, inputs, seed, realTime,
        };
        command.SetAction(parsed =>
        {
            FuzzReport report = FuzzRun.Run(new FuzzOptions { Inputs = parsed.GetValue(inputs), Seed = parsed.GetValue(seed), Deterministic = !parsed.GetValue(realTime) });
            Console.Out.WriteLine(parsed.GetValue(json) ? report.ToJson() : report.ToText());
            return report.Passed ? 0 : 1;
        });
        return command;
    }
}
