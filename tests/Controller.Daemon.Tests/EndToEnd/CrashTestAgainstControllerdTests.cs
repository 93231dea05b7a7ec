// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Text.Json;

namespace Controller.Daemon.Tests.EndToEnd;

/// <summary>
/// <c>hostsim crash-test</c> against a real controllerd it starts itself (controllerd.dll beside the tests, as
/// <see cref="DaemonProcess"/> runs it): SIGKILLs at seeded moments in every scenario, restarts on the same store, every
/// acknowledged write and pair state checked (docs/durability.md, "The crash test"), the determining swap with a second
/// controllerd (SS2) included. Then daemons that break the promise on purpose, through the restart command, which the
/// checks must catch.
/// </summary>
[NonParallelizable]
public sealed class CrashTestAgainstControllerdTests
{
    private static readonly string[] s_scenarios =
    [
        "load", "initial-copy", "resync", "atomic-split-list-freeze", "atomic-split-list-sequence-cut", "atomic-split-name-freeze", "atomic-split-name-sequence-cut", "determining-swap",
    ];

    private string _folder = string.Empty;

    private static string Daemon => Path.Combine(TestContext.CurrentContext.TestDirectory, "controllerd.dll");

    [SetUp]
    public void CreateFolder()
    {
        _folder = Directory.CreateTempSubdirectory("crash-test-e2e-").FullName;
    }

