// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;
using Controller.HostSim.Cli;
using Controller.HostSim.SlowReader;

namespace Controller.HostSim;

/// <summary>
/// <c>hostsim slow-reader</c>: the slow-reader attack on a running controllerd, with its memory (VmRSS) measured
/// before, during and after and a normal host's IOPS without and during it (docs/controllerd.md, "Bounded resources").
/// Exit 0 when every budget is met, 1 when one is missed or the run failed, 2 for a bad command line.
/// </summary>
internal static class SlowReaderCommand
{
    public static Command Create()
    {
        Option<bool> json = CliOptions.Json();
        Option<IPEndPoint?> target = CliOptions.Target("--target", "the controller's FCIP listener (e.g. controllerd at 127.0.0.1:3225)");
        target.Required = true;
        Option<int> pid = CliOptions.Int("--pid", "the controller's process id: its VmRSS is read from /proc/PID/status", 0, 1);
        pid.Required = true;
        Option<int> connections = CliOptions.Int("--connections", "attacking connections", 1, 1, 10_000);
        Option<int> reads = CliOptions.Int("--reads", "READs each attacker sends without reading an answer", 400, 1, 65_535);
        Option<long> size = Size("--size", "bytes of each attacking READ", 8L * 1024 * 1024);
        Option<double> seconds = CliOptions.Number("--seconds", "seconds of normal load measured without the attack, and again during it", 10, 0, exclusive: true);
        Option<int> queueDepth = CliOptions.Int("--queue-depth", "the normal host's commands outstanding", 16, 1, 1024);
        Option<long> maxGrowth = Size("--max-growth", "budget: the most the controller's VmRSS may grow during the attack", 80L * 1024 * 1024);
        Option<double> minRatio = CliOptions.Number("--min-ratio", "budget: the least share of its IOPS the normal host keeps during the attack", 0.8, 0, exclusive: false);
        Option<double> returnSeconds = CliOptions.Number("--return-within", "budget: seconds within which the VmRSS comes back after the attackers leave", 10, 0, exclusive: true);
        Option<long> margin = Size("--return-margin", "how close to the VmRSS before the attack counts as back", 16L * 1024 * 1024);
        Option<int> lun = CliOptions.Int("--lun", "the normal host's LUN on port 0x400104", 1, 0, 0x3FFF);
        Option<int> attackLun = CliOptions.Int("--attack-lun", "the LUN the attackers read", 2, 0, 0x3FFF);
        Command command = new("slow-reader", "attackers that never read their answers, against a running controllerd: its memory before, during and after, and a normal host's IOPS; exit 1 when a budget is missed")
        {
            json, target, pid, connections, reads, size, seconds, queueDepth, maxGrowth, minRatio, returnSeconds, margin, lun, attackLun,
        };
        command.SetAction(parsed =>
        {
            SlowReaderOptions options = new()
            {
                Target = parsed.GetValue(target)!,
                Pid = parsed.GetValue(pid),
                Connections = parsed.GetValue(connections),
                Reads = parsed.GetValue(reads),
                ReadBytes = (int)parsed.GetValue(size),
                Seconds = parsed.GetValue(seconds),
                QueueDepth = parsed.GetValue(queueDepth),
                MaxGrowthBytes = parsed.GetValue(maxGrowth),
                MinRatio = parsed.GetValue(minRatio),
                ReturnSeconds = parsed.GetValue(returnSeconds),
                ReturnMarginBytes = parsed.GetValue(margin),
                Lun = (ushort)parsed.GetValue(lun),
                AttackLun = (ushort)parsed.GetValue(attackLun),
            };
            if (!File.Exists("/proc/" + options.Pid.ToString(CultureInfo.InvariantCulture) + "/status"))
            {
                Console.Error.WriteLine("hostsim slow-reader: no process " + options.Pid + " (/proc/" + options.Pid + "/status)");
                return 1;
            }

            SlowReaderReport report;
            try
            {
                report = SlowReaderRun.RunAsync(options, parsed.GetValue(json) ? TextWriter.Null : Console.Error).GetAwaiter().GetResult();
            }
            catch (Exception exception) when (exception is Controller.Initiator.InitiatorException or System.Net.Sockets.SocketException or IOException)
            {
                Console.Error.WriteLine("hostsim slow-reader: " + exception.Message);
                return 1;
            }

            Console.Out.WriteLine(parsed.GetValue(json) ? report.ToJson() : report.ToText());
            return report.Passed ? 0 : 1;
        });
        return command;
    }

    // A SIZE: decimal bytes, or with KiB, MiB, GiB (powers of 1024), as controllerd's configuration writes them.
    private static Option<long> Size(string name, string description, long defaultValue)
    {
        return new Option<long>(name)
        {
            Description = description + " (bytes, or with KiB, MiB, GiB)",
            HelpName = "SIZE",
            DefaultValueFactory = _ => defaultValue,
            CustomParser = ParseSize,
        };
    }

    private static long ParseSize(ArgumentResult result)
    {
        string text = CliOptions.Text(result);
        (string digits, long unit) = text.EndsWith("GiB", StringComparison.Ordinal) ? (text[..^3], 1L << 30)
            : text.EndsWith("MiB", StringComparison.Ordinal) ? (text[..^3], 1L << 20)
            : text.EndsWith("KiB", StringComparison.Ordinal) ? (text[..^3], 1L << 10)
            : (text, 1L);
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long value) || value <= 0 || value > long.MaxValue / unit || value * unit > int.MaxValue)
        {
            CliOptions.Refuse(result, "'" + text + "' is not a size (e.g. 8MiB, 1GiB, 65536) up to 2 GiB");
            return 0;
        }

        return value * unit;
    }
}
