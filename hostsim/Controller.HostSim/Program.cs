// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim;

/// <summary>
/// The hostsim command line. Exit codes: 0 success; 1 a check failed (an inconsistent verdict);
/// 2 bad usage (the message says what was wrong).
/// </summary>
internal static class Program
{
    private const string Usage = """
        usage: hostsim demo [--json] [--writes N] [--seed N]

          demo        run the embedded-controller demo (no setup needed)
            --json    print one JSON object instead of the text report
            --writes  4 KiB writes per host thread (default 200000)
            --seed    seed of the hosts' LUN and LBA choices (default 1)

        exit codes: 0 success, 1 a check failed, 2 bad usage
        """;

    private static int Main(string[] args)
    {
        return Run(args);
    }

    /// <summary>Runs one command line; returns the exit code.</summary>
    /// <param name="args">The arguments.</param>
    /// <returns>The exit code.</returns>
    internal static int Run(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.Out.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        if (args[0] != "demo")
        {
            Console.Error.WriteLine("hostsim: unknown command '" + args[0] + "'");
            Console.Error.WriteLine(Usage);
            return 2;
        }

        bool json = false;
        int writes = 200_000;
        ulong seed = 1;
        for (int i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--json":
                    json = true;
                    break;
                case "--writes" when i + 1 < args.Length && int.TryParse(args[i + 1], out int n) && n > 0:
                    writes = n;
                    i++;
                    break;
                case "--seed" when i + 1 < args.Length && ulong.TryParse(args[i + 1], out ulong s):
                    seed = s;
                    i++;
                    break;
                default:
                    Console.Error.WriteLine("hostsim demo: bad argument '" + args[i] + "' (--writes takes a positive integer, --seed a non-negative one)");
                    return 2;
            }
        }

        MediaDemoReport report = MediaDemo.Run(writes, seed);
        Console.Out.WriteLine(json ? report.ToJson() : report.ToText());
        return report.Consistent ? 0 : 1;
    }
}
