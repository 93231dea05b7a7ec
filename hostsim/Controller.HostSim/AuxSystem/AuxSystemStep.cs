// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.AuxSystem;

/// <summary>One step of the FIG 5 flow as the scenario ran it.</summary>
/// <param name="Id">The step of seed 000's FIG 5 (S500-S570).</param>
/// <param name="At">When it finished, from the scenario's start.</param>
/// <param name="What">What happened.</param>
internal sealed record AuxSystemStep(string Id, TimeSpan At, string What);
