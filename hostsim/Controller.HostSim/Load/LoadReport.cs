// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Text;
using System.Text.Json;
using Controller.Firmware.PairVocabulary;
using Controller.HostSim.Cli;
using Controller.HostSim.Core.Load;
using Controller.HostSim.Core.Measurement;
using Controller.HostSim.Core.Workloads;
using Controller.HostSim.Replay;
using Controller.Wire.CopyManagement;

namespace Controller.HostSim.Load;

/// <summary>The report of a load: rates, latency percentiles by kind, the splits and the pairs after.</summary>
internal sealed class LoadReport
{
    public required LoadRunOptions Options { get; init; }

    public required LoadSpec Spec { get; init; }

    public required string Target { get; init; }

    public LoadResult? Result { get; init; }

    public List<LoadSplit> Splits { get; } = [];

    public List<PairStatusRow> Pairs { get; } = [];

    public string? Failure { get; init; }

    /// <summary>Gets or sets how the embedded volumes got their memory (null against controllerd or the null target).</summary>
    public LoadProvisioning? Provisioning { get; set; }

    /// <summary>Gets or sets the embedded volumes' file store, or null (RAM, or another controller).</summary>
    public LoadStore? Store { get; set; }

    /// <summary>Gets whether the load ran, every command answered GOOD and every split succeeded.</summary>
    public bool Passed => Failure is null && Result is not null && Result.Failed == 0 && Splits.TrueForAll(s => s.Passed);

    /// <summary>Gets the generator's cost per command: core-nanoseconds per command (meaningful with the null target).</summary>
    public double NanosecondsPerCommand => Result is null || Result.Reads + Result.Writes == 0 ? 0 : Result.Seconds * 1e9 * Math.Min(Environment.ProcessorCount, Spec.QueueDepth) / (Result.Reads + Result.Writes);

