// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.CrashTest;

/// <summary>How often a scenario ran, and how often its command was still unanswered when the kill came.</summary>
internal sealed class ScenarioTally
{
    /// <summary>Gets or sets the rounds that ran it.</summary>
    public int Runs { get; set; }

    /// <summary>Gets or sets the rounds whose copy-management command had no answer at the kill (in the middle of it).</summary>
    public int UnansweredAtKill { get; set; }
}
