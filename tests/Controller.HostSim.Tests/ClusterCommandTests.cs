// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Text.Json;
using Controller.Testing;

namespace Controller.HostSim.Tests;

/// <summary>
/// <c>hostsim cluster</c>: seed 002's two-host cluster on two embedded subsystems joined both ways. Each named
/// scenario must pass its own checks, end with its expected winner, show the determining pair's state at each step as
/// the figure captions do, and hold R2-21 (at most one host can write the data) at every step.
/// </summary>
public sealed class ClusterCommandTests
{
    [TestCase("case-a", "H1", new[] { "FIG 7", "FIG 8", "FIG 9", "FIG 9" }, Category = "R2-22")]
    [TestCase("case-b", "H2", new[] { "FIG 7", "FIG 9", "FIG 10", "FIG 11", "FIG 12", "FIG 13" }, Category = "R2-23")]
    [TestCase("h1-crash", "H2", new[] { "FIG 7", "FIG 12", "FIG 13" }, Category = "R2-24")]
    [TestCase("site-failure", "none", new[] { "FIG 7", "" }, Category = "R2-25")]
    [TestCase("site-failure-operator", "none", new[] { "FIG 7", "", "" }, Category = "R2-25")]
    [TestCase("link-down", "none", new[] { "FIG 7", "" }, Category = "R2-10")]
    [TestCase("repeated", "H1,H2,H1,H2", new[] { "FIG 7", "FIG 8", "FIG 10", "FIG 12", "FIG 10", "FIG 8", "FIG 10", "FIG 12", "FIG 10" }, Category = "R2-27")]
    public void TheScenarioEndsWithItsWinnerAndTheInvariantHeldAtEveryStep(string scenario, string winner, string[] figures)
    {
        JsonElement root = Run(scenario);
        Assert.That(root.GetProperty("passed").GetBoolean(), Is.True, root.ToString());
        Assert.That(root.GetProperty("winner").GetString(), Is.EqualTo(winner));
        Assert.That(root.GetProperty("invariantHeld").GetBoolean(), Is.True, "R2-21");
        JsonElement[] steps = [.. root.GetProperty("steps").EnumerateArray()];
        Assert.That(steps.Select(s => s.GetProperty("figure").GetString()), Is.EqualTo(figures));
        Assert.That(steps.All(s => s.GetProperty("invariantHeld").GetBoolean() && s.GetProperty("writers").GetArrayLength() <= 1), Is.True, "R2-21 at every step");
        Assert.That(root.GetProperty("checks").EnumerateArray().All(c => c.GetProperty("held").GetBoolean()), Is.True);
    }

    [Test]
    [Category("R2-22")]
    [Category("R2-28")]
    public void CaseAShowsTheCaptionsStatesAndLogsEveryPairCommand()
    {
        JsonElement root = Run("case-a");
        JsonElement[] steps = [.. root.GetProperty("steps").EnumerateArray()];
        Assert.That(steps.Select(s => s.GetProperty("dv1").GetProperty("fig4State").GetString()), Is.EqualTo(new[] { "SUSPENDED (NORMAL)", "PAIRED", "PAIRED", "PAIRED" }), "FIG 7, 8, 9 captions");
        JsonElement[] commands = [.. root.GetProperty("pairCommands").EnumerateArray().Where(c => !c.GetProperty("request").GetString()!.StartsWith("RESERVE (periodic", StringComparison.Ordinal))];
        Assert.That(commands.Select(c => (c.GetProperty("host").GetString(), c.GetProperty("command").GetString(), c.GetProperty("response").GetString())), Is.EqualTo(new[]
        {
            ("H1", "PAIR RESYNCHRONIZATION", "NORMAL END"),
            ("H2", "PAIR SWAP RESYNCHRONIZATION", "ABNORMAL END"),
            ("H1", "none", "NORMAL END"),
        }), "FIG 5: resync at the P-VOL, swap resync at the S-VOL; the owner's re-reserve without a storage command");
        Assert.That(commands[0].GetProperty("before").GetProperty("attribute").GetString(), Is.EqualTo("P-VOL"));
        Assert.That(commands[0].GetProperty("after").GetProperty("state").GetString(), Is.AnyOf("PAIR", "COPY(RS)"));
        Assert.That(commands[1].GetProperty("detail").GetString(), Does.Contain("DeterminingPairHeld"));
    }

    [Test]
    [Category("R2-26")]
    [Category("R2-9")]
    public void WhenOnlyTheHeartbeatFailsExactlyOneHostWinsEveryTime()
    {
        (int code, string output, string error) = ConsoleCapture.Run(() => Program.Run(["cluster", "--scenario", "heartbeat-only", "--runs", "5", "--json"]));
        Assert.That(code, Is.Zero, error + output);
        using JsonDocument report = JsonDocument.Parse(output);
        Assert.That(report.RootElement.GetProperty("passed").GetInt32(), Is.EqualTo(5));
        foreach (JsonElement run in report.RootElement.GetProperty("reports").EnumerateArray())
        {
            Assert.That(run.GetProperty("winner").GetString(), Is.AnyOf("H1", "H2"), "one winner, reported");
        }
    }

