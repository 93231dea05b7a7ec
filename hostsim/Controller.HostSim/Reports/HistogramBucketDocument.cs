// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.Reports;

/// <summary>One bucket of a load report's <c>writeHistogram</c>: its lower bound and its count.</summary>
internal sealed record HistogramBucketDocument
{
    public required double FromMicroseconds { get; init; }

    public required long Count { get; init; }
}