    [TearDown]
    public void DeleteFolder()
    {
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public void TwentyOneSigkillRestartsInEveryScenarioLoseNoAcknowledgedWrite()
    {
        (int code, string output, string error) = TwoDaemons.HostSim("crash-test", "--daemon", Daemon, "--dir", Path.Combine(_folder, "run"), "--crashes", "21", "--seed", "7", "--json");
        using JsonDocument report = JsonDocument.Parse(output);
        JsonElement root = report.RootElement;
        string problems = string.Join(" | ", root.GetProperty("problems").EnumerateArray().Select(p => p.GetString())) + " " + error;
        Assert.That(code, Is.Zero, "exit 0: every check passed. " + problems);
        Assert.That(root.GetProperty("crashes").GetInt32(), Is.EqualTo(21), "21 SIGKILLs, each followed by a restart on the same store");
        Assert.That(root.GetProperty("writesAcknowledged").GetInt64(), Is.GreaterThan(1000), "a load ran in every round");
        foreach (string count in new[] { "lost", "torn", "misplaced", "pairStateViolations", "splitImageViolations", "atomicityViolations", "sNotEqualP", "failures", "writesNotGood" })
        {
            Assert.That(root.GetProperty(count).GetInt64(), Is.Zero, count + ": " + problems);
        }

        // The checks ran: every P-VOL block after each restart, 5 pair states per restart, an S-VOL compared per pair and round.
        Assert.That(root.GetProperty("blocksChecked").GetInt64(), Is.GreaterThanOrEqualTo(21L * 5 * 8192), "every block of every P-VOL after every restart");
        Assert.That(root.GetProperty("pairsChecked").GetInt64(), Is.GreaterThanOrEqualTo(21L * 5), "every pair's state after every restart");
        Assert.That(root.GetProperty("pairsCompared").GetInt64(), Is.GreaterThanOrEqualTo(21L * 4), "every mirror's S-VOL against its P-VOL after every resync");
        Assert.That(root.GetProperty("splitImagesChecked").GetInt64(), Is.GreaterThan(0), "the atomic splits killed after their answer left split images, checked");
        Assert.That(root.GetProperty("gracefulStopExitCodes").EnumerateArray().Select(c => c.GetInt32()), Is.EqualTo(new[] { 0, 0 }), "a graceful stop exits 0, and after it every pair and block is as left");
        Dictionary<string, JsonElement> scenarios = root.GetProperty("scenarios").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
        foreach (string scenario in s_scenarios)
        {
            Assert.That(scenarios[scenario].GetProperty("runs").GetInt32(), Is.GreaterThanOrEqualTo(1), scenario + " ran");
        }

        // The determining swap ran, and its checks ran and passed: each of its rounds came back clean with its two rows
        // classified (taken, not taken, or two S-VOL rows sent again), none disagreeing; SS2 stopped cleanly at the end.
        int swaps = scenarios["determining-swap"].GetProperty("runs").GetInt32();
        Assert.That(swaps, Is.GreaterThanOrEqualTo(2), "8 scenarios in 21 rounds: each at least twice");
        Assert.That(root.GetProperty("swapsTaken").GetInt64() + root.GetProperty("swapsNotTaken").GetInt64() + root.GetProperty("swapsWithTwoSVols").GetInt64(), Is.EqualTo(swaps), "every swap round's rows were read at both daemons and classified");
        Assert.That(root.GetProperty("roleViolations").GetInt64(), Is.Zero, problems);
        JsonElement[] swapRounds = [.. root.GetProperty("rounds").EnumerateArray().Where(r => r.GetProperty("scenario").GetString() == "determining-swap")];
        Assert.That(swapRounds.Select(r => r.GetProperty("clean").GetBoolean()), Is.All.True, "every determining-swap round's checks passed");
        Assert.That(swapRounds.Select(r => r.GetProperty("statesAfterRestart").GetString()), Is.All.Contain("| SS1 ").And.All.Contain(", SS2 "), "both daemons' rows shown");
        Assert.That(root.GetProperty("ss2GracefulStopExitCode").GetInt32(), Is.Zero, "SS2's graceful stop exits 0");
    }

    [Test]
    [Category("R2-4")]
    public void ADaemonThatForgetsItsDeterminingPairIsCaught()
    {
        // --reset-state at every start of both daemons: whichever the swap round kills comes back without its row.
        string command = "exec dotnet '" + Daemon + "' --config {config} --reset-state";
        (int code, string output, _) = TwoDaemons.HostSim("crash-test", "--restart-command", command, "--dir", Path.Combine(_folder, "run"), "--crashes", "1", "--scenario", "determining-swap", "--json");
        using JsonDocument report = JsonDocument.Parse(output);
        Assert.That(code, Is.EqualTo(1), "exit 1");
        Assert.That(report.RootElement.GetProperty("roleViolations").GetInt64(), Is.GreaterThan(0), "one side has no row of the determining pair: the roles disagree: " + output);
    }

    [Test]
    public void ADaemonThatLosesAcknowledgedWritesIsCaught()
    {
        // Each start empties the first P-VOL's file first: what a store that loses its data would do.
        string command = "truncate -s 0 \"$(dirname {config})/store/ldev-00-01.img\"; exec dotnet '" + Daemon + "' --config {config}";
        (int code, string output, _) = TwoDaemons.HostSim("crash-test", "--restart-command", command, "--dir", Path.Combine(_folder, "run"), "--crashes", "2", "--scenario", "load", "--json");
        using JsonDocument report = JsonDocument.Parse(output);
        Assert.That(code, Is.EqualTo(1), "exit 1 on any loss");
        Assert.That(report.RootElement.GetProperty("lost").GetInt64(), Is.GreaterThan(0), "the writes acknowledged on 0x0001 are missing after the restart");
        Assert.That(report.RootElement.GetProperty("crashes").GetInt32(), Is.EqualTo(1), "the run stops after the round that found it");
    }

    [Test]
    public void ADaemonThatForgetsItsPairsIsCaught()
    {
        // --reset-state at every start: the kept pair state is dropped and the configuration's pairs are copied again.
        string command = "exec dotnet '" + Daemon + "' --config {config} --reset-state";
        (int code, string output, _) = TwoDaemons.HostSim("crash-test", "--restart-command", command, "--dir", Path.Combine(_folder, "run"), "--crashes", "1", "--scenario", "atomic-split-name-freeze", "--json");
        using JsonDocument report = JsonDocument.Parse(output);
        Assert.That(code, Is.EqualTo(1), "exit 1");
        Assert.That(report.RootElement.GetProperty("pairStateViolations").GetInt64(), Is.GreaterThan(0), "an answered split comes back PSUS, not copied again: " + output);
    }
}
