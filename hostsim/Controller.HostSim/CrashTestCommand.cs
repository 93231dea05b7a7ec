// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.CommandLine;
using Controller.HostSim.Cli;
using Controller.HostSim.CrashTest;

namespace Controller.HostSim;

/// <summary>
/// <c>hostsim crash-test</c>: a controllerd it starts itself (or through a restart command; for the determining swap a
/// second one, SS2), mirrored LUNs under stamped writes, SIGKILL at seeded moments inside each scenario, a restart on
/// the same store, and the checks of
/// docs/durability.md ("The crash test"). Exit codes: 0 every check passed; 1 a check found something (lost, torn or
/// misplaced blocks, a pair state or split image the restart table does not allow, S != P after a resync) or the run
/// could not go on; 2 bad usage.
/// </summary>
internal static class CrashTestCommand
{
    public static Command Create()
    {
        Option<string?> daemon = new("--daemon") { Description = "controllerd to start: controllerd.dll (run with dotnet) or an executable; default: controllerd.dll beside hostsim", HelpName = "PATH" };
        Option<string?> restart = new("--restart-command") { Description = "instead of --daemon: a shell command that runs controllerd in the foreground, with {config} where the configuration file goes (killed with its whole process tree)", HelpName = "CMD" };
        Option<string?> directory = new("--dir") { Description = "where the configuration, the store and controllerd.log go: a new or empty directory (default: a new temporary one, removed after a run that passed)", HelpName = "DIR" };
        Option<int> crashes = CliOptions.Int("--crashes", "rounds, each ended by a SIGKILL and a restart; every scenario runs once per " + CrashScenarios.Runnable.Count + " rounds", 21, 1, 100_000);
        Option<ulong> seed = CliOptions.Seed("seed of the scenarios' order, the kill moments, the writes' volumes, LBAs and sizes");
        Option<int> queueDepth = CliOptions.Int("--queue-depth", "writes in flight", 16, 1, 1024);
        Option<int> luns = CliOptions.Int("--luns", "mirrored LUNs (P-VOL and local S-VOL, one mirror name)", 4, 2, 16);
        Option<int> capacity = CliOptions.Int("--capacity-mib", "each LDEV's size in MiB (every block is read back after every restart)", 4, 1, 1024);
        Option<string> policy = CliOptions.Choice("--policy", "the file store's write policy", "write-through", "write-through", "write-back");
        Option<CrashScenario[]> scenarios = new("--scenario")
        {
            Description = "run only this scenario (repeatable): " + RunnableNames(),
            HelpName = "NAME",
            Arity = ArgumentArity.OneOrMore,
            CustomParser = result =>
            {
                List<CrashScenario> chosen = [];
                foreach (System.CommandLine.Parsing.Token token in result.Tokens)
                {
                    if (!CrashScenarios.TryParse(token.Value, out CrashScenario scenario, out string? error))
                    {
                        CliOptions.Refuse(result, error!);
                        return [];
                    }

                    if (!chosen.Contains(scenario))
                    {
                        chosen.Add(scenario);
                    }
                }

                return [.. chosen];
            },
        };
        Option<bool> powerCut = new("--power-cut") { Description = "instead of controllerd: an embedded controller on disks and a state directory that a simulated power cut drops or tears (unsynced writes lost at seeded random), --crashes cuts on the deterministic scheduler" };
        Option<bool> json = CliOptions.Json();
        Command command = new("crash-test", "start controllerd on a store of its own, kill it with SIGKILL at seeded moments (under load, in an initial copy, a resync, atomic splits of both mechanisms by list and by name, a determining pair's swap resync with a second controllerd it starts), restart it and check every acknowledged write, pair state, split image and S = P after resync; exit 1 on any loss") { daemon, restart, directory, crashes, seed, queueDepth, luns, capacity, policy, scenarios, powerCut, json };
        command.Validators.Add(result =>
        {
            if (result.GetValue(daemon) is not null && result.GetValue(restart) is not null)
            {
                result.AddError("bad argument: --daemon and --restart-command are two ways to start controllerd: give one");
            }

            if (result.GetValue(powerCut) && (result.GetValue(daemon) ?? result.GetValue(restart) ?? result.GetValue(directory)) is not null)
            {
                result.AddError("bad argument '--power-cut': the power-cut run is embedded (no controllerd, no directory on disk); give --crashes, --seed and --policy only");
            }

            if (result.GetValue(restart) is string text && !text.Contains("{config}", StringComparison.Ordinal))
            {
                result.AddError("bad argument '--restart-command': it must contain {config}, where the configuration file the crash test writes goes (e.g. \"dotnet controllerd.dll --config {config}\")");
            }
        });
        command.SetAction(parsed => parsed.GetValue(powerCut) ? RunPowerCuts(parsed.GetValue(crashes), parsed.GetValue(seed), parsed.GetValue(policy) == "write-back", parsed.GetValue(json)) : Run(parsed.GetValue(daemon), parsed.GetValue(restart), parsed.GetValue(directory), new CrashTestOptions(null, null, string.Empty, parsed.GetValue(crashes), parsed.GetValue(seed), parsed.GetValue(queueDepth), parsed.GetValue(luns), parsed.GetValue(capacity), parsed.GetValue(policy) == "write-back", Chosen(parsed.GetValue(scenarios))), parsed.GetValue(json)));
        return command;
    }