    public string ToText()
    {
        StringBuilder text = new();
        text.Append(CultureInfo.InvariantCulture, $"hostsim load: {Target}\n");
        text.Append(CultureInfo.InvariantCulture, $"load                {Spec.Volumes.Count} LUN(s), {(Spec.Dependent ? "dependent write chains, " : string.Empty)}{100 - Spec.ReadPercent}% writes, block sizes {Spec.BlockSizes.Text}, {(Spec.Dependent ? "one chain per slot" : Spec.Sequential ? "sequential" : "random")}, queue depth {Spec.QueueDepth}{(Spec.RateLimit > 0 ? ", at most " + Spec.RateLimit.ToString("N0", CultureInfo.InvariantCulture) + " commands/s" : string.Empty)}, {Spec.Seconds:F1} s\n");
        if (Failure is not null)
        {
            text.Append("failed              ").Append(Failure);
            return text.ToString();
        }

        LoadResult result = Result!;
        if (Provisioning is not null)
        {
            text.Append("volumes             ").Append(Provisioning.Text).Append('\n');
        }

        if (Store is not null)
        {
            text.Append("store               ").Append(Store.Text(result.Writes)).Append('\n');
        }

        text.Append(CultureInfo.InvariantCulture, $"commands            {result.Reads + result.Writes:N0} ({result.Reads:N0} reads, {result.Writes:N0} writes) in {result.Seconds:F2} s = {result.CommandsPerSecond:N0} per second, {result.Bytes / result.Seconds / 1e6:N0} MB/s\n");
        (long firstSecond, long slowestSecond, int seconds) = result.Timeline.WholeSeconds(result.Seconds);
        if (seconds > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"by second           first {firstSecond:N0}, slowest {slowestSecond:N0} of the {seconds} whole second(s)\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"not GOOD            {result.Failed:N0}\n");
        if (Options.NullTarget)
        {
            text.Append(CultureInfo.InvariantCulture, $"generator cost      {NanosecondsPerCommand:F0} ns of a core per command ({Math.Min(Environment.ProcessorCount, Spec.QueueDepth)} cores busy)\n");
        }

        text.Append("latency us          p50      p90      p99    p99.9   p99.99      max\n");
        AppendLatency(text, "  all", result.Latency);
        AppendLatency(text, "  reads", result.ReadLatency);
        AppendLatency(text, "  writes", result.WriteLatency);
        if (result.OraclePauses is ChainPauses pauses)
        {
            // The chains wait while the oracle reads their log: not a write's latency, reported on its own.
            text.Append(CultureInfo.InvariantCulture, $"oracle pauses       {pauses.Count} (chains held while the oracle checked an image), {pauses.TotalNanoseconds / 1e6:F1} ms in all, longest {pauses.MaxNanoseconds / 1e6:F1} ms\n");
        }
        foreach (LoadSplit split in Splits)
        {
            text.Append(CultureInfo.InvariantCulture, $"split at {split.AtSeconds,6:F2} s      {split.Answer} in {split.LatencyMicroseconds:F0} us{(split.ResyncSeconds > 0 ? ", resynced in " + split.ResyncSeconds.ToString("F2", CultureInfo.InvariantCulture) + " s" : string.Empty)}\n");
            if (split.Verdict is Controller.Workload.OracleVerdict verdict)
            {
                text.Append("  oracle            ").Append(verdict.Consistent ? "consistent: " + verdict.Cut : "INCONSISTENT: " + verdict).Append('\n');
            }
        }

        foreach (PairStatusRow row in Pairs)
        {
            text.Append(CultureInfo.InvariantCulture, $"pair {row.PVol} -> {row.SVol}  state {PairStateNames.Of((PairState)row.State)}  differential tracks {row.DifferentialTracks:N0}\n");
        }

        if (Options.RecordPath is not null)
        {
            text.Append("recorded            ").Append(Options.RecordPath).Append('\n');
        }

        text.Append("verdict             ").Append(Passed ? "every command GOOD" + (Splits.Count > 0 ? ", every split GOOD" : string.Empty) + (Splits.Exists(split => split.Verdict is not null) ? ", every image consistent" : string.Empty) : "FAILED");
        return text.ToString();
    }

    public string ToJson()
    {
        return JsonText.Object(writer =>
        {
            writer.WriteBoolean("passed", Passed);
            writer.WriteString("target", Target);
            writer.WriteNumber("luns", Spec.Volumes.Count);
            writer.WriteNumber("readPercent", Spec.ReadPercent);
            writer.WriteString("blockSizes", Spec.BlockSizes.Text);
            writer.WriteString("pattern", Spec.Dependent ? "dependent" : Spec.Sequential ? "sequential" : "random");
            writer.WriteNumber("queueDepth", Spec.QueueDepth);
            writer.WriteNumber("rateLimit", Spec.RateLimit);
            writer.WriteNumber("seconds", Spec.Seconds);
            if (Failure is not null)
            {
                writer.WriteString("failure", Failure);
                return;
            }

            LoadResult result = Result!;
            writer.WriteNumber("reads", result.Reads);
            writer.WriteNumber("writes", result.Writes);
            writer.WriteNumber("notGood", result.Failed);
            writer.WriteNumber("commandsPerSecond", Math.Round(result.CommandsPerSecond));
            writer.WriteNumber("bytes", result.Bytes);
            writer.WriteNumber("elapsedSeconds", result.Seconds);
            (long firstSecond, long slowestSecond, int seconds) = result.Timeline.WholeSeconds(result.Seconds);
            writer.WriteNumber("firstSecondCommands", firstSecond);
            writer.WriteNumber("slowestSecondCommands", slowestSecond);
            writer.WriteNumber("wholeSeconds", seconds);
            if (Provisioning is not null)
            {
                writer.WriteStartObject("provisioning");
                writer.WriteBoolean("sparse", Provisioning.SparseReason is not null);
                writer.WriteNumber("bytes", Provisioning.Bytes);
                writer.WriteNumber("seconds", Math.Round(Provisioning.Seconds, 3));
                if (Provisioning.SparseReason is not null)
                {
                    writer.WriteString("sparseReason", Provisioning.SparseReason);
                }

                writer.WriteEndObject();
            }

            if (Store is not null)
            {
                writer.WriteStartObject("store");
                writer.WriteString("directory", Store.Directory);
                writer.WriteString("policy", Store.Policy);
                writer.WriteNumber("syncs", Store.Syncs);
                writer.WriteEndObject();
            }

            if (Options.NullTarget)
            {
                writer.WriteNumber("nanosecondsPerCommand", Math.Round(NanosecondsPerCommand, 1));
            }

            writer.WritePropertyName("latencyMicroseconds");
            ReplayReport.WriteLatency(writer, result.Latency);
            writer.WritePropertyName("readLatencyMicroseconds");
            ReplayReport.WriteLatency(writer, result.ReadLatency);
            writer.WritePropertyName("writeLatencyMicroseconds");
            ReplayReport.WriteLatency(writer, result.WriteLatency);
            if (result.OraclePauses is ChainPauses pauses)
            {
                writer.WriteStartObject("oraclePause");
                writer.WriteNumber("count", pauses.Count);
                writer.WriteNumber("totalMicroseconds", Math.Round(pauses.TotalNanoseconds / 1000.0, 1));
                writer.WriteNumber("maxMicroseconds", Math.Round(pauses.MaxNanoseconds / 1000.0, 1));
                writer.WriteEndObject();
            }

            WriteHistogram(writer, "writeHistogram", result.WriteLatency);
            WriteHistogram(writer, "readHistogram", result.ReadLatency);
            writer.WriteStartArray("splits");
            foreach (LoadSplit split in Splits)
            {
                writer.WriteStartObject();
                writer.WriteNumber("atSeconds", Math.Round(split.AtSeconds, 3));
                writer.WriteString("answer", split.Answer);
                writer.WriteNumber("latencyMicroseconds", Math.Round(split.LatencyMicroseconds, 1));
                writer.WriteNumber("resyncSeconds", Math.Round(split.ResyncSeconds, 3));
                if (split.Verdict is Controller.Workload.OracleVerdict verdict)
                {
                    writer.WriteBoolean("consistent", verdict.Consistent);
                    writer.WriteNumber("writesChecked", verdict.WritesChecked);
                    writer.WriteNumber("writesInImage", verdict.WritesPresent);
                }
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            Controller.HostSim.Core.Pairs.PairDisplay.WriteJson(writer, Pairs);
            WriteTimeline(writer, result.Timeline);
        });
    }

    // Eight buckets per doubling: enough to draw, small enough to read.
    private static void WriteHistogram(Utf8JsonWriter writer, string name, LatencyHistogram latency)
    {
        writer.WriteStartArray(name);
        foreach ((long lower, long count) in latency.Coarse(8))
        {
            writer.WriteStartObject();
            writer.WriteNumber("fromMicroseconds", lower / 1000.0);
            writer.WriteNumber("count", count);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteTimeline(Utf8JsonWriter writer, LoadTimeline timeline)
    {
        writer.WriteStartArray("timeline");
        for (int i = 0; i < timeline.Buckets; i++)
        {
            (long commands, long mean, long max) = timeline.Get(i);
            if (commands == 0)
            {
                continue;
            }

            writer.WriteStartObject();
            writer.WriteNumber("atSeconds", i * LoadTimeline.BucketNanoseconds / 1e9);
            writer.WriteNumber("commands", commands);
            writer.WriteNumber("meanWriteMicroseconds", Math.Round(mean / 1000.0, 1));
            writer.WriteNumber("maxWriteMicroseconds", Math.Round(max / 1000.0, 1));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void AppendLatency(StringBuilder text, string name, LatencyHistogram latency)
    {
        if (latency.Count == 0)
        {
            return;
        }

        text.Append(CultureInfo.InvariantCulture, $"{name,-16}{Us(latency, 0.5),8}{Us(latency, 0.9),9}{Us(latency, 0.99),9}{Us(latency, 0.999),9}{Us(latency, 0.9999),9}{latency.Max / 1000.0,9:F1}\n");
    }

    private static string Us(LatencyHistogram latency, double fraction)
    {
        return (latency.Percentile(fraction) / 1000.0).ToString("F1", CultureInfo.InvariantCulture);
    }
}
