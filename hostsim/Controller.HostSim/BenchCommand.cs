// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Text;
using System.Text.Json;
using Controller.Firmware.Pairs;
using Controller.HostSim.Bench;

namespace Controller.HostSim;

/// <summary><c>hostsim bench split</c>: the split-latency benchmark (issue #5; results in docs/performance.md).</summary>
internal static class BenchCommand
{
    public const string Usage = """
          bench split  atomic split latency under 4 KiB write load (QD 32 over 8 LUNs), both mechanisms
            --members LIST     member counts, comma-separated (default 1,8,64,512)
            --mechanism M      freeze, sequence-cut or both (default both)
            --splits N         splits per member count and mechanism, each then resynced (default 200)
            --baseline N       seconds of the same load without splits, for the baseline (default 2)
            --seed N           seed of the load's LUN and LBA choices (default 1)
            --mps N            the controller's MPs (default one per core)
            --json             print one JSON object
        """;

    public static int Run(string[] args)
    {
        if (args.Length < 2 || args[1] != "split")
        {
            Console.Error.WriteLine("hostsim bench: the benchmark to run is 'split' (hostsim bench split [options])");
            return 2;
        }

        SplitBenchOptions options = new();
        bool json = false;
        for (int i = 2; i < args.Length; i++)
        {
            string? value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--json":
                    json = true;
                    continue;
                case "--members" when TryMembers(value, out int[] members):
                    options = options with { MemberCounts = members };
                    break;
                case "--mechanism" when value is "freeze" or "sequence-cut" or "both":
                    options = options with { Mechanisms = value == "freeze" ? [AtomicSplitMechanism.Freeze] : value == "sequence-cut" ? [AtomicSplitMechanism.SequenceCut] : [AtomicSplitMechanism.SequenceCut, AtomicSplitMechanism.Freeze] };
                    break;
                case "--splits" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int splits) && splits > 0:
                    options = options with { Splits = splits };
                    break;
                case "--baseline" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds > 0:
                    options = options with { BaselineSeconds = seconds };
                    break;
                case "--mps" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int mps) && mps is >= 1 and <= 8:
                    options = options with { Mps = mps };
                    break;
                case "--seed" when ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed):
                    options = options with { Seed = seed };
                    break;
                default:
                    Console.Error.WriteLine("hostsim bench split: bad argument '" + args[i] + "'" + (value is null ? string.Empty : " '" + value + "'") + " (--members takes counts 1-4000 separated by commas, --mechanism freeze|sequence-cut|both, --splits and --baseline positive numbers)");
                    return 2;
            }

            i++;
        }

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

    private static bool TryMembers(string? text, out int[] members)
    {
        members = [];
        if (text is null)
        {
            return false;
        }

        List<int> counts = [];
        foreach (string part in text.Split(','))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count is < 1 or > 4000)
            {
                return false;
            }

            counts.Add(count);
        }

        members = [.. counts];
        return true;
    }
}
