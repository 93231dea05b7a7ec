// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Text;
using System.Text.Json;

using Controller.HostSim.Core.Measurement;

namespace Controller.HostSim;

/// <summary>What the media-layer demo measured and checked.</summary>
internal sealed class MediaDemoReport
{
    public required string Geometry { get; init; }

    public required int Ldevs { get; init; }

    public required long Writes { get; init; }

    public required double Seconds { get; init; }

    public required long QueueFullRetries { get; init; }

    public required long TracksMarked { get; init; }

    public required long StoreBytesAllocated { get; init; }

    public required long BitmapBytesAllocated { get; init; }

    public required long BlocksVerified { get; init; }

    public required long BlocksMismatched { get; init; }

    public required bool LunSecurityHolds { get; init; }

    public required MirrorPhaseReport Mirror { get; init; }

    public required IReadOnlyList<DemoSplitResult> Splits { get; init; }

    /// <summary>Gets the latency of the split phase's host writes (WRITE(16) over FC frames, host-measured).</summary>
    public required LatencyHistogram HostWriteLatency { get; init; }

    /// <summary>Gets the frames recorded, with <see cref="RecordPath"/>.</summary>
    public long FramesRecorded { get; init; }

    /// <summary>Gets the pcap file the split phase was recorded to, or null.</summary>
    public string? RecordPath { get; init; }

    public bool Consistent => BlocksMismatched == 0 && LunSecurityHolds && Mirror.Consistent && Splits.All(s => s.Consistent);

    public double WritesPerSecond => Seconds > 0 ? Writes / Seconds : 0;

    public string ToText()
    {
        StringBuilder text = new();
        CultureInfo c = CultureInfo.InvariantCulture;
        text.AppendLine("hostsim demo: an embedded controller with the FIG 7 volumes: media layer, local mirrors, atomic splits by name in FC frames");
        text.AppendLine(c, $"  geometry            {Geometry}, {Ldevs} RAM LDEVs behind ports 0x400104 and 0x421014");
        text.AppendLine(c, $"  4 KiB writes        {Writes:N0} in {Seconds:F2} s = {WritesPerSecond:N0} per second (queue-full retries {QueueFullRetries:N0})");
        text.AppendLine(c, $"  tracks marked       {TracksMarked:N0} (bitmap memory {BitmapBytesAllocated:N0} bytes)");
        text.AppendLine(c, $"  RAM store           {StoreBytesAllocated:N0} bytes allocated for the tracks written");
        text.AppendLine(c, $"  read-back check     {BlocksVerified:N0} blocks verified, {BlocksMismatched:N0} mismatched");
        text.AppendLine(c, $"  LUN security        {(LunSecurityHolds ? "holds" : "VIOLATED")}: a host outside the host group sees no LUN");
        Mirror.AppendText(text);
        text.AppendLine("  atomic splits       AUXSET1 = 0x400104/0x0001 -> 0x400104/0x0002, 0x400104/0x0004 -> 0x421014/0x0005, by name under 8 dependent write chains, all in FC frames (after one warm-up split each)");
        foreach (DemoSplitResult split in Splits)
        {
            split.AppendText(text);
        }

        LatencyHistogram w = HostWriteLatency;
        text.AppendLine(c, $"    host writes       {w.Count:N0} WRITE(16) over FCP: p50 {w.Percentile(0.5) / 1000.0:F1} us, p99 {w.Percentile(0.99) / 1000.0:F1} us, p99.9 {w.Percentile(0.999) / 1000.0:F1} us, max {w.Max / 1000.0:F1} us");
        if (RecordPath is not null)
        {
            text.AppendLine(c, $"  recorded            {FramesRecorded:N0} frames of the split phase to {RecordPath} (tshark -r {RecordPath})");
        }

        text.AppendLine(Consistent ? "  verdict             consistent" : "  verdict             INCONSISTENT");
        return text.ToString();
    }

    public string ToJson()
    {
        using MemoryStream stream = new();
        using (Utf8JsonWriter json = new(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteBoolean("consistent", Consistent);
            json.WriteString("geometry", Geometry);
            json.WriteNumber("ldevs", Ldevs);
            json.WriteNumber("writes", Writes);
            json.WriteNumber("seconds", Math.Round(Seconds, 3));
            json.WriteNumber("writesPerSecond", Math.Round(WritesPerSecond));
            json.WriteNumber("queueFullRetries", QueueFullRetries);
            json.WriteNumber("tracksMarked", TracksMarked);
            json.WriteNumber("storeBytesAllocated", StoreBytesAllocated);
            json.WriteNumber("bitmapBytesAllocated", BitmapBytesAllocated);
            json.WriteNumber("blocksVerified", BlocksVerified);
            json.WriteNumber("blocksMismatched", BlocksMismatched);
            json.WriteBoolean("lunSecurityHolds", LunSecurityHolds);
            json.WritePropertyName("mirror");
            Mirror.WriteJson(json);
            json.WriteStartArray("splits");
            foreach (DemoSplitResult split in Splits)
            {
                split.WriteJson(json);
            }

            json.WriteEndArray();
            json.WritePropertyName("hostWriteLatencyMicroseconds");
            Replay.ReplayReport.WriteLatency(json, HostWriteLatency);
            if (RecordPath is not null)
            {
                json.WriteString("recorded", RecordPath);
                json.WriteNumber("framesRecorded", FramesRecorded);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
