// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.CrashTest;

/// <summary>
/// The scenarios of the crash test, their names, and which of them can run. A scenario that needs something
/// controllerd does not do yet is listed with the reason and never run (the report names it), so adding it later is
/// one row here and one driver in <see cref="CrashScenarioDriver"/>.
/// </summary>
internal static class CrashScenarios
{
    /// <summary>Every scenario in report order: its name and, for one that cannot run yet, why.</summary>
    public static readonly (CrashScenario Scenario, string Name, string? NotBuilt)[] All =
    [
        (CrashScenario.Load, "load", null),
        (CrashScenario.InitialCopy, "initial-copy", null),
        (CrashScenario.Resync, "resync", null),
        (CrashScenario.AtomicSplitByListFreeze, "atomic-split-list-freeze", null),
        (CrashScenario.AtomicSplitByListSequenceCut, "atomic-split-list-sequence-cut", null),
        (CrashScenario.AtomicSplitByNameFreeze, "atomic-split-name-freeze", null),
        (CrashScenario.AtomicSplitByNameSequenceCut, "atomic-split-name-sequence-cut", null),
        (CrashScenario.DeterminingSwap, "determining-swap", null),
    ];

    /// <summary>Gets the scenarios that run.</summary>
    public static IReadOnlyList<CrashScenario> Runnable { get; } = FindRunnable();

    /// <summary>Gets a scenario's name.</summary>
    /// <param name="scenario">The scenario.</param>
    /// <returns>Its name, as the report prints it.</returns>
    public static string NameOf(CrashScenario scenario)
    {
        foreach ((CrashScenario known, string name, _) in All)
        {
            if (known == scenario)
            {
                return name;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(scenario), scenario, "not a crash-test scenario");
    }

    /// <summary>
    /// The scenario of every round: each run of <see cref="Runnable"/>.Count rounds is a seeded permutation of the
    /// runnable scenarios, so every one of them runs once the rounds are at least as many as they are.
    /// </summary>
    /// <param name="rounds">How many rounds.</param>
    /// <param name="random">The run's seeded choices.</param>
    /// <returns>The scenario of each round.</returns>
    public static CrashScenario[] Order(int rounds, Random random)
    {
        return Order(rounds, random, Runnable);
    }

    /// <summary>The scenario of every round, drawn from some of the runnable scenarios (<c>--scenario</c>).</summary>
    /// <param name="rounds">How many rounds.</param>
    /// <param name="random">The run's seeded choices.</param>
    /// <param name="chosen">The scenarios to run.</param>
    /// <returns>The scenario of each round.</returns>
    public static CrashScenario[] Order(int rounds, Random random, IReadOnlyCollection<CrashScenario> chosen)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(chosen);
        CrashScenario[] order = new CrashScenario[rounds];
        CrashScenario[] cycle = [.. chosen];
        for (int round = 0; round < rounds; round++)
        {
            int place = round % cycle.Length;
            if (place == 0)
            {
                random.Shuffle(cycle);
            }

            order[round] = cycle[place];
        }

        return order;
    }

    /// <summary>Finds a runnable scenario by name.</summary>
    /// <param name="name">Its name.</param>
    /// <param name="scenario">The scenario, when found.</param>
    /// <param name="error">Why not, else null.</param>
    /// <returns>True when found and runnable.</returns>
    public static bool TryParse(string name, out CrashScenario scenario, out string? error)
    {
        List<string> names = [];
        foreach ((CrashScenario known, string knownName, string? notBuilt) in All)
        {
            if (notBuilt is null)
            {
                names.Add(knownName);
            }

            if (knownName == name)
            {
                scenario = known;
                error = notBuilt is null ? null : "'" + name + "' cannot run yet: " + notBuilt;
                return notBuilt is null;
            }
        }

        scenario = default;
        error = "no scenario '" + name + "'; the scenarios are " + string.Join(", ", names);
        return false;
    }

    private static List<CrashScenario> FindRunnable()
    {
        List<CrashScenario> runnable = [];
        foreach ((CrashScenario scenario, _, string? notBuilt) in All)
        {
            if (notBuilt is null)
            {
                runnable.Add(scenario);
            }
        }

        return runnable;
    }
}
