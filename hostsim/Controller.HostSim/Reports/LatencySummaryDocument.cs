// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Text.Json.Serialization;

namespace Controller.HostSim.Reports;

/// <summary>A latency summary of a load report, in microseconds (<c>readLatencyMicroseconds</c>, <c>writeLatencyMicroseconds</c>).</summary>
internal sealed record LatencySummaryDocument
{
    public required long Count { get; init; }

    public required double P50 { get; init; }

    public required double P90 { get; init; }

    public required double P99 { get; init; }

    [JsonPropertyName("p99_9")]
    public required double P999 { get; init; }

    [JsonPropertyName("p99_99")]
    public required double P9999 { get; init; }

    public required double Max { get; init; }
}