    // The embedded mode: PowerCutRun's cycles, one cut each (docs/durability.md, "The power-cut run").
    private static int RunPowerCuts(int cuts, ulong seed, bool writeBack, bool json)
    {
        PowerCutRunOptions options = new() { Seed = seed, Cuts = cuts, Policy = writeBack ? Controller.Firmware.Media.WriteCachePolicy.WriteBack : Controller.Firmware.Media.WriteCachePolicy.WriteThrough };
        PowerCutRunResult result = PowerCutRun.Run(options);
        PowerCutReport report = new(result, options);
        Console.Out.WriteLine(json ? report.ToJson() : report.ToText());
        return result.Passed ? 0 : 1;
    }

    private static string RunnableNames()
    {
        List<string> names = [];
        foreach (CrashScenario scenario in CrashScenarios.Runnable)
        {
            names.Add(CrashScenarios.NameOf(scenario));
        }

        return string.Join(", ", names);
    }

    private static IReadOnlyList<CrashScenario> Chosen(CrashScenario[]? scenarios)
    {
        return scenarios is { Length: > 0 } ? scenarios : CrashScenarios.Runnable;
    }

    private static int Run(string? daemon, string? restart, string? directory, CrashTestOptions options, bool json)
    {
        if (restart is null)
        {
            daemon ??= Path.Combine(AppContext.BaseDirectory, "controllerd.dll");
            if (!File.Exists(daemon))
            {
                Console.Error.WriteLine("hostsim crash-test: no controllerd at '" + daemon + "': pass --daemon PATH (e.g. firmware/Controller.Daemon/bin/Release/net10.0/controllerd.dll after dotnet build -c Release) or --restart-command CMD");
                return Program.BadUsage;
            }

            daemon = Path.GetFullPath(daemon);
        }

        bool temporary = directory is null;
        if (directory is null)
        {
            directory = Directory.CreateTempSubdirectory("hostsim-crash-test-").FullName;
        }
        else
        {
            directory = Path.GetFullPath(directory);
            if (File.Exists(directory) || (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any()))
            {
                Console.Error.WriteLine("hostsim crash-test: bad argument '--dir': '" + directory + "' is not an empty directory; the crash test writes its own configuration and store there (give a new or empty directory)");
                return Program.BadUsage;
            }

            Directory.CreateDirectory(directory);
        }

        options = options with { Daemon = daemon, RestartCommand = restart, Directory = directory };
        CrashTopology topology = new(options.Luns, options.CapacityMib);
        string config = Path.Combine(directory, "controllerd.conf");

        // SS2 only when the determining-swap scenario runs: a second daemon and its links cost every run that does
        // not need them a start, and a restart command that breaks the store on purpose would break SS2's too.
        SwapTopology? swap = options.Scenarios.Contains(CrashScenario.DeterminingSwap) ? SwapTopology.OnFreePorts() : null;
        if (swap is not null)
        {
            // The links between SS1 and SS2 authenticate with a key of this run (docs/remote-copy.md).
            swap.KeyFile = Path.Combine(directory, "remote-copy.key");
            File.WriteAllText(swap.KeyFile, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) + "\n");
        }

        File.WriteAllText(config, topology.Configuration(Path.Combine(directory, "store"), options.WriteBack, swap));
        ControllerdTarget? ss2 = null;
        if (swap is not null)
        {
            string ss2Directory = Directory.CreateDirectory(Path.Combine(directory, "ss2")).FullName;
            string ss2Config = Path.Combine(ss2Directory, "controllerd.conf");
            File.WriteAllText(ss2Config, swap.Ss2Configuration(Path.Combine(ss2Directory, "store"), options.WriteBack, options.CapacityMib, topology.CopyRate));
            ss2 = new ControllerdTarget(ss2Config, daemon, restart);
        }

        // The target: a real controllerd killed with SIGKILL. The embedded power-cut mode (an embedded controller on
        // a power-cut store) is another ICrashTarget, chosen here by its option; the rounds and checks are the same.
        ControllerdTarget target = new(config, daemon, restart);
        CrashTestRun run = new(options, target, topology, swap, ss2);
        try
        {
            run.RunAsync().GetAwaiter().GetResult();
        }
        finally
        {
            target.DisposeAsync().AsTask().GetAwaiter().GetResult();
            ss2?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        bool passed = run.Findings.IsClean && run.Crashes == options.Crashes;
        CrashTestReport report = new(run, options, target.Description, directory + (temporary && passed ? " (removed: the run passed)" : " (kept: controllerd.conf, controllerd.log, store/)"));
        Console.Out.WriteLine(json ? report.ToJson() : report.ToText());
        if (temporary && passed)
        {
            Directory.Delete(directory, recursive: true);
        }

        return passed ? 0 : 1;
    }
}
