// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Text;
using System.Text.Json;
using Controller.Firmware.PairVocabulary;
using Controller.HostSim.Cli;
using Controller.HostSim.Core.Measurement;
using Controller.Wire.CopyManagement;

namespace Controller.HostSim.Replay;

/// <summary>What a replay sent, what came back, and how it compares with the recording.</summary>
internal sealed class ReplayReport
{
    /// <summary>Gets or sets the trace replayed.</summary>
    public required string Source { get; init; }

    /// <summary>Gets or sets where it was replayed.</summary>
    public required string Target { get; init; }

    /// <summary>Gets the options it ran with.</summary>
    public required ReplayOptions Options { get; init; }

    /// <summary>Gets the exchanges in the trace.</summary>
    public long Exchanges { get; set; }

    /// <summary>Gets the commands sent and answered.</summary>
    public long Replayed { get; set; }

    /// <summary>Gets the answers compared with a recorded one.</summary>
    public long Compared { get; set; }

    /// <summary>Gets the answers equal to the recorded one.</summary>
    public long Matched { get; set; }

    /// <summary>Gets the answers that differ.</summary>
    public long Diverged { get; set; }

    /// <summary>Gets the first divergence, by exchange number.</summary>
    public ReplayDivergence? FirstDivergence { get; set; }

    /// <summary>Gets the reads whose data was not compared: a conflicting command was outstanding beside them in the recording.</summary>
    public long DataNotCompared { get; set; }

    /// <summary>Gets the exchanges whose answer the trace did not record (an imported trace records none).</summary>
    public long NotRecorded { get; set; }

    /// <summary>Gets the answers now that were not GOOD.</summary>
    public long NotGood { get; set; }

    /// <summary>Gets the answers not GOOD where the trace recorded no answer: nothing says they were expected.</summary>
    public long NotGoodUnrecorded { get; set; }

    /// <summary>Gets the first of <see cref="NotGoodUnrecorded"/> by exchange number, and its answer in words.</summary>
    public (Controller.Traces.TraceExchange Exchange, string Answer)? FirstNotGoodUnrecorded { get; set; }

    /// <summary>Gets the PAIR STATUS questions asked again because a copy the recording saw ended was still running.</summary>
    public long PairStatusAskedAgain { get; set; }

    /// <summary>Gets the commands sent more than a millisecond after their time (original or scaled timing).</summary>
    public long SentLate { get; set; }

    /// <summary>Gets the seconds from the first command sent to the last answer.</summary>
    public double Seconds { get; set; }

    /// <summary>Gets the command latencies.</summary>
    public LatencyHistogram Latency { get; } = new();

    /// <summary>Gets the splits made.</summary>
    public List<ReplaySplit> Splits { get; } = [];

    /// <summary>Gets the mirrors' rows of PAIR STATUS after the last command.</summary>
    public List<PairStatusRow> Pairs { get; } = [];

    /// <summary>Gets the failure that stopped the replay, or null.</summary>
    public string? Failure { get; set; }

    /// <summary>
    /// Gets whether the replay ran to the end, every compared answer matched, every split answered GOOD, and every
    /// answer with nothing recorded to compare it with was GOOD (unless <see cref="ReplayOptions.AllowNotGood"/>).
    /// </summary>
    public bool Passed => Failure is null && Diverged == 0 && Splits.TrueForAll(s => s.Good) && (NotGoodUnrecorded == 0 || Options.AllowNotGood);

    public string ToText()
    {
        StringBuilder text = new();
        text.Append(CultureInfo.InvariantCulture, $"hostsim replay: {Source} -> {Target}\n");
        text.Append(CultureInfo.InvariantCulture, $"timing              {Timing()}, queue depth {Options.QueueDepth}\n");
        text.Append(CultureInfo.InvariantCulture, $"exchanges           {Exchanges:N0} in the trace, {Replayed:N0} replayed in {Seconds:F3} s ({(Seconds > 0 ? Replayed / Seconds : 0):N0} commands/s)\n");
        text.Append(CultureInfo.InvariantCulture, $"compared            {Compared:N0}: {Matched:N0} matched, {Diverged:N0} diverged; {NotRecorded:N0} with no recorded answer, {DataNotCompared:N0} reads racing a write in the recording (status compared, data not)\n");
        text.Append(CultureInfo.InvariantCulture, $"answers not GOOD    {NotGood:N0}");
        if (FirstNotGoodUnrecorded is (Controller.Traces.TraceExchange exchange, string answer))
        {
            text.Append(CultureInfo.InvariantCulture, $", {NotGoodUnrecorded:N0} with no recorded answer{(Options.AllowNotGood ? " (allowed: --allow-not-good)" : string.Empty)}; first {exchange}: {answer}");
        }

        text.Append('\n');
        if (PairStatusAskedAgain > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"PAIR STATUS again   {PairStatusAskedAgain:N0} (a copy the recording saw ended was still running)\n");
        }

