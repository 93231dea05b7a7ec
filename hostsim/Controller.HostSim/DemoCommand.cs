// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim;

/// <summary><c>hostsim demo</c>: the embedded-controller demo.</summary>
internal static class DemoCommand
{
    public const string Usage = """
          demo        run the embedded-controller demo (no setup needed)
            --json    print one JSON object instead of the text report
            --writes  4 KiB writes per host thread (default 200000)
            --seed    seed of the hosts' LUN and LBA choices (default 1)
        """;

    public static int Run(string[] args)
    {
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
