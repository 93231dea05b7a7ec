// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.Reports;

/// <summary>What the page draws from a <c>hostsim bench split --json</c> report, read by <see cref="ReportJsonContext"/>.</summary>
internal sealed record BenchReportDocument
{
    public required int QueueDepth { get; init; }

    public required int LoadLuns { get; init; }

    public required BenchRunDocument[] Runs { get; init; }
}
