// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.Replay;

/// <summary>One split a replay made between two exchanges.</summary>
/// <param name="BeforeExchange">The exchange it came before.</param>
/// <param name="Answer">The ATOMIC SPLIT's answer.</param>
/// <param name="Good">True when it answered GOOD.</param>
/// <param name="LatencyMicroseconds">From the command sent to its answer.</param>
internal sealed record ReplaySplit(long BeforeExchange, string Answer, bool Good, double LatencyMicroseconds);
