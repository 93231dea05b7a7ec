// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.CommandLine;
using System.CommandLine.Parsing;
using System.Net;
using Controller.Firmware.Media;
using Controller.Firmware.PairVocabulary;
using Controller.HostSim.Cli;
using Controller.HostSim.Core.Load;
using Controller.HostSim.Hosts;
using Controller.HostSim.Load;
using Controller.HostSim.Reports;
using Controller.Traces;

namespace Controller.HostSim;

/// <summary>
/// <c>hostsim load</c>: a configurable read/write load with latency histograms, optional splits at given times; and
/// <c>hostsim record FILE</c>: the same load, its exchanges recorded to a pcap trace that <c>hostsim replay</c> reproduces.
/// </summary>
internal static class LoadCommand
{
    public static Command Create()
    {
        return Build("load", "drive a read/write load (LUN set, mix, block sizes, pattern, queue depth, rate, time) against an embedded controller, controllerd (--target) or the null target; latency percentiles p50 to p99.99 and max; splits at given times", recording: false);
    }

    public static Command CreateRecord()
    {
        return Build("record", "run a load (the options of hostsim load) and record every command and answer to a pcap trace; overlapping commands are never outstanding together, so hostsim replay reproduces every answer", recording: true);
    }

    private static Command Build(string name, string description, bool recording)
    {
        Argument<string> file = new("pcap") { Description = "the trace to write (pcap, FC-2 frames)" };
        Option<TraceVolume[]> luns = new("--lun")
        {
            Description = "a volume of the LUN set, PORT-ID,LUN (repeatable; default 0x400104,0x0001)",
            HelpName = "PORT-ID,LUN",
            CustomParser = ParseVolumes,
        };
        Option<int> readPercent = CliOptions.Int("--read-percent", "the percentage of reads (0 all writes, 100 all reads)", 0, 0, 100);
        Option<string> blockSize = new("--block-size") { Description = "block sizes, fio bssplit style: 4k, or 4k/50:8k/20:64k/30", DefaultValueFactory = _ => "4k", HelpName = "MIX" };
        Option<string> pattern = CliOptions.Choice("--pattern", "the LBA pattern", "random", "random", "sequential");
        Option<int> queueDepth = CliOptions.Int("--queue-depth", "commands outstanding", 32, 1, 4096);
        Option<long> rate = CliOptions.Long("--rate", "the most commands started per second (0: no limit)", 0, 0);
        Option<double> seconds = CliOptions.Number("--seconds", "how long the load runs", 10, 0, exclusive: true);
        Option<long> commands = CliOptions.Long("--commands", "stop after this many commands (fio's number_ios; 0: as many as --seconds allows)", 0, 0);
        Option<ulong> seed = CliOptions.Seed("seed of the LUN, LBA, size and read/write choices");
        Option<IPEndPoint?> target = CliOptions.Target();
        Option<bool> nullTarget = new("--null-target") { Description = "drive an in-process target that answers at once: the generator's own cost" };
        Option<long> capacity = CliOptions.Long("--capacity-mib", "the capacity of each embedded volume in MiB", 1024, 1);
        Option<bool> sparse = new("--sparse") { Description = "leave the embedded volumes sparse (memory taken by each track's first write while the load runs) instead of provisioning them before the clock starts" };
        Option<string?> store = new("--store") { Description = "keep the embedded volumes in files in this directory (created when missing; an existing volume file is kept) instead of RAM: the file store and group commit of controllerd's 'store file'", HelpName = "DIR" };
        Option<string> policy = CliOptions.Choice("--policy", "the write policy of the --store files (write-through: every acknowledged write synced; write-back: synced on SYNCHRONIZE CACHE, FUA or the end)", "write-through", "write-through", "write-back");
        Option<TraceVolume[]> mirrors = ReplayCommand.VolumePairs("--mirror", "P-VOL=S-VOL: a local mirror created and waited for (PAIR) before the load (repeatable)");
        Option<double[]> splitAt = new("--split-at-seconds") { Description = "split every --mirror at one point (ATOMIC SPLIT) this many seconds into the load (repeatable; each split is resynced before the next)", HelpName = "SECONDS" };
        Option<string> mechanism = CliOptions.Choice("--mechanism", "the split mechanism", "freeze", "freeze", "sequence-cut");
        Option<string?> record = new("--record") { Description = "record every command and answer to this pcap file (implies --serialize-overlap)", HelpName = "FILE" };
        Option<bool> dependent = new("--dependent") { Description = "dependent write chains instead of independent commands: one chain per queue slot over the LUN set, each write sent when the one before is answered; every split image of a mirrored LUN is checked by the consistency oracle (one block size, writes only)" };
        Option<bool> serialize = new("--serialize-overlap") { Description = "never have two outstanding commands touch the same blocks (one writing): a new one that would is drawn again" };
        Option<bool> noProgress = new("--no-progress") { Description = "no progress bar (it is drawn on standard error when that is a terminal)" };
        Option<string?> html = new("--html") { Description = "also write the report as a self-contained HTML page with SVG charts", HelpName = "FILE" };
        Option<bool> json = CliOptions.Json();
        Command command = new(name, description)
        {
            luns, readPercent, blockSize, pattern, queueDepth, rate, seconds, commands, seed, target, nullTarget, capacity, sparse, store, policy, mirrors, splitAt, mechanism, dependent, serialize, noProgress, html, json,
        };
        if (recording)
        {
            command.Arguments.Add(file);
        }
        else
        {
            command.Options.Add(record);
        }

        command.SetAction(parsed =>
        {
            if (!BlockSizeMix.TryParse(parsed.GetValue(blockSize)!, out BlockSizeMix mix, out string? error))
            {
                return Refuse(name, "bad argument '--block-size': " + error);
            }

            TraceVolume[] pairs = parsed.GetValue(mirrors) ?? [];
            List<(TraceVolume, TraceVolume)> mirrorList = [];
            for (int i = 0; i + 1 < pairs.Length; i += 2)
            {
                mirrorList.Add((pairs[i], pairs[i + 1]));
            }

            double[] splits = parsed.GetValue(splitAt) ?? [];
            if (splits.Length > 0 && mirrorList.Count == 0)
            {
                return Refuse(name, "--split-at-seconds needs a --mirror to split");
            }

            bool isNull = parsed.GetValue(nullTarget);
            if (isNull && (mirrorList.Count > 0 || parsed.GetValue(target) is not null))
            {
                return Refuse(name, "--null-target has no controller: no --target and no --mirror with it");
            }

            if (parsed.GetValue(sparse) && (isNull || parsed.GetValue(target) is not null))
            {
                return Refuse(name, "--sparse is about the embedded controller's volumes: not with --target or --null-target");
            }

            string? storeDirectory = parsed.GetValue(store);
            if (storeDirectory is not null && (isNull || parsed.GetValue(target) is not null || parsed.GetValue(sparse)))
            {
                return Refuse(name, "--store is about the embedded controller's volumes, and its files are not provisioned: not with --target, --null-target or --sparse");
            }

            if (storeDirectory is null && parsed.GetResult(policy) is { Implicit: false })
            {
                return Refuse(name, "--policy is the write policy of the --store files: give --store DIR with it");
            }

            string? recordPath = recording ? parsed.GetValue(file) : parsed.GetValue(record);
            bool chains = parsed.GetValue(dependent);
            if (chains && (isNull || parsed.GetValue(readPercent) > 0 || mix.Text.Contains(':', StringComparison.Ordinal) || parsed.GetValue(pattern) == "sequential"))
            {
                return Refuse(name, "--dependent is writes of one block size to a controller: no --null-target, --read-percent, block size mix or --pattern sequential with it");
            }

            if (chains && mirrorList.Count > 0 && recordPath is not null)
            {
                return Refuse(name, "--dependent with --mirror cannot be recorded: its splits check writes caught in flight, which a replay (each split alone) cannot repeat");
            }

            if (isNull && recordPath is not null)
            {
                return Refuse(name, "--null-target sends no frames to record");
            }

            TraceVolume[] set = parsed.GetValue(luns) is { Length: > 0 } given ? given : [new TraceVolume(0x400104, 0x0001)];
            bool jsonOutput = parsed.GetValue(json);
            LoadRunOptions options = new()
            {
                Luns = set,
                Spec = new LoadSpec
                {
                    Volumes = [],
                    ReadPercent = parsed.GetValue(readPercent),
                    BlockSizes = mix,
                    Sequential = parsed.GetValue(pattern) == "sequential",
                    QueueDepth = parsed.GetValue(queueDepth),
                    RateLimit = parsed.GetValue(rate),
                    Seconds = parsed.GetValue(seconds),
                    MaxCommands = parsed.GetValue(commands),
                    Seed = parsed.GetValue(seed),
                    SerializeOverlap = parsed.GetValue(serialize) || recordPath is not null,
                    Dependent = chains,
                },
                Target = parsed.GetValue(target),
                NullTarget = isNull,
                CapacityBlocks = parsed.GetValue(capacity) * 2048,
                Sparse = parsed.GetValue(sparse),
                Store = storeDirectory is null ? null : new EmbeddedStore(storeDirectory, parsed.GetValue(policy) == "write-back" ? WriteCachePolicy.WriteBack : WriteCachePolicy.WriteThrough),
                Mirrors = mirrorList,
                SplitTimes = splits,
                Mechanism = parsed.GetValue(mechanism) == "freeze" ? AtomicSplitMechanism.Freeze : AtomicSplitMechanism.SequenceCut,
                RecordPath = recordPath,
                Progress = !jsonOutput && !parsed.GetValue(noProgress) && !Console.IsErrorRedirected,
            };
            LoadReport report = LoadRun.RunAsync(options).GetAwaiter().GetResult();
            Console.Out.WriteLine(jsonOutput ? report.ToJson() : report.ToText());
            if (parsed.GetValue(html) is string page && report.Result is not null)
            {
                ReportCommand.Write(page, ReportCommand.Parse(report.ToJson(), ReportJsonContext.Default.LoadReportDocument, "the load's report"), null);
            }

            return report.Passed ? 0 : 1;
        });
        return command;
    }

    private static int Refuse(string name, string message)
    {
        Console.Error.WriteLine("hostsim " + name + ": " + message);
        return Program.BadUsage;
    }

    private static TraceVolume[] ParseVolumes(ArgumentResult result)
    {
        List<TraceVolume> volumes = [];
        foreach (Token token in result.Tokens)
        {
            if (!TraceVolume.TryParse(token.Value, out TraceVolume volume, out string? error))
            {
                CliOptions.Refuse(result, error!);
                return [];
            }

            volumes.Add(volume);
        }

        return [.. volumes];
    }
}
