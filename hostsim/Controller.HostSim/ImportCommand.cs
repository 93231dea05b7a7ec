// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.CommandLine;
using Controller.HostSim.Cli;
using Controller.HostSim.Import;
using Controller.Traces;
using Controller.Traces.Formats;
using Controller.Wire.Pcap;

namespace Controller.HostSim;

/// <summary><c>hostsim import</c>: a public block trace to this project's pcap trace.</summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        Argument<string> input = new("trace") { Description = "the block trace to read" };
        Argument<string> output = new("pcap") { Description = "the pcap trace to write (FC-2 frames, link type 224)" };
        Option<string> format = CliOptions.Choice("--format", "the trace's format; auto detects it from the name and first line", "auto", ["auto", .. TraceFormats.Names]);
        Option<string[]> map = new("--map")
        {
            Description = "DEVICE=PORT-ID,LUN: the volume a device of the trace becomes (repeat per device; devices not named are then bad lines). Without it, devices get LUNs 0x0001, 0x0002, ... on port 0x400104 in order of first appearance",
            HelpName = "DEVICE=PORT-ID,LUN",
            AllowMultipleArgumentsPerToken = false,
        };
        Option<bool> skipBad = new("--skip-bad") { Description = "skip malformed lines and count them, instead of stopping at the first" };
        Option<bool> json = CliOptions.Json();
        Command command = new("import", "convert a public block trace (fio iolog v2/v3, DiskSim/MQSim, CloudPhysics vSCSI CSV or binary, SNIA MSR Cambridge, blkparse, Alibaba) into a pcap trace of FCP commands that hostsim replay and Wireshark read")
        {
            input, output, format, map, skipBad, json,
        };
        command.SetAction(parsed => Run(parsed.GetValue(input)!, parsed.GetValue(output)!, parsed.GetValue(format)!, parsed.GetValue(map) ?? [], parsed.GetValue(skipBad), parsed.GetValue(json)));
        return command;
    }

    private static int Run(string input, string output, string formatName, string[] mapEntries, bool skipBad, bool json)
    {
        if (InputFile.IsMissing("import", input))
        {
            return Program.BadUsage;
        }

        TraceFormat format;
        if (formatName == "auto")
        {
            if (!TraceFormats.TryDetect(input, out format))
            {
                Console.Error.WriteLine("hostsim import: " + input + ": the format is not recognised from its name or first line; name it with --format (" + string.Join(", ", TraceFormats.Names) + ")");
                return Program.BadUsage;
            }
        }
        else
        {
            TraceFormats.TryParse(formatName, out format);
        }

        DeviceMap map = DeviceMap.Automatic();
        if (mapEntries.Length > 0 && !DeviceMap.TryParse(mapEntries, out map, out string? error))
        {
            Console.Error.WriteLine("hostsim import: bad argument '--map': " + error);
            return Program.BadUsage;
        }

        ImportSummary summary;
        try
        {
            using TraceReader reader = TraceFormats.Open(input, format);
            using PcapWriter writer = new(new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16));
            summary = new TraceImporter(map, skipBad: skipBad).Import(reader, format, writer);
        }
        catch (TraceFormatException bad)
        {
            Console.Error.WriteLine("hostsim import: " + bad.Message + " (--skip-bad skips such lines and counts them)");
            File.Delete(output);
            return Program.BadUsage;
        }
        catch (IOException failure)
        {
            Console.Error.WriteLine("hostsim import: " + failure.Message);
            return Program.BadUsage;
        }

        Console.Out.WriteLine(json ? ImportReport.ToJson(summary, output) : ImportReport.ToText(summary, output));
        return 0;
    }
}
