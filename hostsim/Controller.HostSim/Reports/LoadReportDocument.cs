// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.Reports;

/// <summary>
/// What the page draws from a <c>hostsim load --json</c> report, read by <see cref="ReportJsonContext"/>. Every
/// property is required: a report without one is refused by name, not drawn half.
/// </summary>
internal sealed record LoadReportDocument
{
    public required string Target { get; init; }

    public required int Luns { get; init; }

    public required int ReadPercent { get; init; }

    public required string BlockSizes { get; init; }

    public required string Pattern { get; init; }

    public required int QueueDepth { get; init; }

    public required double Seconds { get; init; }

    public required double CommandsPerSecond { get; init; }

    public required LatencySummaryDocument ReadLatencyMicroseconds { get; init; }

    public required LatencySummaryDocument WriteLatencyMicroseconds { get; init; }

    public required HistogramBucketDocument[] WriteHistogram { get; init; }

    public required TimelineBucketDocument[] Timeline { get; init; }

    public required LoadSplitDocument[] Splits { get; init; }
}
