// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.Reports;

/// <summary>One run of a bench split report: a mechanism at a member count.</summary>
internal sealed record BenchRunDocument
{
    public required string Mechanism { get; init; }

    public required int Members { get; init; }

    public required SplitLatencyDocument SplitLatencyMicroseconds { get; init; }

    public required HoldLatencyDocument HoldMicroseconds { get; init; }
}