    [Test]
    [Category("R2-15")]
    [Category("R2-30")]
    public void TheOwnersReReserveSentToTheStorageFailsAsFig4SaysAndTheOwnerLosesItsOwnLock()
    {
        (int code, string output, string error) = ConsoleCapture.Run(() => Program.Run(["cluster", "--scenario", "case-a", "--re-reserve-command", "--heartbeat-timeout", "80", "--json"]));
        Assert.That(code, Is.EqualTo(1), "the default (no storage command) is what keeps the owner running: " + error + output);
        using JsonDocument report = JsonDocument.Parse(output);
        JsonElement[] commands = [.. report.RootElement.GetProperty("pairCommands").EnumerateArray()];
        Assert.That(commands.Any(c => c.GetProperty("host").GetString() == "H1" && c.GetProperty("request").GetString()!.StartsWith("RESERVE (", StringComparison.Ordinal)
            && c.GetProperty("command").GetString() == "PAIR RESYNCHRONIZATION" && c.GetProperty("response").GetString() == "ABNORMAL END"), Is.True, "the re-reserve reached the storage: resync of a PAIRED determining pair is ABNORMAL END (FIG 4)");
        JsonElement[] checks = [.. report.RootElement.GetProperty("checks").EnumerateArray()];
        Assert.That(checks.Single(c => c.GetProperty("check").GetString() == "the owner's re-reserves succeed without a storage command").GetProperty("held").GetBoolean(), Is.False);
    }

    [Test]
    [Category("R2-15")]
    public void TheOwnerReReservesPeriodicallyWithoutAStorageCommandByDefault()
    {
        JsonElement root = Run("case-a");
        JsonElement[] commands = [.. root.GetProperty("pairCommands").EnumerateArray()];
        JsonElement[] periodic = [.. commands.Where(c => c.GetProperty("request").GetString() == "RESERVE (periodic re-reserve)")];
        Assert.That(periodic, Is.Not.Empty, "the owner defended its reservation while the scenario waited");
        Assert.That(periodic.All(c => c.GetProperty("command").GetString() == "none" && c.GetProperty("response").GetString() == "NORMAL END"), Is.True);
    }

    [Test]
    [Category("R2-15")]
    public void ARESETThatPassesThroughDoesNotReArmAndTheRepeatedScenarioSaysSo()
    {
        (int code, string output, string error) = ConsoleCapture.Run(() => Program.Run(["cluster", "--scenario", "repeated", "--cycles", "2", "--reset-passes-through", "--json"]));
        Assert.That(code, Is.EqualTo(1), error + output);
        using JsonDocument report = JsonDocument.Parse(output);
        JsonElement[] checks = [.. report.RootElement.GetProperty("checks").EnumerateArray()];
        Assert.That(checks.Single(c => c.GetProperty("check").GetString() == "cycle 1: re-armed by the winner's RELEASE").GetProperty("held").GetBoolean(), Is.True);
        Assert.That(checks.Single(c => c.GetProperty("check").GetString() == "cycle 2: re-armed by the winner's RESET").GetProperty("held").GetBoolean(), Is.False, "TEST UNIT READY passed through; the pair stays PAIRED");
    }

    [Test]
    [Category("R2-30")]
    public void WithLatencyOnTheLinkCaseBStillEndsWithItsWinnerAndTheTakeoverTakesLonger()
    {
        (int code, string output, string error) = ConsoleCapture.Run(() => Program.Run(["cluster", "--scenario", "case-b", "--rc-latency", "15", "--copy-rate", "4096", "--json"]));
        Assert.That(code, Is.Zero, error + output);
        using JsonDocument report = JsonDocument.Parse(output);
        Assert.That(report.RootElement.GetProperty("winner").GetString(), Is.EqualTo("H2"));
        Assert.That(report.RootElement.GetProperty("reserveAndTakeoverMilliseconds")[0].GetDouble(), Is.GreaterThanOrEqualTo(15 * 3), "the swap resync, the data pair's split and its swap resync each cross the link at least once");
    }

