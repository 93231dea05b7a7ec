// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.CrashTest;

/// <summary>One round of the crash test as the report shows it.</summary>
/// <param name="Index">The round, from 1.</param>
/// <param name="Scenario">What was running.</param>
/// <param name="KillMicroseconds">When the kill came: after the scenario's command was sent, or after the load began (load).</param>
/// <param name="Command">The scenario's command, or null (load).</param>
/// <param name="Answered">Whether its answer came before the kill.</param>
/// <param name="AnswerMicroseconds">The command's latency when it was answered, else the time it was left unanswered.</param>
/// <param name="WritesAcknowledged">The writes answered GOOD in the round.</param>
/// <param name="WritesInDoubt">The writes the kill left unanswered.</param>
/// <param name="StatesAfter">The pairs' states after the restart, as PAIR STATUS showed them.</param>
/// <param name="Clean">Whether its checks found nothing.</param>
internal sealed record CrashRound(int Index, CrashScenario Scenario, double KillMicroseconds, string? Command, bool Answered, double AnswerMicroseconds, long WritesAcknowledged, long WritesInDoubt, string StatesAfter, bool Clean);
