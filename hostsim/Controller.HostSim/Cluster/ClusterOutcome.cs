// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.Cluster;

/// <summary>What a scenario's script found: the winner ("H1", "H2" or "none"; per cycle for the repeated one) and its checks.</summary>
internal sealed class ClusterOutcome
{
    private readonly List<(string Check, bool Held)> _checks = [];

    public string Winner { get; set; } = "none";

    public IReadOnlyList<(string Check, bool Held)> Checks => _checks;

    public bool Passed => _checks.TrueForAll(c => c.Held);

    public void Check(string check, bool held)
    {
        _checks.Add((check, held));
    }
}
