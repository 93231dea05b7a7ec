// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.HostSim.CrashTest;

namespace Controller.HostSim.Tests.CrashTest;

/// <summary><c>hostsim crash-test</c>'s usage errors (the runs against a real controllerd are in Controller.Daemon.Tests).</summary>
[NonParallelizable]
public sealed class CrashTestCommandTests
{
    [TestCase(new[] { "crash-test", "--daemon", "x.dll", "--restart-command", "run {config}" }, "give one")]
    [TestCase(new[] { "crash-test", "--restart-command", "dotnet controllerd.dll" }, "it must contain {config}")]
    [TestCase(new[] { "crash-test", "--daemon", "/nonexistent/controllerd.dll" }, "no controllerd at")]
    [TestCase(new[] { "crash-test", "--luns", "1" }, "bad argument '--luns'")]
    [TestCase(new[] { "crash-test", "--crashes", "0" }, "bad argument '--crashes'")]
    [TestCase(new[] { "crash-test", "--policy", "sometimes" }, "bad argument '--policy'")]
    public void BadUsageExitsWithTwoAndSaysWhy(string[] args, string message)
    {
        (int code, _, string error) = CommandLine.Run(args);
        Assert.That(code, Is.EqualTo(2), "bad usage");
        Assert.That(error, Does.Contain(message));
    }

    [Test]
    public void ThePowerCutModeRunsTheEmbeddedCutsAndFailsWhenAcknowledgedWritesAreLost()
    {
        (int code, string output, _) = CommandLine.Run(["crash-test", "--power-cut", "--crashes", "60", "--seed", "7"]);
        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Contain("cuts           60 (").And.Contain(" lost, 0 torn").And.Contain("PASSED"));
        Assert.That(output, Does.Match(@"writes\s+[1-9][0-9,]* acknowledged, 0 lost"), "writes were acknowledged and none lost");

        // Write-back disks answer from their cache: the same kind of cuts lose answered writes, and the run says so.
        (code, output, _) = CommandLine.Run(["crash-test", "--power-cut", "--crashes", "100", "--policy", "write-back", "--json"]);
        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("\"passed\": false"));

        (code, _, string error) = CommandLine.Run(["crash-test", "--power-cut", "--daemon", "controllerd.dll"]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("'--power-cut'"));
    }

    [Test]
    public void ADirectoryThatIsNotEmptyIsRefused()
    {
        string folder = Directory.CreateTempSubdirectory("crash-test-dir-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "something"), "x");
            (int code, _, string error) = CommandLine.Run(["crash-test", "--restart-command", "true {config}", "--dir", folder]);
            Assert.That(code, Is.EqualTo(2), "nothing of the user's is overwritten");
            Assert.That(error, Does.Contain("is not an empty directory"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void EveryScenarioRunsOnceInEachCycleTheDeterminingSwapIncluded()
    {
        int cycle = CrashScenarios.Runnable.Count;
        CrashScenario[] order = CrashScenarios.Order(3 * cycle, new Random(5));
        for (int start = 0; start < order.Length; start += cycle)
        {
            Assert.That(order[start..(start + cycle)], Is.EquivalentTo(CrashScenarios.Runnable), "each cycle is a permutation of the runnable scenarios");
        }

        Assert.That(CrashScenarios.Runnable, Has.Count.EqualTo(8), "load, initial copy, resync, four atomic splits, the determining swap");
        Assert.That(CrashScenarios.Runnable, Does.Contain(CrashScenario.DeterminingSwap), "remote pairs are restored: the swap scenario runs by default");
        Assert.That(Array.TrueForAll(CrashScenarios.All, row => row.NotBuilt is null), Is.True, "no scenario is listed as not built");
    }

    [Test]
    public void ARestartCommandThatFailsToStartIsAFailureNamingIt()
    {
        string folder = Path.Combine(Path.GetTempPath(), "crash-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            (int code, string output, _) = CommandLine.Run(["crash-test", "--restart-command", "echo no daemon here {config}; exit 3", "--dir", folder, "--crashes", "1"]);
            Assert.That(code, Is.EqualTo(1), "the run could not go on");
            Assert.That(output, Does.Contain("exited (code 3) before listening").And.Contain("no daemon here"));
            Assert.That(output, Does.Contain("verdict              FAIL"));
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
