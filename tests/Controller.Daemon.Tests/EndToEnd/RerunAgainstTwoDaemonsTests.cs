// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Text.Json;

namespace Controller.Daemon.Tests.EndToEnd;

/// <summary>
/// Issue #17: the daemons outlive a run, so a scenario finds what the last one left. Each scenario names its pairs
/// (aux-system: AUXSYS, AUXSET, AUXSYS-NEW; cluster: CLUSTER) and, before it starts, deletes the pairs on its volumes
/// that carry its own names; any other pair refuses the run (exit 1, the pair named) and nothing is changed. Every
/// scenario that can run against daemons runs twice in a row on the same two daemons, and aux-system and cluster
/// (which share LUNs 1 and 2) refuse each other rather than taking the other's pairs over.
/// </summary>
[TestFixture]
[NonParallelizable]
[Category("R0-1")]
public sealed class RerunAgainstTwoDaemonsTests
{
    [Test]
    [Category("R0-33")]
    public async Task AuxSystemRunsTwiceInARowWithEitherMechanism()
    {
        await using TwoDaemons daemons = await TwoDaemons.StartAsync();
        string[] mechanisms = ["freeze", "freeze", "sequence-cut", "sequence-cut"];
        for (int run = 0; run < mechanisms.Length; run++)
        {
            (int code, string output, string error) = AuxSystem(daemons, mechanisms[run]);
            Assert.That(code, Is.Zero, "run " + (run + 1) + " (" + mechanisms[run] + "): " + error + output);
            using JsonDocument report = JsonDocument.Parse(output);
            Assert.That(report.RootElement.GetProperty("passed").GetBoolean(), Is.True);
            Assert.That(report.RootElement.TryGetProperty("auxCopyBlocksOverLink", out _), Is.False, "against daemons the link's blocks are not claimed");

            // From the second run on, the first step says it deleted the run before's 8 pairs (2 of each kind).
            string first = report.RootElement.GetProperty("steps")[0].GetProperty("what").GetString()!;
            Assert.That(first, run == 0 ? Does.Not.Contain("deleted first") : Does.Contain("(8 pairs of an earlier run deleted first)"));
        }

        await daemons.StopAsync();
    }

    [TestCase("case-a")]
    [TestCase("case-b")]
    [TestCase("h1-crash")]
    [TestCase("heartbeat-only")]
    [TestCase("repeated")]
    [Category("R2-21")]
    public async Task AClusterScenarioRunsTwiceInARow(string scenario)
    {
        await using TwoDaemons daemons = await TwoDaemons.StartAsync();
        for (int run = 1; run <= 2; run++)
        {
            (int code, string output, string error) = Cluster(daemons, scenario);
            Assert.That(code, Is.Zero, "run " + run + ": " + error + output);
            using JsonDocument report = JsonDocument.Parse(output);
            Assert.That(report.RootElement.GetProperty("invariantHeld").GetBoolean(), Is.True, "R2-21, run " + run);
        }

        await daemons.StopAsync();
    }

    [Test]
    public async Task ClusterAfterAuxSystemRefusesAndLeavesItsPairsAlone()
    {
        await using TwoDaemons daemons = await TwoDaemons.StartAsync();
        Assert.That(AuxSystem(daemons, "freeze").Code, Is.Zero);
        string before = daemons.PairStatus();

        (int code, string output, string error) = Cluster(daemons, "case-b");
        Assert.That(code, Is.EqualTo(1), "cluster refuses: " + error + output);
        Assert.That(output, Is.Empty, "no report: the run did not start");
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), "one line: " + error);
        Assert.That(error, Does.StartWith("hostsim cluster: pairs this scenario does not own are on its volumes"));
        Assert.That(error, Does.Contain("P-VOL 0x400104/0x0001, S-VOL 0x421014/0x0001: remote, PAIR, mirror name 'AUXSYS'"));
        Assert.That(error, Does.Contain("hostsim pair delete"));
        Assert.That(daemons.PairStatus(), Is.EqualTo(before), "aux-system's pairs are as they were: nothing deleted, split or swapped");
        await daemons.StopAsync();
    }

    [Test]
    public async Task AuxSystemAfterClusterRefusesAndLeavesItsPairsAlone()
    {
        await using TwoDaemons daemons = await TwoDaemons.StartAsync();
        Assert.That(Cluster(daemons, "case-b").Code, Is.Zero);
        string before = daemons.PairStatus();

        (int code, string output, string error) = AuxSystem(daemons, "freeze");
        Assert.That(code, Is.EqualTo(1), "aux-system refuses: " + error + output);
        Assert.That(output, Is.Empty, "no report: the run did not start");
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), "one line: " + error);
        Assert.That(error, Does.StartWith("hostsim aux-system: pairs this scenario does not own are on its volumes"));

        // After case-b H2 took both pairs over: SD2 owns them (P-VOL first), and they carry the cluster's name again.
        Assert.That(error, Does.Contain("P-VOL 0x421014/0x0001, S-VOL 0x400104/0x0001: remote, PAIR, mirror name 'CLUSTER'"));
        Assert.That(error, Does.Contain("P-VOL 0x421014/0x0002, S-VOL 0x400104/0x0002: remote, PAIR, mirror name 'CLUSTER'"));
        Assert.That(daemons.PairStatus(), Is.EqualTo(before), "the cluster's pairs are as they were");
        await daemons.StopAsync();
    }

    [Test]
    public async Task AnUnnamedPairOnAVolumeOfTheScenarioRefusesItAndStaysAsItWas()
    {
        await using TwoDaemons daemons = await TwoDaemons.StartAsync();
        Assert.That(TwoDaemons.HostSim("pair", "create", "0x400104,0x0011", "0x421014,0x0011", "--target", daemons.Ss1).Code, Is.Zero, "someone's own remote pair LV3 -> LV4, no mirror name");
        Assert.That(TwoDaemons.HostSim("pair", "wait", "0x400104,0x0011", "0x421014,0x0011", "--state", "pair", "--timeout", "60", "--target", daemons.Ss1).Code, Is.Zero);
        string before = daemons.PairStatus();

        (int code, string output, string error) = AuxSystem(daemons, "freeze");
        Assert.That(code, Is.EqualTo(1), "aux-system refuses: " + error + output);
        Assert.That(error, Does.Contain("P-VOL 0x400104/0x0011, S-VOL 0x421014/0x0011: remote, PAIR, no mirror name"));
        Assert.That(daemons.PairStatus(), Is.EqualTo(before), "the pair is as it was, and aux-system created nothing");
        await daemons.StopAsync();
    }

    private static (int Code, string Output, string Error) AuxSystem(TwoDaemons daemons, string mechanism)
    {
        return TwoDaemons.HostSim("aux-system", "--ss1", daemons.Ss1, "--ss2", daemons.Ss2, "--mechanism", mechanism, "--writes", "200", "--json");
    }

    private static (int Code, string Output, string Error) Cluster(TwoDaemons daemons, string scenario)
    {
        return TwoDaemons.HostSim("cluster", "--scenario", scenario, "--sd1", daemons.Ss1, "--sd2", daemons.Ss2, "--cycles", "2", "--json");
    }
}
