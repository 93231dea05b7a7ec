// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Text.RegularExpressions;
using Controller.Testing;

namespace Controller.HostSim.Tests.Pairs;

[NonParallelizable]
public sealed class PairCommandTests
{
    private const string Fig7Script = """
        # FIG 7 and FIG 9 against the embedded controller
        create 0x400104,0x0001 0x400104,0x0002
        create 0x400104,0x0004 0x421014,0x0005
        wait 0x400104,0x0001 0x400104,0x0002 --state pair --timeout 60
        wait 0x400104,0x0004 0x421014,0x0005 --state pair --timeout 60
        name AUXSET1 0x400104,0x0001=0x400104,0x0002 0x400104,0x0004=0x421014,0x0005
        atomic-split --name AUXSET1 --mechanism freeze
        status
        resync 0x400104,0x0001 0x400104,0x0002
        wait 0x400104,0x0001 0x400104,0x0002 --state pair --timeout 60
        swap 0x400104,0x0004 0x421014,0x0005
        wait 0x421014,0x0005 0x400104,0x0004 --state pair --timeout 60
        status
        """;

    private string _script = string.Empty;

    [SetUp]
    public void WriteScript()
    {
        _script = Path.Combine(Path.GetTempPath(), "pairs-" + Guid.NewGuid().ToString("N") + ".txt");
    }

    [TearDown]
    public void DeleteScript()
    {
        File.Delete(_script);
    }

    [Test]
    [Category("R0-11")]
    [Category("R0-12")]
    [Category("R0-13")]
    [Category("R0-35")]
    public void AScriptOfPairOperationsRunsAgainstOneEmbeddedControllerAndShowsThePairdisplayTable()
    {
        File.WriteAllText(_script, Fig7Script);

        (int code, string output, string error) = CommandLine.Run(["pair", "run", _script]);

        Assert.That(code, Is.Zero, "every line answers GOOD: " + error);
        SnapshotOptions options = new();
        options.AddScrubber(new Regex("(?<= in )[0-9]+(?= us)"), "Microseconds");
        Snapshot.Verify(output, options: options);
    }

    [Test]
    public void AScriptStopsAtTheFirstRefusedLineAndNamesIt()
    {
        File.WriteAllText(_script, "create 0x400104,0x0001 0x400104,0x0002\nsplit 0x400104,0x0003 0x400104,0x0004\nstatus\n");

        (int code, string output, string error) = CommandLine.Run(["pair", "run", _script]);

        Assert.That(code, Is.EqualTo(1), "a refused command is exit 1");
        Assert.That(output, Does.Contain("PAIR SPLIT 0x400104/0x0003 -> 0x400104/0x0004: CHECK CONDITION 05/80/01 (NotPaired)"), "the answer names the pair error");
        Assert.That(error, Does.Contain(_script + ":2: stopped"), "the script says where it stopped");
        Assert.That(output, Does.Not.Contain("Entry"), "the status after it did not run");
    }

    [Test]
    public void AScriptLineThatDoesNotParseIsBadUsageWithItsLine()
    {
        File.WriteAllText(_script, "status\nsplit 0x400104\n");

        (int code, _, string error) = CommandLine.Run(["pair", "run", _script]);

        Assert.That(code, Is.EqualTo(2), "bad usage");
        Assert.That(error, Does.Contain(_script + ":2: "), "names the line");
    }

    [Test]
    public void WaitingForAPairThatDoesNotExistIsExitThree()
    {
        File.WriteAllText(_script, "wait 0x400104,0x0001 0x400104,0x0002 --timeout 0.05\n");

        (int code, string output, _) = CommandLine.Run(["pair", "run", _script]);

        Assert.That(code, Is.EqualTo(3), "pairevtwait's 'no such pair'");
        Assert.That(output, Does.Contain("no such pair"), "says so");
    }

