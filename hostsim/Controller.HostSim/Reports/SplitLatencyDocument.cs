// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.Reports;

/// <summary>A bench run's split latency percentiles, in microseconds.</summary>
internal sealed record SplitLatencyDocument
{
    public required double P50 { get; init; }

    public required double P99 { get; init; }
}
