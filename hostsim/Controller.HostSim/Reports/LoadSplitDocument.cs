// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.Reports;

/// <summary>One split of a load report's <c>splits</c>.</summary>
internal sealed record LoadSplitDocument
{
    public required double AtSeconds { get; init; }

    public required string Answer { get; init; }

    public required double LatencyMicroseconds { get; init; }

    public required double ResyncSeconds { get; init; }
}
