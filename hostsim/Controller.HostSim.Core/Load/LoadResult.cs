// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.HostSim.Core.Measurement;
using Controller.HostSim.Core.Workloads;

namespace Controller.HostSim.Core.Load;

/// <summary>What a load did: commands by kind, failures, latency histograms and the timeline.</summary>
public sealed class LoadResult
{
    /// <summary>Gets the reads completed.</summary>
    public long Reads { get; init; }

    /// <summary>Gets the writes completed.</summary>
    public long Writes { get; init; }

    /// <summary>Gets the commands not answered GOOD.</summary>
    public long Failed { get; init; }

    /// <summary>Gets the new commands drawn again because they overlapped an outstanding one.</summary>
    public long Redrawn { get; init; }

    /// <summary>Gets the bytes moved.</summary>
    public long Bytes { get; init; }

    /// <summary>Gets the seconds from the first command to the last answer.</summary>
    public double Seconds { get; init; }

    /// <summary>Gets the latency of every command.</summary>
    public required LatencyHistogram Latency { get; init; }

    /// <summary>Gets the latency of the reads.</summary>
    public required LatencyHistogram ReadLatency { get; init; }

    /// <summary>Gets the latency of the writes.</summary>
    public required LatencyHistogram WriteLatency { get; init; }

    /// <summary>Gets latency over time.</summary>
    public required LoadTimeline Timeline { get; init; }

    /// <summary>Gets, with <c>--dependent</c>, the times the chains were held while the oracle checked an image (null otherwise).</summary>
    public ChainPauses? OraclePauses { get; init; }

    /// <summary>Gets the commands per second.</summary>
    public double CommandsPerSecond => Seconds > 0 ? (Reads + Writes) / Seconds : 0;
}
