// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.CrashTest;

/// <summary>The options of <c>hostsim crash-test</c>, checked.</summary>
/// <param name="Daemon">controllerd.dll (or an executable) to start, or null with <paramref name="RestartCommand"/>.</param>
/// <param name="RestartCommand">A shell command that runs controllerd in the foreground with <c>{config}</c> as its configuration, or null.</param>
/// <param name="Directory">The directory of the configuration, the store and the log (empty or new).</param>
/// <param name="Crashes">The rounds, each ended by a SIGKILL.</param>
/// <param name="Seed">The seed of every random choice.</param>
/// <param name="QueueDepth">The writes in flight.</param>
/// <param name="Luns">The mirrored LUNs (each a P-VOL with a local S-VOL, all under one mirror name).</param>
/// <param name="CapacityMib">Each LDEV's size, MiB.</param>
/// <param name="WriteBack">The store's write policy: write-back (true) or write-through.</param>
/// <param name="Scenarios">The scenarios the rounds are drawn from (every runnable one by default).</param>
internal sealed record CrashTestOptions(string? Daemon, string? RestartCommand, string Directory, int Crashes, ulong Seed, int QueueDepth, int Luns, int CapacityMib, bool WriteBack, IReadOnlyList<CrashScenario> Scenarios);
