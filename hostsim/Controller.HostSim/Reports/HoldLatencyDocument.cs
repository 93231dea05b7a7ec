// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.Reports;

/// <summary>A bench run's host-visible hold, in microseconds: the page draws its p99.</summary>
internal sealed record HoldLatencyDocument
{
    public required double P99 { get; init; }
}
