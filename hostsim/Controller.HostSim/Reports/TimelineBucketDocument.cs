// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.Reports;

/// <summary>One 100 ms bucket of a load report's <c>timeline</c>.</summary>
internal sealed record TimelineBucketDocument
{
    public required double AtSeconds { get; init; }

    public required double MeanWriteMicroseconds { get; init; }

    public required double MaxWriteMicroseconds { get; init; }
}
