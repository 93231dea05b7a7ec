// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Net;
using Controller.HostSim.Loopback;

namespace Controller.HostSim;

/// <summary><c>hostsim loopback</c>: the 4 KiB write benchmark over loopback TCP (ARCHITECTURE.md §7).</summary>
internal static class LoopbackCommand
{
    public const string Usage = """
          loopback    4 KiB writes over FCIP on loopback TCP at a fixed queue depth; IOPS and latency
            --seconds N       measured time (default 10), after --warmup N seconds (default 2)
            --queue-depth N   commands outstanding (default 32)
            --first-burst     negotiate first burst (write data without FCP_XFER_RDY)
            --target H:P      drive a running controller (e.g. controllerd) instead of an embedded one
            --in-process      the same over in-process pipes instead of TCP (the baseline without sockets)
            --json            print one JSON object
        """;

    public static int Run(string[] args)
    {
        LoopbackOptions options = new();
        bool json = false;
        for (int i = 1; i < args.Length; i++)
        {
            string? value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--json":
                    json = true;
                    continue;
                case "--first-burst":
                    options = options with { FirstBurst = true };
                    continue;
                case "--in-process":
                    options = options with { InProcess = true };
                    continue;
                case "--seconds" when TryPositive(value, out double seconds):
                    options = options with { Seconds = seconds };
                    break;
                case "--warmup" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double warmup) && warmup >= 0:
                    options = options with { WarmupSeconds = warmup };
                    break;
                case "--queue-depth" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int depth) && depth is >= 1 and <= 1024:
                    options = options with { QueueDepth = depth };
                    break;
                case "--target" when IPEndPoint.TryParse(value ?? string.Empty, out IPEndPoint? target) && target.Port != 0:
                    options = options with { Target = target };
                    break;
                default:
                    Console.Error.WriteLine("hostsim loopback: bad argument '" + args[i] + "'" + (value is null ? string.Empty : " '" + value + "'") + " (--seconds takes a positive number, --queue-depth 1-1024, --target an address:port)");
                    return 2;
            }

            i++;
        }

        LoopbackReport report;
        try
        {
            report = LoopbackRun.RunAsync(options).GetAwaiter().GetResult();
        }
        catch (Exception exception) when (exception is Controller.Initiator.InitiatorException or System.Net.Sockets.SocketException)
        {
            Console.Error.WriteLine("hostsim loopback: " + exception.Message);
            return 1;
        }

        Console.Out.WriteLine(json ? report.ToJson() : report.ToText());
        return report.Passed ? 0 : 1;
    }

    private static bool TryPositive(string? text, out double value)
    {
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && value > 0;
    }
}
