// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Net;
using System.Text.Json;
using Controller.Addressing;
using Controller.Testing;
using Controller.Wire;
using Controller.Wire.Pcap;
using Controller.Wire.RemoteCopy;

namespace Controller.Daemon.Tests.EndToEnd;

/// <summary>
/// Two controllerd processes on loopback joined by their remote-copy link (docs/controllerd-ss1.conf and -ss2.conf):
/// SS1's initiator port logs in to SS2's target port, and hostsim builds the auxiliary system of seed 000 FIG 5
/// across them. SS2's pcap shows the link's FCP exchanges; after the atomic split no copied track crosses it.
/// </summary>
[TestFixture]
[NonParallelizable]
[Category("R0-1")]
[Category("R0-33")]
public sealed class TwoControllerdTests
{
    [TestCase("freeze")]
    [TestCase("sequence-cut")]
    public async Task HostSimBuildsTheAuxiliarySystemAcrossTwoDaemons(string mechanism)
    {
        string folder = Directory.CreateTempSubdirectory("two-controllerd-").FullName;
        string pcap = Path.Combine(folder, "ss2.pcap");
        try
        {
            using DaemonProcess ss2 = DaemonProcess.Start("--config", RepositoryRoot.PathOf("docs/controllerd-ss2.conf"), "--listen", "127.0.0.1:0", "--pcap", pcap);
            IPEndPoint ss2EndPoint = await ss2.WaitUntilListeningAsync();

            // SS1's configuration, with its remote-copy path pointed at wherever SS2 listens.
            File.Copy(RepositoryRoot.PathOf("docs/remote-copy.key"), Path.Combine(folder, "remote-copy.key"), overwrite: true);
            string ss1Config = Path.Combine(folder, "controllerd-ss1.conf");
            File.WriteAllText(ss1Config, File.ReadAllText(RepositoryRoot.PathOf("docs/controllerd-ss1.conf")).Replace("to 127.0.0.1:3226", "to " + ss2EndPoint, StringComparison.Ordinal));
            using DaemonProcess ss1 = DaemonProcess.Start("--config", ss1Config, "--listen", "127.0.0.1:0");
            IPEndPoint ss1EndPoint = await ss1.WaitUntilListeningAsync();
            await WaitForLinkAsync(ss1);

            (int code, string output, string error) = ConsoleCapture.Run(() => Controller.HostSim.Program.Run(["aux-system", "--ss1", ss1EndPoint.ToString(), "--ss2", ss2EndPoint.ToString(), "--mechanism", mechanism, "--writes", "500", "--json"]));
            Assert.That(code, Is.Zero, "hostsim aux-system passes against two daemons: " + error + output);
            using JsonDocument report = JsonDocument.Parse(output);
            JsonElement root = report.RootElement;
            Assert.That(root.GetProperty("lv3Oracle").GetProperty("consistent").GetBoolean(), Is.True);
            Assert.That(root.GetProperty("lv4Oracle").GetProperty("consistent").GetBoolean(), Is.True);
            Assert.That(root.GetProperty("lv3EqualsLv4").GetBoolean(), Is.True, "G3");
            Assert.That(root.GetProperty("productionMirrorPaired").GetBoolean(), Is.True, "G5");
            Assert.That(root.GetProperty("auxDifferentialTracksAtCreate").GetInt64(), Is.Zero, "the report: no track to copy for the auxiliary system");
            Assert.That(root.TryGetProperty("auxCopyBlocksOverLink", out _), Is.False, "the daemons' link is not counted, so no count is claimed (the pcap below counts)");
            Assert.That(await ss1.TerminateAsync(), Is.Zero);
            Assert.That(await ss2.TerminateAsync(), Is.Zero);

            // The link as SS2 recorded it: update copies from 0x400200, and no copied track to LV4 after the split.
            (int updates, int copiedToAux) = CountUpdates(pcap);
            Assert.That(updates, Is.GreaterThan(500), "the production writes crossed the link as RC UPDATE COPY");
            Assert.That(copiedToAux, Is.Zero, "FIG 12: no track was copied to the auxiliary S-VOLs (LUNs 0x0011, 0x0012)");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// SS2 is killed and started again (RAM store: it comes back empty). SS1 suspends the pair at once (fence never: its
    /// host keeps writing), reconnects by itself, and refuses a resync the secondary can no longer take; a delete and
    /// a new create bring the pair back with a full copy.
    /// </summary>
    [Test]
    public async Task ASecondaryRestartSuspendsThePairAndAFreshCreateBringsItBack()
    {
        string folder = Directory.CreateTempSubdirectory("two-controllerd-").FullName;
        try
        {
            DaemonProcess ss2 = DaemonProcess.Start("--config", RepositoryRoot.PathOf("docs/controllerd-ss2.conf"), "--listen", "127.0.0.1:0");
            IPEndPoint ss2EndPoint = await ss2.WaitUntilListeningAsync();
            File.Copy(RepositoryRoot.PathOf("docs/remote-copy.key"), Path.Combine(folder, "remote-copy.key"), overwrite: true);
            string ss1Config = Path.Combine(folder, "controllerd-ss1.conf");
            File.WriteAllText(ss1Config, File.ReadAllText(RepositoryRoot.PathOf("docs/controllerd-ss1.conf")).Replace("to 127.0.0.1:3226", "to " + ss2EndPoint, StringComparison.Ordinal));
            using DaemonProcess ss1 = DaemonProcess.Start("--config", ss1Config, "--listen", "127.0.0.1:0");
            string target = (await ss1.WaitUntilListeningAsync()).ToString();
            await WaitForLinkAsync(ss1, 1);

            Assert.That(HostSim(["pair", "create", "0x400104,0x0001", "0x421014,0x0001", "--target", target]).Code, Is.Zero, "a remote pair created at SS1");
            Assert.That(HostSim(["pair", "wait", "0x400104,0x0001", "0x421014,0x0001", "--state", "pair", "--timeout", "60", "--target", target]).Code, Is.Zero);

            // SS2 goes away: SS1 learns it from its path, at once.
            await ss2.TerminateAsync();
            ss2.Dispose();
            Assert.That(HostSim(["pair", "wait", "0x400104,0x0001", "0x421014,0x0001", "--state", "psue", "--timeout", "30", "--target", target]).Code, Is.Zero, "PSUE once the link is lost");

            // SS2 restarts on the same port; SS1 reconnects by itself; the secondary's side is gone (RAM).
            using DaemonProcess again = DaemonProcess.Start("--config", RepositoryRoot.PathOf("docs/controllerd-ss2.conf"), "--listen", ss2EndPoint.ToString());
            await again.WaitUntilListeningAsync();
            await WaitForLinkAsync(ss1, 2);
            (int resync, string resyncText, _) = HostSim(["pair", "resync", "0x400104,0x0001", "0x421014,0x0001", "--target", target]);
            Assert.That(resync, Is.EqualTo(1), "the secondary cannot resync a pair it no longer has: " + resyncText);
            Assert.That(resyncText, Does.Contain("NotPaired"), resyncText);

            Assert.That(HostSim(["pair", "delete", "0x400104,0x0001", "0x421014,0x0001", "--target", target]).Code, Is.Zero);
            Assert.That(HostSim(["pair", "create", "0x400104,0x0001", "0x421014,0x0001", "--target", target]).Code, Is.Zero, "a fresh create");
            Assert.That(HostSim(["pair", "wait", "0x400104,0x0001", "0x421014,0x0001", "--state", "pair", "--timeout", "60", "--target", target]).Code, Is.Zero, "PAIR again after a full copy");
            Assert.That(await ss1.TerminateAsync(), Is.Zero);
            Assert.That(await again.TerminateAsync(), Is.Zero);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Seed 002 across two daemons joined both ways (each configuration's path to the other): hostsim's two hosts,
    /// each logged in to its own daemon only, arbitrate on the determining pair; H2 reserves first, its swap resync
    /// travels from SS2's initiator 0x421200 to SS1 (the owner), and H2 takes the data pair over.
    /// </summary>
    [Test]
    [Category("R2-23")]
    [Category("R2-9")]
    public async Task TwoHostsArbitrateOnTheDeterminingPairAcrossTwoDaemons()
    {
        string folder = Directory.CreateTempSubdirectory("two-controllerd-cluster-").FullName;
        string pcap = Path.Combine(folder, "ss1.pcap");
        try
        {
            // SS1's address is chosen first: SS2's path back to it is in SS2's configuration.
            IPEndPoint ss1EndPoint = FreeLoopbackEndPoint();
            File.Copy(RepositoryRoot.PathOf("docs/remote-copy.key"), Path.Combine(folder, "remote-copy.key"), overwrite: true);
            string ss2Config = Path.Combine(folder, "controllerd-ss2.conf");
            File.WriteAllText(ss2Config, File.ReadAllText(RepositoryRoot.PathOf("docs/controllerd-ss2.conf")).Replace("to 127.0.0.1:3225", "to " + ss1EndPoint, StringComparison.Ordinal));
            using DaemonProcess ss2 = DaemonProcess.Start("--config", ss2Config, "--listen", "127.0.0.1:0");
            IPEndPoint ss2EndPoint = await ss2.WaitUntilListeningAsync();
            string ss1Config = Path.Combine(folder, "controllerd-ss1.conf");
            File.WriteAllText(ss1Config, File.ReadAllText(RepositoryRoot.PathOf("docs/controllerd-ss1.conf")).Replace("to 127.0.0.1:3226", "to " + ss2EndPoint, StringComparison.Ordinal));
            using DaemonProcess ss1 = DaemonProcess.Start("--config", ss1Config, "--listen", ss1EndPoint.ToString(), "--pcap", pcap);
            await ss1.WaitUntilListeningAsync();
            await WaitForLinkAsync(ss1);
            await WaitForLinkAsync(ss2);

            (int code, string output, string error) = HostSim(["cluster", "--scenario", "case-b", "--sd1", ss1EndPoint.ToString(), "--sd2", ss2EndPoint.ToString(), "--json"]);
            Assert.That(code, Is.Zero, "hostsim cluster case-b passes against two daemons: " + error + output);
            using JsonDocument report = JsonDocument.Parse(output);
            Assert.That(report.RootElement.GetProperty("winner").GetString(), Is.EqualTo("H2"));
            Assert.That(report.RootElement.GetProperty("invariantHeld").GetBoolean(), Is.True, "R2-21");
            Assert.That(await ss1.TerminateAsync(), Is.Zero);
            Assert.That(await ss2.TerminateAsync(), Is.Zero);

            string[] frames = Tshark.Read(pcap, "-Y", "scsi", "-T", "fields", "-e", "fc.s_id", "-e", "fc.d_id", "-e", "_ws.col.Info");
            Assert.That(frames, Has.Some.StartsWith("42.12.00\t40.01.04\tSCSI Command: 0xe1"), "SS2's swap resync reached the owner as RC PAIR CONTROL");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static IPEndPoint FreeLoopbackEndPoint()
    {
        using System.Net.Sockets.TcpListener probe = new(IPAddress.Loopback, 0);
        probe.Start();
        return (IPEndPoint)probe.LocalEndpoint;
    }

    private static (int Code, string Output, string Error) HostSim(string[] args)
    {
        return ConsoleCapture.Run(() => Controller.HostSim.Program.Run(args));
    }

    private static async Task WaitForLinkAsync(DaemonProcess ss1, int times = 1)
    {
        static int Ups(DaemonProcess daemon) => daemon.Output.Count(line => line.Contains(" is up (logged in to", StringComparison.Ordinal));
        for (int i = 0; i < 300 && Ups(ss1) < times; i++)
        {
            await Task.Delay(50);
        }

        Assert.That(Ups(ss1), Is.GreaterThanOrEqualTo(times), "SS1's remote-copy path came up: " + string.Join(" | ", ss1.Output));
    }

    // RC UPDATE COPY commands SS2 received from SS1's initiator, and how many of them were copied tracks to LV4.
    private static (int Updates, int CopiedToAux) CountUpdates(string path)
    {
        int updates = 0;
        int copiedToAux = 0;
        using PcapReader reader = PcapReader.Open(path);
        while (reader.TryReadNext(out PcapRecord record))
        {
            ReadOnlySpan<byte> frame = record.Frame.Span;
            if (!FcFrameHeader.TryRead(frame, out FcFrameHeader header) || header.RoutingControl != FcRoutingControl.Command || header.SourceId != new PortId(0x400200))
            {
                continue;
            }

            ReadOnlySpan<byte> payload = frame[FcFrameHeader.Length..];
            if (!FcpCommand.TryRead(payload, out FcpCommand command, out _) || command.Cdb[0] != RemoteCopyOpcode.UpdateCopy)
            {
                continue;
            }

            updates++;
            bool copiedTrack = (command.Cdb[1] & 1) != 0;
            if (copiedTrack && command.Lun >= 0x11)
            {
                copiedToAux++;
            }
        }

        return (updates, copiedToAux);
    }
}
