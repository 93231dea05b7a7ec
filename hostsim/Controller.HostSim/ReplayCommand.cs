// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.CommandLine;
using System.CommandLine.Parsing;
using System.Net;
using Controller.Firmware.PairVocabulary;
using Controller.HostSim.Cli;
using Controller.HostSim.Replay;
using Controller.Traces;

namespace Controller.HostSim;

/// <summary><c>hostsim replay</c>: re-send a pcap trace's commands and compare every answer with the recorded one.</summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        Argument<string> trace = new("pcap") { Description = "the trace: a pcap of FC-2 frames (hostsim record, import, controllerd --pcap)" };
        Option<string> timing = CliOptions.Choice("--timing", "when each command is sent: at its recorded time, at it divided by --speed, or as fast as the order allows", "original", "original", "scaled", "asap");
        Option<double> speed = CliOptions.Number("--speed", "the factor of --timing scaled (2 = twice as fast as recorded)", 1, 0, exclusive: true);
        Option<int> queueDepth = CliOptions.Int("--queue-depth", "the most commands outstanding at once", 32, 1, 4096);
        Option<IPEndPoint?> target = CliOptions.Target();
        Option<long> capacity = CliOptions.Long("--capacity-mib", "the least capacity of each embedded volume in MiB (more when the trace needs it)", 1024, 1);
        Option<TraceVolume[]> mirrors = VolumePairs("--mirror", "P-VOL=S-VOL, each PORT-ID,LUN: a local mirror created and waited for (PAIR) before the first command (repeatable)");
        Option<long[]> splitAt = new("--split-at") { Description = "split every --mirror at one point (ATOMIC SPLIT) before this exchange number (repeatable)", HelpName = "EXCHANGE" };
        Option<string> mechanism = CliOptions.Choice("--mechanism", "the split mechanism of --split-at", "freeze", "freeze", "sequence-cut");
        Option<string?> record = new("--record") { Description = "also record the replay's own exchanges to this pcap file", HelpName = "FILE" };
        Option<bool> allowNotGood = new("--allow-not-good") { Description = "answers that are not GOOD where the trace recorded none to compare (an imported trace) are expected: they do not fail the replay" };
        Option<bool> json = CliOptions.Json();
        Command command = new("replay", "re-send a trace's commands in its one global order and compare every answer (status, sense, read-data checksum) with the recorded one; exit 1 at any divergence, naming the first by exchange number, or at an answer not GOOD with none recorded to compare (unless --allow-not-good)")
        {
            trace, timing, speed, queueDepth, target, capacity, mirrors, splitAt, mechanism, record, allowNotGood, json,
        };
        command.SetAction(parsed =>
        {
            TraceVolume[] pairs = parsed.GetValue(mirrors) ?? [];
            List<(TraceVolume, TraceVolume)> mirrorList = [];
            for (int i = 0; i + 1 < pairs.Length; i += 2)
            {
                mirrorList.Add((pairs[i], pairs[i + 1]));
            }

            string chosen = parsed.GetValue(timing)!;
            bool scaled = chosen == "scaled" || parsed.GetResult(speed) is { Implicit: false };
            ReplayOptions options = new()
            {
                Timing = chosen == "asap" ? ReplayTiming.Asap : scaled ? ReplayTiming.Scaled : ReplayTiming.Original,
                Speed = parsed.GetValue(speed),
                QueueDepth = parsed.GetValue(queueDepth),
                Target = parsed.GetValue(target),
                CapacityBlocks = parsed.GetValue(capacity) * 2048,
                Mirrors = mirrorList,
                SplitAt = parsed.GetValue(splitAt) ?? [],
                Mechanism = parsed.GetValue(mechanism) == "freeze" ? AtomicSplitMechanism.Freeze : AtomicSplitMechanism.SequenceCut,
                RecordPath = parsed.GetValue(record),
                AllowNotGood = parsed.GetValue(allowNotGood),
            };
            return Run(parsed.GetValue(trace)!, options, parsed.GetValue(json));
        });
        return command;
    }

    /// <summary>An option of volume pairs <c>A=B</c>, each volume PORT-ID,LUN; the values come out flat (A, B, A, B, ...).</summary>
    /// <param name="name">The option's name.</param>
    /// <param name="description">What it does.</param>
    /// <returns>The option.</returns>
    public static Option<TraceVolume[]> VolumePairs(string name, string description)
    {
        return new Option<TraceVolume[]>(name)
        {
            Description = description,
            HelpName = "P-VOL=S-VOL",
            CustomParser = result =>
            {
                List<TraceVolume> volumes = [];
                foreach (Token token in result.Tokens)
                {
                    string[] sides = token.Value.Split('=');
                    if (sides.Length != 2)
                    {
                        CliOptions.Refuse(result, "'" + token.Value + "' is not P-VOL=S-VOL (e.g. 0x400104,0x0001=0x400104,0x0002)");
                        return [];
                    }

                    foreach (string side in sides)
                    {
                        if (!TraceVolume.TryParse(side, out TraceVolume volume, out string? error))
                        {
                            CliOptions.Refuse(result, error!);
                            return [];
                        }

                        volumes.Add(volume);
                    }
                }

                return [.. volumes];
            },
        };
    }

    private static int Run(string path, ReplayOptions options, bool json)
    {
        if (InputFile.IsMissing("replay", path))
        {
            return Program.BadUsage;
        }

        TraceExchangeSet trace;
        try
        {
            trace = TraceExchangeReader.Read(path);
        }
        catch (Exception bad) when (bad is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine("hostsim replay: " + bad.Message);
            return Program.BadUsage;
        }

        foreach ((long exchange, TraceVolume pVol, TraceVolume sVol) in trace.CreatedPairs)
        {
            if (options.Mirrors.Contains((pVol, sVol)))
            {
                Console.Error.WriteLine("hostsim replay: --mirror " + pVol + "=" + sVol + ": the trace creates that pair itself (PAIR CREATE at exchange " + exchange + "); replay without it");
                return Program.BadUsage;
            }
        }

        ReplayReport report = TraceReplayer.RunAsync(trace, options).GetAwaiter().GetResult();
        Console.Out.WriteLine(json ? report.ToJson() : report.ToText());
        return report.Passed ? 0 : 1;
    }
}
