// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.CommandLine;
using System.Net;
using Controller.HostSim.Cli;
using Controller.HostSim.Loopback;

namespace Controller.HostSim;

/// <summary><c>hostsim loopback</c>: the 4 KiB write benchmark over loopback TCP (docs/architecture.md, "Performance budget").</summary>
internal static class LoopbackCommand
{
    public static Command Create()
    {
        Option<bool> json = CliOptions.Json();
        Option<double> seconds = CliOptions.Number("--seconds", "measured time in seconds", 10, 0, exclusive: true);
        Option<double> warmup = CliOptions.Number("--warmup", "seconds of load before the measurement", 2, 0, exclusive: false);
        Option<int> queueDepth = CliOptions.Int("--queue-depth", "commands outstanding", 32, 1, 1024);
        Option<bool> firstBurst = new("--first-burst") { Description = "negotiate first burst (write data without FCP_XFER_RDY)" };
        Option<IPEndPoint?> target = CliOptions.Target();
        Option<bool> inProcess = new("--in-process") { Description = "the same over in-process pipes instead of TCP (the baseline without sockets)" };
        Command command = new("loopback", "4 KiB writes over FCIP on loopback TCP at a fixed queue depth; IOPS and latency")
        {
            json, seconds, warmup, queueDepth, firstBurst, target, inProcess,
        };
        command.SetAction(parsed =>
        {
            LoopbackOptions options = new()
            {
                Seconds = parsed.GetValue(seconds),
                WarmupSeconds = parsed.GetValue(warmup),
                QueueDepth = parsed.GetValue(queueDepth),
                FirstBurst = parsed.GetValue(firstBurst),
                Target = parsed.GetValue(target),
                InProcess = parsed.GetValue(inProcess),
            };
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

            Console.Out.WriteLine(parsed.GetValue(json) ? report.ToJson() : report.ToText());
            return report.Passed ? 0 : 1;
        });
        return command;
    }
}
