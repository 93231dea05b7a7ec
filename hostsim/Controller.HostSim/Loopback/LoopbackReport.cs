// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Text;
using System.Text.Json;
using Controller.HostSim.Core.Measurement;

namespace Controller.HostSim.Loopback;

/// <summary>The result of a loopback write run: IOPS and the latency distribution, as the initiator saw them.</summary>
internal sealed class LoopbackReport
{
    /// <summary>The budget of docs/architecture.md ("Performance budget") for 4 KiB writes over loopback TCP at queue depth 32.</summary>
    public const double BudgetIops = 150_000;

    public LoopbackReport(LoopbackOptions options, string target, long commands, long errors, double seconds, LatencyHistogram latency, string? firstError)
    {
        Options = options;
        Target = target;
        Commands = commands;
        Errors = errors;
        Seconds = seconds;
        Latency = latency;
        FirstError = firstError;
    }

    public LoopbackOptions Options { get; }

    public string Target { get; }

    public long Commands { get; }

    public long Errors { get; }

    public double Seconds { get; }

    public LatencyHistogram Latency { get; }

    public string? FirstError { get; }

    public double Iops => Seconds > 0 ? Commands / Seconds : 0;

    public bool Passed => Errors == 0 && Commands > 0;

    public string ToText()
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        StringBuilder text = new();
        text.AppendLine("hostsim loopback: " + Options.BlockBytes + "-byte writes, queue depth " + Options.QueueDepth + ", " + (Options.FirstBurst ? "first burst" : "XFER_RDY handshake") + (Options.InProcess ? ", FCIP over in-process pipes" : ", FCIP over TCP"));
        text.AppendLine("  target            " + Target + " port 0x" + Options.TargetPortId.ToString("X6", c) + " LUN 0x" + Options.Lun.ToString("X4", c));
        text.AppendLine("  measured          " + Seconds.ToString("F1", c) + " s after " + Options.WarmupSeconds.ToString("F1", c) + " s warm-up");
        text.AppendLine("  writes            " + Commands.ToString("N0", c) + " = " + Iops.ToString("N0", c) + " per second (" + (Iops * Options.BlockBytes / 1e6).ToString("F0", c) + " MB/s); budget " + BudgetIops.ToString("N0", c) + ": " + (Iops >= BudgetIops ? "met" : "not met"));
        text.AppendLine("  latency           p50 " + Micro(Latency.Percentile(0.50)) + ", p90 " + Micro(Latency.Percentile(0.90)) + ", p99 " + Micro(Latency.Percentile(0.99)) + ", p99.9 " + Micro(Latency.Percentile(0.999)) + ", max " + Micro(Latency.Max));
        text.AppendLine("  errors            " + Errors.ToString("N0", c) + (FirstError is null ? string.Empty : " (first: " + FirstError + ")"));
        text.Append("  verdict           " + (Passed ? "every write answered GOOD" : "FAILED"));
        return text.ToString();
    }

    public string ToJson()
    {
        using MemoryStream stream = new();
        using (Utf8JsonWriter json = new(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteBoolean("passed", Passed);
            json.WriteString("target", Target);
            json.WriteNumber("blockBytes", Options.BlockBytes);
            json.WriteNumber("queueDepth", Options.QueueDepth);
            json.WriteBoolean("firstBurst", Options.FirstBurst);
            json.WriteNumber("seconds", Math.Round(Seconds, 3));
            json.WriteNumber("writes", Commands);
            json.WriteNumber("iops", Math.Round(Iops));
            json.WriteNumber("p50Microseconds", Math.Round(Latency.Percentile(0.50) / 1000.0, 1));
            json.WriteNumber("p90Microseconds", Math.Round(Latency.Percentile(0.90) / 1000.0, 1));
            json.WriteNumber("p99Microseconds", Math.Round(Latency.Percentile(0.99) / 1000.0, 1));
            json.WriteNumber("p999Microseconds", Math.Round(Latency.Percentile(0.999) / 1000.0, 1));
            json.WriteNumber("maxMicroseconds", Math.Round(Latency.Max / 1000.0, 1));
            json.WriteNumber("errors", Errors);
            json.WriteBoolean("budgetMet", Iops >= BudgetIops);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string Micro(long nanoseconds)
    {
        return (nanoseconds / 1000.0).ToString("F1", CultureInfo.InvariantCulture) + " us";
    }
}