    [Test]
    public void ABackgroundCommandRunsBesideTheNextAndJoinWaitsForItAndReportsItsExitCode()
    {
        File.WriteAllText(_script, "create 0x400104,0x0001 0x400104,0x0002\n& wait 0x400104,0x0001 0x400104,0x0002 --state pair\nstatus\njoin\n& split 0x400104,0x0003 0x400104,0x0004\njoin\nstatus\n");

        (int code, string output, string error) = CommandLine.Run(["pair", "run", _script]);

        Assert.That(output, Does.Contain("> & wait 0x400104,0x0001").And.Contain("> join"), "the lines are echoed, '&' included");
        Assert.That(output, Does.Contain("PAIR SPLIT 0x400104/0x0003 -> 0x400104/0x0004: CHECK CONDITION"), "the background split of no pair is refused");
        Assert.That(code, Is.EqualTo(1), "join reports the background command's exit code and stops the script");
        Assert.That(error, Does.Contain(":5: the command started with '&' ended with exit code 1"), "naming its line");
        Assert.That(output.Split('\n').Count(l => l.StartsWith("Entry Name", StringComparison.Ordinal)), Is.EqualTo(1), "the script stopped at the second join: the last status never ran");
    }

    [Test]
    public void AnAmpersandAloneIsABadLine()
    {
        File.WriteAllText(_script, "&\n");

        (int code, _, string error) = CommandLine.Run(["pair", "run", _script]);

        Assert.That(code, Is.EqualTo(2), "bad usage");
        Assert.That(error, Does.Contain(":1: '&' starts a command without waiting for it; a command must follow"));
    }

    [Test]
    public void AtomicSplitTakesPairsOrANameNotBoth()
    {
        File.WriteAllText(_script, "atomic-split 0x400104,0x0001=0x400104,0x0002 --name AUXSET1\n");

        (int code, string output, _) = CommandLine.Run(["pair", "run", _script]);

        Assert.That(code, Is.EqualTo(2), "bad usage");
        Assert.That(output, Does.Contain("either pairs"), "says what it takes");
    }

    /// <summary>
    /// Issue #17: an embedded controller lasts one command, so a single command without --target is refused (exit
    /// 2) with the way to a controller that lasts: controllerd's command line, or a script for 'pair run'.
    /// </summary>
    [TestCase("create", "0x400104,0x0001", "0x400104,0x0002")]
    [TestCase("split", "0x400104,0x0001", "0x400104,0x0002")]
    [TestCase("status")]
    [TestCase("wait", "0x400104,0x0001", "0x400104,0x0002")]
    [TestCase("atomic-split", "--name", "AUXSET1")]
    public void ASingleCommandWithoutATargetIsRefusedAndSaysHowToGetAControllerThatLasts(params string[] command)
    {
        (int code, string output, string error) = CommandLine.Run(["pair", .. command]);

        Assert.That(code, Is.EqualTo(2), "bad usage, nothing sent");
        Assert.That(output, Is.Empty, "no answer printed: no controller was made");
        Assert.That(error, Does.Contain("hostsim pair " + command[0] + ": --target H:P is required: an embedded controller lasts only one command"), "says why");
        Assert.That(error, Does.Contain("dotnet run -c Release --project firmware/Controller.Daemon -- --config docs/controllerd.conf"), "the exact command that starts controllerd");
        Assert.That(error, Does.Contain("--target 127.0.0.1:3225"), "and the address to pass");
        Assert.That(error, Does.Contain("'hostsim pair run SCRIPT'"), "or the script form");
    }

    [Test]
    public void AScriptAddressesAPairByItsSVolWithSideSvol()
    {
        // The embedded controller holds both volumes: the command sent to the S-VOL's LUN is decided as the P-VOL's.
        File.WriteAllText(_script, "create 0x400104,0x0004 0x421014,0x0005\nwait 0x400104,0x0004 0x421014,0x0005 --state pair --side svol\nsplit 0x400104,0x0004 0x421014,0x0005 --side svol\nstatus\n");

        (int code, string output, string error) = CommandLine.Run(["pair", "run", _script]);

        Assert.That(code, Is.Zero, error + output);
        Assert.That(output, Does.Contain("PAIR SPLIT 0x400104/0x0004 -> 0x421014/0x0005 (sent to the S-VOL): GOOD"), "the split went to the S-VOL's port and LUN");
        Assert.That(output, Does.Match("0x400104/0x0004 +PSUS"), "and split the pair");
    }
}
