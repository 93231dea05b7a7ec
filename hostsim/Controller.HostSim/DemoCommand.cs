// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.CommandLine;
using Controller.HostSim.Cli;

namespace Controller.HostSim;

/// <summary><c>hostsim demo</c>: the embedded-controller demo.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        Option<bool> json = CliOptions.Json();
        Option<int> writes = CliOptions.Int("--writes", "4 KiB writes per host thread", 200_000, 1);
        Option<ulong> seed = CliOptions.Seed("seed of the hosts' LUN and LBA choices");
        Option<string?> record = new("--record") { Description = "record the FC frames of the atomic-split phase (commands, data, answers) to this pcap file", HelpName = "FILE" };
        Command command = new("demo", "run the embedded-controller demo (no setup needed): FIG 7 volumes, mirrors, atomic splits by name with each mechanism under dependent writes, each image checked by the oracle; exit 1 if any check fails") { json, writes, seed, record };
        command.SetAction(parsed =>
        {
            MediaDemoReport report = MediaDemo.Run(parsed.GetValue(writes), parsed.GetValue(seed), parsed.GetValue(record));
            Console.Out.WriteLine(parsed.GetValue(json) ? report.ToJson() : report.ToText());
            return report.Consistent ? 0 : 1;
        });
        return command;
    }
}
