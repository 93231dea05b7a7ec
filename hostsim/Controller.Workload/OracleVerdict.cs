// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Workload;

/// <summary>What the consistency oracle found in a split image.</summary>
public sealed record OracleVerdict
{
    /// <summary>Gets whether the image is a consistent cut (no violation).</summary>
    public bool Consistent => Violations.Count == 0;

    /// <summary>Gets the violations found (at most <see cref="ConsistencyOracle.MaxViolations"/>), each naming the writes.</summary>
    public IReadOnlyList<string> Violations { get; init; } = [];

    /// <summary>Gets the member writes checked (issued to a member volume).</summary>
    public int WritesChecked { get; init; }

    /// <summary>Gets the member writes present in the image.</summary>
    public int WritesPresent { get; init; }

    /// <summary>Gets the member writes acknowledged before the split was issued (each must be present).</summary>
    public int AckedBeforeSplit { get; init; }

    /// <summary>Gets the member writes issued after the split completed (each must be absent).</summary>
    public int IssuedAfterSplit { get; init; }

    /// <summary>Gets, per chain, how many of its member writes the image holds: where the cut fell.</summary>
    public IReadOnlyList<int> CutPerChain { get; init; } = [];

    /// <summary>Gets where the cut fell, in words.</summary>
    public string Cut { get; init; } = string.Empty;

    /// <summary>Formats as "consistent: ..." or "TORN: first violation".</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        return (Consistent ? "consistent: " : "TORN (" + Violations.Count + " violations, first: " + Violations[0] + "): ") + Cut;
    }
}
