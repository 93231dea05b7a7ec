// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Text.Json;

namespace Controller.HostSim.Pairs;

/// <summary>What one pair operation printed and how it ended.</summary>
/// <param name="ExitCode">0 GOOD (or the state reached), 1 refused, 3 no such pair, 4 a wait timed out.</param>
/// <param name="Text">The text report.</param>
/// <param name="Json">Writes the JSON object's members.</param>
internal sealed record PairOutcome(int ExitCode, string Text, Action<Utf8JsonWriter> Json);
