// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Controller.Firmware.PairVocabulary;
using Controller.HostSim.Bench;
using Controller.HostSim.Cli;

namespace Controller.HostSim;

/// <summary><c>hostsim bench split</c>: the split-latency benchmark (issue #5; results in docs/performance.md).</summary>
internal static class BenchCommand
{
    private static readonly int[] s_defaultMembers = [1, 8, 64, 512];

    public static Command Create()
    {
        Option<bool> json = CliOptions.Json();
        Option<int[]> members = new("--members")
        {
            // No DefaultValueFactory: the help would print an array's default as "1|8|64|512", which the option
            // does not take; the description gives it in the form it does take.
            Description = "member counts, comma-separated (default " + string.Join(',', s_defaultMembers) + ")",
            HelpName = "LIST",
            CustomParser = ParseMembers,
        };
        Option<string> mechanism = CliOptions.Choice("--mechanism", "the split mechanisms measured", "both", "freeze", "sequence-cut", "both");
        Option<int> splits = CliOptions.Int("--splits", "splits per member count and mechanism, each then resynced", 200, 1);
        Option<double> baseline = CliOptions.Number("--baseline", "seconds of the same load without splits, for the baseline", 2, 0, exclusive: true);
        Option<ulong> seed = CliOptions.Seed("seed of the load's LUN and LBA choices");
        Option<int> mps = CliOptions.Int("--mps", "the controller's MPs (0: one per core, at most 8)", 0, 0, 8);
        Option<FileInfo?> samples = new("--samples")
        {
            Description = "write one CSV line per timed split to FILE (start on the monotonic clock, latency, drain, writes held)",
            HelpName = "FILE",
        };
        Command split = new("split", "atomic split latency under 4 KiB write load (QD 32 over 8 LUNs), both mechanisms")
        {
            json, members, mechanism, splits, baseline, seed, mps, samples,
        };
        split.SetAction(parsed =>
        {
            string chosen = parsed.GetValue(mechanism)!;
            FileInfo? samplesPath = parsed.GetValue(samples);
            using StreamWriter? samplesFile = OpenSamples(samplesPath);
            if (samplesPath is not null && samplesFile is null)
            {
                return Program.BadUsage;
            }

            SplitBenchOptions options = new()
            {
                MemberCounts = parsed.GetValue(members) ?? s_defaultMembers,
                Mechanisms = chosen == "freeze" ? [AtomicSplitMechanism.Freeze] : chosen == "sequence-cut" ? [AtomicSplitMechanism.SequenceCut] : [AtomicSplitMechanism.SequenceCut, AtomicSplitMechanism.Freeze],
                Splits = parsed.GetValue(splits),
                BaselineSeconds = parsed.GetValue(baseline),
                Seed = parsed.GetValue(seed),
                Mps = parsed.GetValue(mps),
                Samples = samplesFile,
            };
            return Run(options, parsed.GetValue(json));
        });
        Option<int> crossMembers = CliOptions.Int("--members", "members of the set, half in each subsystem (even)", 64, 2, 512);
        Option<int> crossSplits = CliOptions.Int("--splits", "timed splits per mechanism, each then resynced", 20, 1);
        Option<string> crossMechanism = CliOptions.Choice("--mechanism", "the split mechanisms measured", "both", "freeze", "sequence-cut", "both");
        Command cross = new("cross-split", "atomic split of a set spanning two subsystems (seed 000 FIG 4) under dependent writes, both mechanisms: split latency and the hold hosts see") { crossMembers, crossSplits, crossMechanism };
        cross.SetAction(parsed =>
        {
            string chosen = parsed.GetValue(crossMechanism)!;
            AtomicSplitMechanism[] mechanisms = chosen == "freeze" ? [AtomicSplitMechanism.Freeze] : chosen == "sequence-cut" ? [AtomicSplitMechanism.SequenceCut] : [AtomicSplitMechanism.SequenceCut, AtomicSplitMechanism.Freeze];
            Console.Out.WriteLine(CrossSplitBench.RunAsync(parsed.GetValue(crossMembers) / 2 * 2, parsed.GetValue(crossSplits), mechanisms).GetAwaiter().GetResult());
            return 0;
        });
        return new Command("bench", "benchmarks driven by the host simulator") { split, cross };
    }

    private static int Run(SplitBenchOptions options, bool json)
    {
        List<SplitBenchResult> results = [];
        if (!json)
        {
            Console.Out.WriteLine("hostsim bench split: 4 KiB writes at queue depth " + options.QueueDepth + " over " + options.LoadLuns + " LUNs, " + options.Splits + " splits each (resync between), embedded controller with " + (options.Mps > 0 ? options.Mps : Math.Clamp(Environment.ProcessorCount, 1, 8)) + " MPs on " + Environment.ProcessorCount + " cores");
            Console.Out.WriteLine(SplitBenchResult.Header());
        }

        foreach (int members in options.MemberCounts)
        {
            foreach (AtomicSplitMechanism mechanism in options.Mechanisms)
            {
                SplitBenchResult result = SplitBench.Run(options, members, mechanism);
                results.Add(result);
                if (!json)
                {
                    Console.Out.WriteLine(result.ToRow());
                }
            }
        }

        if (json)
        {
            using MemoryStream stream = new();
            using (Utf8JsonWriter writer = new(stream, new JsonWriterOptions { Indented = true }))
            {
                writer.WriteStartObject();
                writer.WriteBoolean("passed", results.TrueForAll(r => r.Passed));
                writer.WriteNumber("queueDepth", options.QueueDepth);
                writer.WriteNumber("loadLuns", options.LoadLuns);
                writer.WriteStartArray("runs");
                foreach (SplitBenchResult result in results)
                {
                    result.WriteJson(writer);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            Console.Out.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
        }

        return results.TrueForAll(r => r.Passed) ? 0 : 1;
    }

    private static StreamWriter? OpenSamples(FileInfo? file)
    {
        if (file is null)
        {
            return null;
        }

        try
        {
            StreamWriter writer = new(file.FullName, append: false);
            writer.WriteLine(SplitBench.SamplesHeader);
            return writer;
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            // Refused before the bench starts: a run of minutes must not end in a stack trace.
            Console.Error.WriteLine("hostsim bench split: cannot write --samples " + file.FullName + ": " + failure.Message);
            return null;
        }
    }

    private static int[] ParseMembers(ArgumentResult result)
    {
        string text = CliOptions.Text(result);
        List<int> counts = [];
        foreach (string part in text.Split(','))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count is < 1 or > 4000)
            {
                CliOptions.Refuse(result, "counts 1-4000 separated by commas are expected, not '" + text + "'");
                return [];
            }

            counts.Add(count);
        }

        return [.. counts];
    }
}
