// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.CrashTest;

/// <summary>What a round's driver did: when the kill came, and the command it interrupted (or not).</summary>
/// <param name="KillMicroseconds">When the kill came, after the command was sent (or after the round's start, with no command).</param>
/// <param name="Command">The copy-management command the round drove, or null (load only).</param>
/// <param name="Answered">Whether its GOOD arrived before the kill.</param>
/// <param name="AnswerMicroseconds">Its latency (to its answer, or to the kill).</param>
internal readonly record struct DrivenRound(double KillMicroseconds, string? Command, bool Answered, double AnswerMicroseconds = 0);