        if (Options.Timing != ReplayTiming.Asap)
        {
            text.Append(CultureInfo.InvariantCulture, $"sent late (>1 ms)   {SentLate:N0}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"latency us          p50 {Us(0.5)}  p99 {Us(0.99)}  p99.9 {Us(0.999)}  max {Latency.Max / 1000.0:F1}\n");
        foreach (ReplaySplit split in Splits)
        {
            text.Append(CultureInfo.InvariantCulture, $"split before {split.BeforeExchange,-8:N0} {split.Answer} in {split.LatencyMicroseconds:F0} us\n");
        }

        foreach (PairStatusRow row in Pairs)
        {
            text.Append(CultureInfo.InvariantCulture, $"pair {row.PVol} -> {row.SVol}  state {PairStateNames.Of((PairState)row.State)}  differential tracks {row.DifferentialTracks:N0}\n");
        }

        if (FirstDivergence is ReplayDivergence first)
        {
            text.Append("first divergence    ").Append(first.Description).Append('\n');
        }

        if (Failure is not null)
        {
            text.Append("failed              ").Append(Failure).Append('\n');
        }

        text.Append("verdict             ").Append(Passed ? (Compared > 0 ? "every compared answer matched" : "replayed (nothing recorded to compare)") : "FAILED" + (Failure is null && Diverged == 0 && NotGoodUnrecorded > 0 ? ": answers not GOOD with nothing recorded to compare (--allow-not-good if they are expected)" : string.Empty));
        return text.ToString();
    }

    public string ToJson()
    {
        return JsonText.Object(writer =>
        {
            writer.WriteBoolean("passed", Passed);
            writer.WriteString("source", Source);
            writer.WriteString("target", Target);
            writer.WriteString("timing", Timing());
            writer.WriteNumber("queueDepth", Options.QueueDepth);
            writer.WriteNumber("exchanges", Exchanges);
            writer.WriteNumber("replayed", Replayed);
            writer.WriteNumber("compared", Compared);
            writer.WriteNumber("matched", Matched);
            writer.WriteNumber("diverged", Diverged);
            writer.WriteNumber("notRecorded", NotRecorded);
            writer.WriteNumber("dataNotCompared", DataNotCompared);
            writer.WriteNumber("notGood", NotGood);
            writer.WriteNumber("notGoodUnrecorded", NotGoodUnrecorded);
            writer.WriteBoolean("allowNotGood", Options.AllowNotGood);
            if (FirstNotGoodUnrecorded is (Controller.Traces.TraceExchange exchange, string answer))
            {
                writer.WriteStartObject("firstNotGoodUnrecorded");
                writer.WriteNumber("exchange", exchange.Number);
                writer.WriteNumber("frame", exchange.CommandRecord);
                writer.WriteString("answer", answer);
                writer.WriteEndObject();
            }

            writer.WriteNumber("pairStatusAskedAgain", PairStatusAskedAgain);
            writer.WriteNumber("sentLate", SentLate);
            writer.WriteNumber("seconds", Seconds);
            writer.WritePropertyName("latencyMicroseconds");
            WriteLatency(writer, Latency);
            if (FirstDivergence is ReplayDivergence first)
            {
                writer.WriteStartObject("firstDivergence");
                writer.WriteNumber("exchange", first.Exchange.Number);
                writer.WriteNumber("frame", first.Exchange.CommandRecord);
                writer.WriteString("description", first.Description);
                writer.WriteEndObject();
            }

            writer.WriteStartArray("splits");
            foreach (ReplaySplit split in Splits)
            {
                writer.WriteStartObject();
                writer.WriteNumber("beforeExchange", split.BeforeExchange);
                writer.WriteString("answer", split.Answer);
                writer.WriteNumber("latencyMicroseconds", split.LatencyMicroseconds);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            Controller.HostSim.Core.Pairs.PairDisplay.WriteJson(writer, Pairs);
            if (Failure is not null)
            {
                writer.WriteString("failure", Failure);
            }
        });
    }

    /// <summary>Writes a latency histogram's percentiles in microseconds, as every report does.</summary>
    /// <param name="writer">The JSON writer, at a value.</param>
    /// <param name="latency">The histogram.</param>
    public static void WriteLatency(Utf8JsonWriter writer, LatencyHistogram latency)
    {
        writer.WriteStartObject();
        writer.WriteNumber("count", latency.Count);
        writer.WriteNumber("p50", latency.Percentile(0.5) / 1000.0);
        writer.WriteNumber("p90", latency.Percentile(0.9) / 1000.0);
        writer.WriteNumber("p99", latency.Percentile(0.99) / 1000.0);
        writer.WriteNumber("p99_9", latency.Percentile(0.999) / 1000.0);
        writer.WriteNumber("p99_99", latency.Percentile(0.9999) / 1000.0);
        writer.WriteNumber("max", latency.Max / 1000.0);
        writer.WriteEndObject();
    }

    private string Timing()
    {
        return Options.Timing switch
        {
            ReplayTiming.Original => "original",
            ReplayTiming.Scaled => "scaled x" + Options.Speed.ToString(CultureInfo.InvariantCulture),
            _ => "as fast as possible",
        };
    }

    private string Us(double fraction)
    {
        return (Latency.Percentile(fraction) / 1000.0).ToString("F1", CultureInfo.InvariantCulture);
    }
}
