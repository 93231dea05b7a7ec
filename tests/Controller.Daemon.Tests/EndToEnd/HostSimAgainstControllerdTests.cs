// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Net;
using System.Text.Json;
using Controller.Testing;

namespace Controller.Daemon.Tests.EndToEnd;

/// <summary>
/// hostsim against real controllerd processes on loopback: pair operations and pairdisplay over the wire, and a load
/// recorded against one daemon that replays against a fresh one to the same answers.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class HostSimAgainstControllerdTests
{
    [Test]
    [Category("R0-35")]
    public async Task PairOperationsAndStatusRunAgainstControllerd()
    {
        using DaemonProcess daemon = DaemonProcess.Start("--config", RepositoryRoot.PathOf("docs/controllerd.conf"), "--listen", "127.0.0.1:0");
        string target = (await daemon.WaitUntilListeningAsync()).ToString();

        (int waited, string waitText, _) = HostSim(["pair", "wait", "0x400104,0x0001", "0x400104,0x0002", "--state", "pair", "--timeout", "60", "--target", target]);
        (int waitedOther, _, _) = HostSim(["pair", "wait", "0x400104,0x0004", "0x421014,0x0005", "--state", "pair", "--timeout", "60", "--target", target]);
        (int named, _, string nameError) = HostSim(["pair", "name", "AUXSET1", "0x400104,0x0001=0x400104,0x0002", "0x400104,0x0004=0x421014,0x0005", "--target", target]);
        (int split, string splitText, _) = HostSim(["pair", "atomic-split", "--name", "AUXSET1", "--target", target, "--json"]);
        (int status, string statusText, _) = HostSim(["pair", "status", "--target", target, "--json"]);
        (int refused, string refusedText, _) = HostSim(["pair", "split", "0x400104,0x0003", "0x400104,0x0002", "--target", target]);
        (int timedOut, _, _) = HostSim(["pair", "wait", "0x400104,0x0001", "0x400104,0x0002", "--state", "pair", "--timeout", "0.2", "--target", target]);

        Assert.That(waited, Is.Zero, "the configured pair reaches PAIR: " + waitText);
        Assert.That(waitedOther, Is.Zero, "and the other one");
        Assert.That(named, Is.Zero, "NAME MIRRORS: " + nameError);
        Assert.That(split, Is.Zero, "ATOMIC SPLIT BY NAME: " + splitText);
        using JsonDocument rows = JsonDocument.Parse(statusText);
        Assert.That(status, Is.Zero, "PAIR STATUS");
        Assert.That(rows.RootElement.GetProperty("pairs").EnumerateArray().Select(r => (r.GetProperty("name").GetString(), r.GetProperty("pStatus").GetString())), Is.All.EqualTo(("AUXSET1", "PSUS")), "both members split under the name");
        Assert.That(refused, Is.EqualTo(1), "a refused command exits 1");
        Assert.That(refusedText, Does.Contain("05/80/01 (NotPaired)"), "and names the pair error");
        Assert.That(timedOut, Is.EqualTo(4), "a wait for PAIR of a split pair times out: exit 4");
        Assert.That(await daemon.TerminateAsync(), Is.Zero, "controllerd exits cleanly");
    }

    [Test]
    public async Task ALoadRecordedAgainstControllerdReplaysAgainstAFreshOneToTheSameAnswers()
    {
        string folder = Directory.CreateTempSubdirectory("hostsim-e2e-").FullName;
        string trace = Path.Combine(folder, "load.pcap");
        try
        {
            using (DaemonProcess first = DaemonProcess.Start("--config", RepositoryRoot.PathOf("docs/controllerd.conf"), "--listen", "127.0.0.1:0"))
            {
                IPEndPoint endPoint = await first.WaitUntilListeningAsync();
                (int recorded, string text, string error) = HostSim(["record", trace, "--target", endPoint.ToString(), "--seconds", "0.5", "--read-percent", "40", "--lun", "0x400104,0x0003", "--json"]);
                Assert.That(recorded, Is.Zero, "the recorded load passes: " + error + text);
                await first.TerminateAsync();
            }

            using DaemonProcess fresh = DaemonProcess.Start("--config", RepositoryRoot.PathOf("docs/controllerd.conf"), "--listen", "127.0.0.1:0");
            IPEndPoint freshEndPoint = await fresh.WaitUntilListeningAsync();
            (int replayed, string replayText, string replayError) = HostSim(["replay", trace, "--target", freshEndPoint.ToString(), "--timing", "asap", "--json"]);

            using JsonDocument report = JsonDocument.Parse(replayText);
            Assert.That(replayed, Is.Zero, "the replay passes: " + replayError + replayText);
            Assert.That(report.RootElement.GetProperty("compared").GetInt64(), Is.GreaterThan(100), "the load's answers are compared");
            Assert.That(report.RootElement.GetProperty("matched").GetInt64(), Is.EqualTo(report.RootElement.GetProperty("compared").GetInt64()), "every one matches");
            await fresh.TerminateAsync();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static (int Code, string Output, string Error) HostSim(string[] args)
    {
        return ConsoleCapture.Run(() => Controller.HostSim.Program.Run(args));
    }
}
