// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Text.Json;
using Controller.Firmware.PairVocabulary;
using Controller.HostSim.Core.Measurement;

namespace Controller.HostSim.Bench;

/// <summary>One member count and mechanism of <c>hostsim bench split</c>.</summary>
internal sealed record SplitBenchResult
{
    /// <summary>The budget of docs/architecture.md ("Performance budget") at 64 members: split p99, both mechanisms, in microseconds.</summary>
    public const double BudgetMicroseconds = 500;

    /// <summary>The freeze's hold budget at 64 members: p99 of the held writes' hold.</summary>
    public const double HoldBudgetMicroseconds = 250;

    /// <summary>The split budget at 512 members: p99.</summary>
    public const double LargeBudgetMicroseconds = 2000;

    public int Mps { get; init; }

    public int Members { get; init; }

    public AtomicSplitMechanism Mechanism { get; init; }

    public int Splits { get; init; }

    public SplitBench.Summary SplitLatency { get; init; }

    public SplitBench.Summary Drain { get; init; }

    /// <summary>Gets the time from the end of the drain to the commit.</summary>
    public SplitBench.Summary Commit { get; init; }

    /// <summary>Gets the time from the commit to the end of the release (freeze).</summary>
    public SplitBench.Summary Release { get; init; }

    public double HeldWritesPerSplit { get; init; }

    public int HeldWritesMax { get; init; }

    /// <summary>Gets the hold of every held write over all splits.</summary>
    public SplitBench.Summary Hold { get; init; }

    public double OneByOneMicroseconds { get; init; }

    public LatencyHistogram Baseline { get; init; } = new();

    public LatencyHistogram DuringSplits { get; init; } = new();

    public LatencyHistogram SplitPhase { get; init; } = new();

    public long HostErrors { get; init; }

    /// <summary>Gets the gen-0 garbage collections during the split phase (each pauses every thread).</summary>
    public int GarbageCollections { get; init; }

    /// <summary>Gets the time every thread was paused by the GC during the split phase, all collections summed.</summary>
    public TimeSpan GcPause { get; init; }

    /// <summary>Gets the bytes allocated per split-and-resync cycle of the split phase (load, split and resync).</summary>
    public long AllocatedBytesPerSplit { get; init; }

    public string? Failure { get; init; }

    public bool Passed => Failure is null && HostErrors == 0 && Splits > 0;

    /// <summary>
    /// Gets the verdict against the split budget (docs/performance.md): at 64 members, split p99 &lt;= 500 us with no
    /// write held (sequence cut) or with a hold p99 &lt;= 250 us (freeze); at 512 members, split p99 &lt;= 2 ms; other
    /// counts have none.
    /// </summary>
    public string Budget => Members switch
    {
        64 when Mechanism == AtomicSplitMechanism.SequenceCut => Verdict(HeldWritesMax == 0 && SplitLatency.P99 <= BudgetMicroseconds) + " (no hold, split p99 <= 500 us)",
        64 => Verdict(SplitLatency.P99 <= BudgetMicroseconds && Hold.P99 <= HoldBudgetMicroseconds) + " (split p99 <= 500 us, hold p99 <= 250 us)",
        512 => Verdict(SplitLatency.P99 <= LargeBudgetMicroseconds) + " (split p99 <= 2 ms)",
        _ => "-",
    };

    public static string Header()
    {
        return string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0,7} {1,-12} {2,6} {3,26} {4,9} {5,26} {6,38} {7,38}  {8}", "members", "mechanism", "splits", "split us p50/p99/max", "held/spl", "hold us p50/p99/max", "write us p50/p99/p99.9/max (no split)", "write us p50/p99/p99.9/max (in split)", "budget");
    }

    public string ToRow()
    {
        System.Globalization.CultureInfo c = System.Globalization.CultureInfo.InvariantCulture;
        return string.Format(c, "{0,7} {1,-12} {2,6} {3,26} {4,9:F1} {5,26} {6,38} {7,38}  {8}", Members, Name(Mechanism), Splits, Three(SplitLatency), HeldWritesPerSplit, Three(Hold), Four(Baseline), Four(DuringSplits), Failure ?? Budget);
    }

    public void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteNumber("mps", Mps);
        json.WriteNumber("members", Members);
        json.WriteString("mechanism", Name(Mechanism));
        json.WriteBoolean("passed", Passed);
        json.WriteNumber("splits", Splits);
        Write(json, "splitLatencyMicroseconds", SplitLatency);
        Write(json, "drainMicroseconds", Drain);
        Write(json, "commitMicroseconds", Commit);
        Write(json, "releaseMicroseconds", Release);
        json.WriteNumber("heldWritesPerSplit", Math.Round(HeldWritesPerSplit, 2));
        json.WriteNumber("heldWritesMax", HeldWritesMax);
        Write(json, "holdMicroseconds", Hold);
        json.WriteNumber("oneByOnePlainSplitsMicroseconds", Math.Round(OneByOneMicroseconds, 1));
        Write(json, "writeLatencyWithoutSplitsMicroseconds", Baseline);
        Write(json, "writeLatencyDuringSplitsMicroseconds", DuringSplits);
        Write(json, "writeLatencySplitPhaseMicroseconds", SplitPhase);
        json.WriteNumber("hostErrors", HostErrors);
        json.WriteNumber("garbageCollections", GarbageCollections);
        json.WriteNumber("gcPauseMicroseconds", Math.Round(GcPause.TotalMicroseconds, 1));
        json.WriteNumber("allocatedBytesPerSplit", AllocatedBytesPerSplit);
        json.WriteString("budget", Budget);
        if (Failure is not null)
        {
            json.WriteString("failure", Failure);
        }

        json.WriteEndObject();
    }

    private static string Verdict(bool met)
    {
        return met ? "met" : "NOT met";
    }

    internal static string Name(AtomicSplitMechanism mechanism)
    {
        return mechanism == AtomicSplitMechanism.Freeze ? "freeze" : "sequence-cut";
    }

    private static string Three(SplitBench.Summary summary)
    {
        return string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0:F1}/{1:F1}/{2:F1}", summary.P50, summary.P99, summary.Max);
    }

    private static string Four(LatencyHistogram latency)
    {
        return string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0:F1}/{1:F1}/{2:F1}/{3:F1}", latency.Percentile(0.50) / 1000.0, latency.Percentile(0.99) / 1000.0, latency.Percentile(0.999) / 1000.0, latency.Max / 1000.0);
    }

    private static void Write(Utf8JsonWriter json, string name, SplitBench.Summary summary)
    {
        json.WriteStartObject(name);
        json.WriteNumber("p50", Math.Round(summary.P50, 1));
        json.WriteNumber("p99", Math.Round(summary.P99, 1));
        json.WriteNumber("max", Math.Round(summary.Max, 1));
        json.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter json, string name, LatencyHistogram latency)
    {
        json.WriteStartObject(name);
        json.WriteNumber("count", latency.Count);
        json.WriteNumber("p50", Math.Round(latency.Percentile(0.50) / 1000.0, 1));
        json.WriteNumber("p99", Math.Round(latency.Percentile(0.99) / 1000.0, 1));
        json.WriteNumber("p999", Math.Round(latency.Percentile(0.999) / 1000.0, 1));
        json.WriteNumber("max", Math.Round(latency.Max / 1000.0, 1));
        json.WriteEndObject();
    }
}