    [Test]
    [Category("R2-30")]
    public void TheCopyRateReachesBothStoragesCopyEngines()
    {
        JsonElement defaults = Run("heartbeat-only");
        (int code, string output, string error) = ConsoleCapture.Run(() => Program.Run(["cluster", "--scenario", "heartbeat-only", "--copy-rate", "4096", "--json"]));
        Assert.That(code, Is.Zero, error + output);
        using JsonDocument report = JsonDocument.Parse(output);

        // Read back from each storage's copy management table, which paces every copy step by it.
        long[] paced = [.. report.RootElement.GetProperty("copyBytesPerSecond").EnumerateArray().Select(r => r.GetInt64())];
        Assert.That(paced, Is.EqualTo(new[] { 4096L * 1024, 4096L * 1024 }));
        Assert.That(defaults.GetProperty("copyBytesPerSecond")[0].GetInt64(), Is.Not.EqualTo(4096L * 1024), "the default differs");
    }

    [Test]
    [Category("R2-30")]
    public void TheHeartbeatTimeoutAndTheStaggerReachEachHostsClusteringSoftware()
    {
        JsonElement defaults = Run("heartbeat-only");
        Assert.That(defaults.GetProperty("heartbeatTimeoutMilliseconds").GetProperty("H1").GetDouble(), Is.EqualTo(100), "the default, both at once");
        Assert.That(defaults.GetProperty("heartbeatTimeoutMilliseconds").GetProperty("H2").GetDouble(), Is.EqualTo(100));

        // Read back from the hosts, which declare a failure after that long without a heartbeat; --first H2 makes
        // H1's the longer by the stagger, and H2, first to reserve, wins.
        (int code, string output, string error) = ConsoleCapture.Run(() => Program.Run(["cluster", "--scenario", "heartbeat-only", "--heartbeat-timeout", "80", "--stagger", "30", "--first", "H2", "--json"]));
        Assert.That(code, Is.Zero, error + output);
        using JsonDocument report = JsonDocument.Parse(output);
        Assert.That(report.RootElement.GetProperty("heartbeatTimeoutMilliseconds").GetProperty("H1").GetDouble(), Is.EqualTo(110));
        Assert.That(report.RootElement.GetProperty("heartbeatTimeoutMilliseconds").GetProperty("H2").GetDouble(), Is.EqualTo(80));
        Assert.That(report.RootElement.GetProperty("winner").GetString(), Is.EqualTo("H2"));
    }

    [Test]
    [Category("R2-26")]
    [Category("R2-9")]
    public void RunsSummarizeTheWinnersAndEveryRefusalAndTheFirstToReserveWins()
    {
        (int code, string output, string error) = ConsoleCapture.Run(() => Program.Run(["cluster", "--scenario", "heartbeat-only", "--first", "H1", "--stagger", "200", "--runs", "3", "--json"]));
        Assert.That(code, Is.Zero, error + output);
        using JsonDocument report = JsonDocument.Parse(output);
        Assert.That(report.RootElement.GetProperty("winners").GetProperty("H1").GetInt32(), Is.EqualTo(3), "H1 reserved first each time");
        Assert.That(report.RootElement.GetProperty("racedRuns").GetInt32(), Is.EqualTo(3), "both hosts sent a RESERVE in every run");
        Assert.That(report.RootElement.GetProperty("wonByFirstToSend").GetInt32(), Is.EqualTo(3), "the first to send won");
        JsonProperty[] refusals = [.. report.RootElement.GetProperty("refusals").EnumerateObject()];
        Assert.That(refusals.Select(r => r.Name), Is.Not.Empty.And.All.AnyOf("CopyInProgress", "DeterminingPairHeld"), "the loser's FIG 4 ABNORMAL END, never PairBusy or NotPaired");
        Assert.That(refusals.Sum(r => r.Value.GetInt32()), Is.EqualTo(3), "one refusal a run: H2's swap resync");
    }

    [Test]
    public void FirstTakesAHostAndOnlyWithHeartbeatOnly()
    {
        (int code, _, string error) = ConsoleCapture.Run(() => Program.Run(["cluster", "--scenario", "case-a", "--first", "H2"]));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("--first takes H1 or H2, and only with --scenario heartbeat-only"));
        (code, _, error) = ConsoleCapture.Run(() => Program.Run(["cluster", "--scenario", "heartbeat-only", "--first", "H3"]));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("--first takes H1 or H2"));
    }

    [Test]
    public void ListNamesEveryScenarioAndABadNameIsABadUsage()
    {
        (int code, string output, _) = ConsoleCapture.Run(() => Program.Run(["cluster", "--list"]));
        Assert.That(code, Is.Zero);
        Assert.That(output, Does.Contain("case-a").And.Contain("case-b").And.Contain("repeated").And.Contain("heartbeat-only"));
        (code, _, string error) = ConsoleCapture.Run(() => Program.Run(["cluster", "--scenario", "case-z"]));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("no scenario 'case-z'"));
    }

    private static JsonElement Run(string scenario)
    {
        (int code, string output, string error) = ConsoleCapture.Run(() => Program.Run(["cluster", "--scenario", scenario, "--json"]));
        Assert.That(code, Is.Zero, error + output);
        return JsonDocument.Parse(output).RootElement.Clone();
    }
}
