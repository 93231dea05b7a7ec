// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using System.Net;
using System.Text.Json;
using Controller.Initiator;
using Controller.Testing;

namespace Controller.Daemon.Tests.EndToEnd;

/// <summary>
/// Remote pairs across kill -9 of real controllerd processes (issue #18, docs/durability.md's remote rows): SS1 (the
/// primary) and SS2 (the secondary), each with <c>store file</c>, joined both ways. A remote pair is made and written,
/// the primary is killed and restarted (the pair comes back PSUE at SS1, its link peer followed), resynced, and the
/// S-VOL read at SS2 equals the P-VOL read at SS1; then the same with the secondary killed. A primary killed during
/// the initial copy comes back copying, tells the secondary (which suspended its side) and copies again once its link
/// is up. A determining pair keeps its
/// flag and its roles across kills of each owner, and the cluster's RESERVE (resync at the P-VOL, swap resync at the
/// S-VOL) gets FIG 4's answer for the restored state.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RemotePairStateAcrossRestartsTests
{
    private const int Host = 0x010200;
    private const int Ss1Port = 0x400104;
    private const int Ss2Port = 0x421014;
    private const string PVol = "0x400104,0x0001";
    private const string SVol = "0x421014,0x0001";
    private const string Dv1 = "0x400104,0x0020";
    private const string Dv2 = "0x421014,0x0020";
    private const int Blocks = 8192;

    private string _folder = string.Empty;
    private IPEndPoint _ss1 = null!;
    private IPEndPoint _ss2 = null!;
    private string _ss1Config = string.Empty;
    private string _ss2Config = string.Empty;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Directory.CreateTempSubdirectory("remote-restart-").FullName;
        File.WriteAllText(Path.Combine(_folder, "remote-copy.key"), "a test key of the remote-copy link, 40 bytes\n");
        _ss1Config = string.Empty;
        _ss2Config = string.Empty;
        _ss2 = null!;
    }

    [TearDown]
    public void DeleteFolder()
    {
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public async Task ARemotePairSurvivesAKillOfEachSideAndAResyncMakesTheSVolEqualToThePVol()
    {
        DaemonProcess ss2 = await StartSs2Async();
        DaemonProcess ss1 = await StartSs1Async();
        try
        {
            await WaitForLinksAsync(ss1, 1);
            Expect(HostSim("pair", "create", PVol, SVol, "--target", _ss1.ToString()), "create the remote pair");
            Expect(HostSim("pair", "wait", PVol, SVol, "--state", "pair", "--timeout", "60", "--target", _ss1.ToString()), "PAIR");

            // The copy reached PAIR by itself; the next command's answer keeps that (docs/durability.md): a create again, a no-op.
            Expect(HostSim("pair", "create", PVol, SVol, "--target", _ss1.ToString()), "create again: a no-op in PAIR");
            await WriteAsync(_ss1, Ss1Port, 0, 21);
            Assert.That(await ReadAsync(_ss2, Ss2Port), Is.EqualTo(await ReadAsync(_ss1, Ss1Port)), "mirrored before the kill");

            // kill -9 of the primary: it comes back PSUE (its last update copies may not have reached SS2).
            await KillAsync(ss1);
            ss1 = await StartSs1Async();
            await WaitForLinksAsync(ss1, 1);
            Assert.That(ss1.Output, Has.Some.Contains("remote pair 0x400104, 0x0001 -> 0x421014, 0x0001 restored at its primary (P-VOL here, link remote-copy path 0x400200 -> " + _ss2 + "): PSUE (kept PAIR)"));
            Assert.That(Row(_ss1, PVol, SVol), Is.EqualTo(("P-VOL", "PSUE")), "the primary after kill -9: suspended by error");
            Assert.That(Row(_ss2, PVol, SVol), Is.EqualTo(("S-VOL", "PSUE")), "the secondary suspended its side when the link went");
            await WriteAsync(_ss1, Ss1Port, 3000, 22);
            Expect(HostSim("pair", "resync", PVol, SVol, "--target", _ss1.ToString()), "resync after the primary's restart");
            Expect(HostSim("pair", "wait", PVol, SVol, "--state", "pair", "--timeout", "60", "--target", _ss1.ToString()), "PAIR again");
            Assert.That(await ReadAsync(_ss2, Ss2Port), Is.EqualTo(await ReadAsync(_ss1, Ss1Port)), "S equals P after the primary's kill and the resync");

            // kill -9 of the secondary: the primary suspends and marks; the secondary comes back as it kept the row.
            await KillAsync(ss2);
            int linksBefore = Links(ss1);
            ss2 = await StartSs2Async();
            Assert.That(ss2.Output, Has.Some.Contains("remote pair 0x400104, 0x0001 -> 0x421014, 0x0001 restored at its secondary (S-VOL here, following primary 0x400200): PAIR"));
            await WriteAsync(_ss1, Ss1Port, 5000, 23);
            await WaitForLinksAsync(ss1, linksBefore + 1);
            Assert.That(Row(_ss1, PVol, SVol), Is.EqualTo(("P-VOL", "PSUE")), "the primary suspended when its link went");
            Expect(HostSim("pair", "resync", PVol, SVol, "--target", _ss1.ToString()), "resync after the secondary's restart");
            Expect(HostSim("pair", "wait", PVol, SVol, "--state", "pair", "--timeout", "60", "--target", _ss1.ToString()), "PAIR again");
            Assert.That(Row(_ss2, PVol, SVol), Is.EqualTo(("S-VOL", "PAIR")), "the secondary followed the primary");
            Assert.That(await ReadAsync(_ss2, Ss2Port), Is.EqualTo(await ReadAsync(_ss1, Ss1Port)), "S equals P after the secondary's kill and the resync");
            Assert.That(await ss1.TerminateAsync(), Is.Zero);
            Assert.That(await ss2.TerminateAsync(), Is.Zero);
        }
        finally
        {
            // The last daemons' logs, for a failure's reader.
            TestContext.Out.WriteLine("SS1:\n" + string.Join("\n", ss1.Output) + "\nSS2:\n" + string.Join("\n", ss2.Output));
            ss1.Dispose();
            ss2.Dispose();
        }
    }

    [Test]
    public async Task APrimaryKilledDuringTheInitialCopyCopiesAgainOnceTheLinkIsBackAndItsSVolIsNeverAPlainVolume()
    {
        DaemonProcess ss2 = await StartSs2Async();
        DaemonProcess ss1 = await StartSs1Async("copy-rate 512KiB\n");
        try
        {
            await WaitForLinksAsync(ss1, 1);
            await WriteAsync(_ss1, Ss1Port, 0, 31);
            Expect(HostSim("pair", "create", PVol, SVol, "--target", _ss1.ToString()), "create: the initial copy runs at 512 KiB/s, 8 s for the 4 MiB");
            Assert.That(Row(_ss1, PVol, SVol), Is.EqualTo(("P-VOL", "COPY")), "copying when killed");

            await KillAsync(ss1);
            ss1 = await StartSs1Async("copy-rate 512KiB\n");
            Assert.That(ss1.Output, Has.Some.Contains("remote pair 0x400104, 0x0001 -> 0x421014, 0x0001 restored at its primary (P-VOL here, link remote-copy path 0x400200 -> " + _ss2 + "): COPY, copying every track again once the link is up"));
            Assert.That(Row(_ss2, PVol, SVol), Is.EqualTo(("S-VOL", "PSUE")), "the secondary suspended its side when the link went: its S-VOL is not a volume of its own");
            Expect(HostSim("pair", "wait", PVol, SVol, "--state", "pair", "--timeout", "120", "--target", _ss1.ToString()), "the copy started again once the link was up and finished");
            Assert.That(Row(_ss2, PVol, SVol), Is.EqualTo(("S-VOL", "PAIR")), "the secondary was told COPY, took the copy, then PAIR");
            Assert.That(await ReadAsync(_ss2, Ss2Port), Is.EqualTo(await ReadAsync(_ss1, Ss1Port)), "S equals P");
            Assert.That(await ss1.TerminateAsync(), Is.Zero);
            Assert.That(await ss2.TerminateAsync(), Is.Zero);
        }
        finally
        {
            TestContext.Out.WriteLine("SS1:\n" + string.Join("\n", ss1.Output) + "\nSS2:\n" + string.Join("\n", ss2.Output));
            ss1.Dispose();
            ss2.Dispose();
        }
    }

    [Test]
    public async Task ADeterminingPairKeepsItsFlagAndRolesAcrossKillsAndReserveGetsFig4sAnswer()
    {
        DaemonProcess ss2 = await StartSs2Async();
        DaemonProcess ss1 = await StartSs1Async();
        try
        {
            await WaitForLinksAsync(ss1, 1);
            await WaitForLinksAsync(ss2, 1);
            string ss1Target = _ss1.ToString();
            string ss2Target = _ss2.ToString();
            Expect(HostSim("pair", "create", Dv1, Dv2, "--determining", "--target", ss1Target), "create the determining pair");
            Expect(HostSim("pair", "wait", Dv1, Dv2, "--state", "pair", "--timeout", "60", "--target", ss1Target), "PAIR");
            Expect(HostSim("pair", "split", Dv1, Dv2, "--target", ss1Target), "armed: suspend normal");

            // kill -9 of the owner: the armed pair comes back armed (PSUS) and determining.
            await KillAsync(ss1);
            int ss2Links = Links(ss2);
            ss1 = await StartSs1Async();
            await WaitForLinksAsync(ss1, 1);
            await WaitForLinksAsync(ss2, ss2Links + 1);
            Assert.That(RowOf(_ss1, Dv1, Dv2).GetProperty("determining").GetBoolean(), Is.True, "still a determining pair");
            Assert.That(Row(_ss1, Dv1, Dv2), Is.EqualTo(("P-VOL", "PSUS")), "still armed after the owner's kill -9");

            // SD2's host reserves: its volume is the S-VOL, so PAIR SWAP RESYNC passed to the owner: NORMAL END.
            (int won, string wonText, string wonError) = HostSim("pair", "swap", Dv1, Dv2, "--target", ss2Target, "--side", "svol");
            Assert.That(won, Is.Zero, "suspend normal x swap resync at the S-VOL: NORMAL END: " + wonText + wonError);
            Expect(HostSim("pair", "wait", Dv2, Dv1, "--state", "pair", "--timeout", "60", "--target", ss2Target), "SD2 owns the pair and copied it back to PAIR");

            // SD2's host reserves again, now at the P-VOL: PAIRED x resync, the lock is held (and the answer keeps PAIR).
            (int held, string heldText, string heldError) = HostSim("pair", "resync", Dv2, Dv1, "--target", ss2Target);
            Assert.That(held, Is.EqualTo(1), "ABNORMAL END: " + heldText + heldError);
            Assert.That(heldText, Does.Contain("(DeterminingPairHeld)"));

            // kill -9 of the new owner: the roles survive; the held pair is suspended by error there (a crash).
            await KillAsync(ss2);
            int ss1Links = Links(ss1);
            ss2 = await StartSs2Async();
            await WaitForLinksAsync(ss2, 1);
            await WaitForLinksAsync(ss1, ss1Links + 1);
            Assert.That(ss2.Output, Has.Some.Contains("remote pair 0x421014, 0x0020 -> 0x400104, 0x0020 restored at its primary (P-VOL here, link remote-copy path 0x421200 -> " + _ss1 + "): PSUE (kept PAIR)"));
            Assert.That(Row(_ss2, Dv2, Dv1), Is.EqualTo(("P-VOL", "PSUE")), "SD2 still owns the pair");
            Assert.That(RowOf(_ss2, Dv2, Dv1).GetProperty("determining").GetBoolean(), Is.True);

            // SD1's host reserves: its volume is the S-VOL now: FIG 4, SUSPEND (ABNORMAL) x swap resync: ABNORMAL END.
            (int lost, string lostText, string lostError) = HostSim("pair", "swap", Dv2, Dv1, "--target", ss1Target, "--side", "svol");
            Assert.That(lost, Is.EqualTo(1), "ABNORMAL END: " + lostText + lostError);
            Assert.That(lostText, Does.Contain("(SuspendedByError)"), "FIG 4's error for the restored state");
            (int atOwner, string ownerText, string ownerError) = HostSim("pair", "resync", Dv2, Dv1, "--target", ss2Target);
            Assert.That(atOwner, Is.EqualTo(1), "ABNORMAL END at the P-VOL too: " + ownerText + ownerError);
            Assert.That(ownerText, Does.Contain("(SuspendedByError)"));
            Assert.That(await ss1.TerminateAsync(), Is.Zero);
            Assert.That(await ss2.TerminateAsync(), Is.Zero);
        }
        finally
        {
            // The last daemons' logs, for a failure's reader.
            TestContext.Out.WriteLine("SS1:\n" + string.Join("\n", ss1.Output) + "\nSS2:\n" + string.Join("\n", ss2.Output));
            ss1.Dispose();
            ss2.Dispose();
        }
    }

    private async Task<DaemonProcess> StartSs2Async()
    {
        if (_ss2Config.Length == 0)
        {
            _ss1 = FreeLoopbackEndPoint();
            _ss2Config = Path.Combine(_folder, "ss2.conf");
            File.WriteAllText(_ss2Config, "serial 2\nstore file " + Path.Combine(_folder, "ss2") + "\nremote-copy-peer 0x400200 key remote-copy.key\nremote-copy-path 0x421200 to " + _ss1 + " ports 0x400104 key remote-copy.key\n" + Volumes("0x421014"));
        }

        DaemonProcess ss2 = DaemonProcess.Start("--config", _ss2Config, "--listen", _ss2 is null ? "127.0.0.1:0" : _ss2.ToString());
        _ss2 = await ss2.WaitUntilListeningAsync();
        return ss2;
    }

    private async Task<DaemonProcess> StartSs1Async(string settings = "")
    {
        if (_ss1Config.Length == 0)
        {
            _ss1Config = Path.Combine(_folder, "ss1.conf");
            File.WriteAllText(_ss1Config, settings + "serial 1\nstore file " + Path.Combine(_folder, "ss1") + "\nremote-copy-peer 0x421200 key remote-copy.key\nremote-copy-path 0x400200 to " + _ss2 + " ports 0x421014 key remote-copy.key\n" + Volumes("0x400104"));
        }

        DaemonProcess ss1 = DaemonProcess.Start("--config", _ss1Config, "--listen", _ss1.ToString());
        await ss1.WaitUntilListeningAsync();
        return ss1;
    }

    private static string Volumes(string port)
    {
        return "ldev 00:01 size 4MiB\nldev 00:20 size 1MiB\nldev 00:FE size 1MiB command-device\nport " + port + " open\nlun " + port + " 0x0001 00:01\nlun " + port + " 0x0020 00:20\nlun " + port + " 0x00FE 00:FE\n";
    }

    private static async Task KillAsync(DaemonProcess daemon)
    {
        await daemon.SignalAsync("KILL");
        Assert.That(await daemon.WaitForExitAsync(), Is.Not.Zero, "killed");
        daemon.Dispose();
    }

    private static int Links(DaemonProcess daemon)
    {
        return daemon.Output.Count(line => line.Contains(" is up (logged in to", StringComparison.Ordinal));
    }

    // The daemon's remote-copy path has come up at least this many times (it reconnects every second).
    private static async Task WaitForLinksAsync(DaemonProcess daemon, int times)
    {
        for (int i = 0; i < 1200 && Links(daemon) < times; i++)
        {
            await Task.Delay(50);
        }

        Assert.That(Links(daemon), Is.GreaterThanOrEqualTo(times), "the remote-copy path came up: " + string.Join(" | ", daemon.Output));
    }

    // Writes the first half of the volume in 256 KiB writes of a seeded pattern, starting at a block.
    private static async Task WriteAsync(IPEndPoint endPoint, int port, long firstBlock, int seed)
    {
        Random random = new(seed);
        await using InitiatorPort host = await InitiatorPort.ConnectAsync(endPoint, Host);
        await host.LoginAsync(port);
        for (long lba = firstBlock; lba < firstBlock + (Blocks / 2) && lba < Blocks; lba += 512)
        {
            int blocks = (int)Math.Min(512, Blocks - lba);
            byte[] data = new byte[blocks * 512];
            random.NextBytes(data);
            ScsiResult written = await host.ExecuteAsync(port, 1, Cdb16(0x8A, lba, blocks), data);
            Assert.That(written.IsGood, Is.True, "WRITE(16) at " + lba + ": " + written);
        }
    }

    private static async Task<byte[]> ReadAsync(IPEndPoint endPoint, int port)
    {
        byte[] all = new byte[Blocks * 512];
        await using InitiatorPort host = await InitiatorPort.ConnectAsync(endPoint, Host);
        await host.LoginAsync(port);
        for (int lba = 0; lba < Blocks; lba += 512)
        {
            ScsiResult read = await host.ExecuteAsync(port, 1, Cdb16(0x88, lba, 512), dataIn: all.AsMemory(lba * 512, 512 * 512));
            Assert.That(read.IsGood, Is.True, "READ(16) at " + lba + " from " + endPoint + ": " + read);
        }

        return all;
    }

    private static byte[] Cdb16(byte opcode, long lba, int blocks)
    {
        byte[] cdb = new byte[16];
        cdb[0] = opcode;
        BinaryPrimitives.WriteInt64BigEndian(cdb.AsSpan(2), lba);
        BinaryPrimitives.WriteInt32BigEndian(cdb.AsSpan(10), blocks);
        return cdb;
    }

    // A pair's row at a daemon: its local side and its state (pStatus).
    private static (string Side, string State) Row(IPEndPoint target, string pVol, string sVol)
    {
        JsonElement row = RowOf(target, pVol, sVol);
        return (row.GetProperty("localSide").GetString()!, row.GetProperty("pStatus").GetString()!);
    }

    private static JsonElement RowOf(IPEndPoint target, string pVol, string sVol)
    {
        (int code, string output, string error) = HostSim("pair", "status", "--target", target.ToString(), "--json");
        Assert.That(code, Is.Zero, error + output);
        using JsonDocument status = JsonDocument.Parse(output);
        string p = pVol.Replace(",", "/", StringComparison.Ordinal);
        string s = sVol.Replace(",", "/", StringComparison.Ordinal);
        foreach (JsonElement row in status.RootElement.GetProperty("pairs").EnumerateArray())
        {
            if (row.GetProperty("pVol").GetString() == p && row.GetProperty("sVol").GetString() == s)
            {
                return row.Clone();
            }
        }

        Assert.Fail("no row " + pVol + " -> " + sVol + " at " + target + ": " + output);
        return default;
    }

    private static void Expect((int Code, string Output, string Error) run, string why)
    {
        Assert.That(run.Code, Is.Zero, why + ": " + run.Output + run.Error);
    }

    private static (int Code, string Output, string Error) HostSim(params string[] args)
    {
        return ConsoleCapture.Run(() => Controller.HostSim.Program.Run(args));
    }

    private static IPEndPoint FreeLoopbackEndPoint()
    {
        using System.Net.Sockets.TcpListener probe = new(IPAddress.Loopback, 0);
        probe.Start();
        return (IPEndPoint)probe.LocalEndpoint;
    }
}
