// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.HostSim.Fuzz;

namespace Controller.HostSim;

/// <summary><c>hostsim fuzz</c>: generated and mutated frames into an embedded controller's target (issue #4).</summary>
internal static class FuzzCommand
{
    public const string Usage = """
          fuzz        feed generated and mutated FC/FCIP frames to an embedded controller's target; check that no
                      exception escapes, the canary write survives and a host can still log in and work
            --inputs  number of inputs (default 1000000)
            --seed    seed of the inputs (default 1); a failure names the seed and the input to replay
            --json    print one JSON object instead of the text report
        """;

    public static int Run(string[] args)
    {
        bool json = false;
        long inputs = 1_000_000;
        ulong seed = 1;
        for (int i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--json":
                    json = true;
                    break;
                case "--inputs" when i + 1 < args.Length && long.TryParse(args[i + 1], out long n) && n > 0:
                    inputs = n;
                    i++;
                    break;
                case "--seed" when i + 1 < args.Length && ulong.TryParse(args[i + 1], out ulong s):
                    seed = s;
                    i++;
                    break;
                default:
                    Console.Error.WriteLine("hostsim fuzz: bad argument '" + args[i] + "' (--inputs takes a positive integer, --seed a non-negative one)");
                    return 2;
            }
        }

        FuzzReport report = FuzzRun.Run(new FuzzOptions { Inputs = inputs, Seed = seed });
        Console.Out.WriteLine(json ? report.ToJson() : report.ToText());
        return report.Passed ? 0 : 1;
    }
}
