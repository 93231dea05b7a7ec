// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Net;
using System.Text.Json;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Testing;

namespace Controller.Daemon.Tests.EndToEnd;

/// <summary>
/// Issue #17: <c>hostsim pair</c> against two controllerd joined both ways, addressing a pair from either side. Each
/// of seed 002 FIG 4's 20 cells is driven from the command line: the P-VOL rows to SS1 (which holds the P-VOLs), the
/// S-VOL rows to SS2 with <c>--side svol</c> (SS2 passes them to the owner), one determining pair per state. SS1
/// copies at 1 MiB/s (<c>copy-rate</c>), so the 1 GiB pair stays in COPY for the whole test while the one-track
/// pairs finish their copies in one step. The swap resync leaves a reversed pair, addressed from SS1 by its S-VOL.
/// </summary>
[TestFixture]
[NonParallelizable]
[Category("R2-4")]
[Category("R2-8")]
public sealed class PairSidesAcrossTwoDaemonsTests
{
    private const string Volumes = """
        ldev 00:01 size 1GiB
        ldev 00:02 size 64KiB
        ldev 00:03 size 64KiB
        ldev 00:04 size 64KiB
        ldev 00:05 size 64KiB
        ldev 00:FE size 1MiB command-device
        port {0} open
        lun {0} 0x00FE 00:FE
        lun {0} 0x0001 00:01
        lun {0} 0x0002 00:02
        lun {0} 0x0003 00:03
        lun {0} 0x0004 00:04
        lun {0} 0x0005 00:05
        """;

    // The LUN of the determining pair each FIG 4 state is shown on.
    private static readonly Dictionary<DeterminingState, string> s_lunOf = new()
    {
        [DeterminingState.Copying] = "0x0001",
        [DeterminingState.Paired] = "0x0002",
        [DeterminingState.SuspendNormal] = "0x0003",
        [DeterminingState.SuspendAbnormal] = "0x0004",
        [DeterminingState.NonPaired] = "0x0005",
    };

    private static readonly string[] s_waitNames = ["smpl", "copy", "pair", "psus", "psue"];

    [Test]
    [Category("R2-29")]
    public async Task EveryFig4CellIsDrivenFromTheCommandLineAtTheSideItNames()
    {
        string folder = Directory.CreateTempSubdirectory("pair-sides-").FullName;
        try
        {
            IPEndPoint ss1EndPoint = FreeLoopbackEndPoint();
            File.WriteAllText(Path.Combine(folder, "remote-copy.key"), "a test key of the remote-copy link, 40 bytes\n");
            string ss2Config = Path.Combine(folder, "ss2.conf");
            File.WriteAllText(ss2Config, "serial 2\nremote-copy-peer 0x400200 key remote-copy.key\nremote-copy-path 0x421200 to " + ss1EndPoint + " ports 0x400104 key remote-copy.key\n" + string.Format(System.Globalization.CultureInfo.InvariantCulture, Volumes, "0x421014"));
            using DaemonProcess ss2 = DaemonProcess.Start("--config", ss2Config, "--listen", "127.0.0.1:0");
            IPEndPoint ss2EndPoint = await ss2.WaitUntilListeningAsync();
            string ss1Config = Path.Combine(folder, "ss1.conf");
            File.WriteAllText(ss1Config, "serial 1\ncopy-rate 1MiB\nremote-copy-peer 0x421200 key remote-copy.key\nremote-copy-path 0x400200 to " + ss2EndPoint + " ports 0x421014 key remote-copy.key\n" + string.Format(System.Globalization.CultureInfo.InvariantCulture, Volumes, "0x400104"));
            using DaemonProcess ss1Daemon = DaemonProcess.Start("--config", ss1Config, "--listen", ss1EndPoint.ToString());
            await ss1Daemon.WaitUntilListeningAsync();
            await WaitForLinkAsync(ss1Daemon);
            await WaitForLinkAsync(ss2);
            string ss1 = ss1EndPoint.ToString();
            string ss2Target = ss2EndPoint.ToString();

            // One determining pair per state (none for NON-PAIRED).
            foreach (DeterminingState state in new[] { DeterminingState.Copying, DeterminingState.Paired, DeterminingState.SuspendNormal, DeterminingState.SuspendAbnormal })
            {
                Expect(HostSim(["pair", "create", P(state), S(state), "--determining", "--target", ss1]), 0, "create the " + state + " pair");
            }

            Expect(HostSim(["pair", "wait", P(DeterminingState.Paired), S(DeterminingState.Paired), "--state", "pair", "--timeout", "60", "--target", ss1]), 0, "the one-track pair is copied");
            Arm(ss1);
            Expect(HostSim(["pair", "wait", P(DeterminingState.SuspendAbnormal), S(DeterminingState.SuspendAbnormal), "--state", "pair", "--timeout", "60", "--target", ss1]), 0, "the one-track pair is copied");
            Expect(HostSim(["pair", "fail", P(DeterminingState.SuspendAbnormal), S(DeterminingState.SuspendAbnormal), "--target", ss1]), 0, "PSUE by PAIR SUSPEND BY ERROR");

            // Issue #17 C: PAIR STATUS at SS2 finds its command device itself (SS2 has no port 0x400104).
            (int statusCode, string statusJson, string statusError) = HostSim(["pair", "status", "--target", ss2Target, "--json"]);
            Assert.That(statusCode, Is.Zero, "status at SS2 without --command-device: " + statusError);
            using (JsonDocument rows = JsonDocument.Parse(statusJson))
            {
                string?[] sides = [.. rows.RootElement.GetProperty("pairs").EnumerateArray().Select(r => r.GetProperty("localSide").GetString())];
                Assert.That(sides, Is.EqualTo(new[] { "S-VOL", "S-VOL", "S-VOL", "S-VOL" }), "SS2 holds the four S-VOLs");
            }

            foreach (DeterminingCell cell in DeterminingPairTable.All)
            {
                bool atSVol = cell.Attribute == PairRole.SVol;
                string state = s_waitNames[(int)cell.State];
                string what = cell.Command + " at the " + cell.Attribute + " in " + cell.State;
                string[] sideArguments = atSVol ? ["--target", ss2Target, "--side", "svol"] : ["--target", ss1];
                Expect(HostSim(["pair", "wait", P(cell.State), S(cell.State), "--state", state, "--timeout", "0", .. sideArguments]), cell.State == DeterminingState.NonPaired ? 3 : 0, what + ": the state before");

                (int code, string output, string error) = HostSim(["pair", cell.Command == PairOperation.Resync ? "resync" : "swap", P(cell.State), S(cell.State), .. sideArguments]);

                if (cell.NormalEnd)
                {
                    Assert.That(code, Is.Zero, what + ": NORMAL END: " + output + error);
                    Assert.That(output, Does.EndWith(": GOOD" + Environment.NewLine), what);
                }
                else
                {
                    Assert.That(code, Is.EqualTo(1), what + ": ABNORMAL END: " + output + error);
                    Assert.That(output, Does.Contain("(" + cell.Error + ")"), what + ": names FIG 4's error");
                    Expect(HostSim(["pair", "wait", P(cell.State), S(cell.State), "--state", state, "--timeout", "0", .. sideArguments]), cell.State == DeterminingState.NonPaired ? 3 : 0, what + ": nothing changed");
                }

                if (cell.NormalEnd && cell.Command == PairOperation.Resync)
                {
                    // The lock was taken: the pair copies back to PAIR; split again for the next cell.
                    Expect(HostSim(["pair", "wait", P(cell.State), S(cell.State), "--state", "pair", "--timeout", "60", "--target", ss1]), 0, "resynced");
                    Arm(ss1);
                }
            }

            // The swap resync at the S-VOL made SS2 the owner: the reversed pair, addressed from either subsystem.
            string newPVol = S(DeterminingState.SuspendNormal);
            string newSVol = P(DeterminingState.SuspendNormal);
            Expect(HostSim(["pair", "wait", newPVol, newSVol, "--state", "pair", "--timeout", "60", "--target", ss2Target]), 0, "the swapped pair copies back to PAIR at its new owner");
            Expect(HostSim(["pair", "split", newPVol, newSVol, "--target", ss1, "--side", "svol"]), 0, "a split of the reversed pair sent to its S-VOL at SS1 reaches the owner");
            Expect(HostSim(["pair", "wait", newPVol, newSVol, "--state", "psus", "--timeout", "0", "--target", ss2Target]), 0, "and split it");
            (int reversed, _, string reversedError) = HostSim(["pair", "resync", newPVol, newSVol, "--target", ss1]);
            Assert.That(reversed, Is.EqualTo(1), "without --side the P-VOL's port is not at SS1");
            Assert.That(reversedError, Does.Contain("has no port 0x421014; if it holds the S-VOL 0x400104,0x0003, send the command to the S-VOL side: --side svol"), reversedError);

            Expect(HostSim(["pair", "delete", P(DeterminingState.Copying), S(DeterminingState.Copying), "--target", ss1]), 0, "the copying pair deleted");
            Assert.That(await ss1Daemon.TerminateAsync(), Is.Zero);
            Assert.That(await ss2.TerminateAsync(), Is.Zero);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public async Task ARefusedLoginSaysWhichSideOrCommandDeviceToPass()
    {
        string folder = Directory.CreateTempSubdirectory("pair-sides-").FullName;
        try
        {
            string config = Path.Combine(folder, "other.conf");
            File.WriteAllText(config, "ldev 00:01 size 1MiB\nldev 00:02 size 1MiB command-device\nport 0x500000 open\nlun 0x500000 0x0007 00:01\nlun 0x500000 0x0008 00:02\n");
            using DaemonProcess daemon = DaemonProcess.Start("--config", config, "--listen", "127.0.0.1:0");
            string target = (await daemon.WaitUntilListeningAsync()).ToString();

            (int status, _, string statusError) = HostSim(["pair", "status", "--target", target]);
            (int found, string foundText, string foundError) = HostSim(["pair", "status", "--target", target, "--command-device", "0x500000,0x0008"]);
            (int split, _, string splitError) = HostSim(["pair", "split", "0x400104,0x0001", "0x500000,0x0007", "--target", target]);

            Assert.That(status, Is.EqualTo(1), "no known port: " + statusError);
            Assert.That(statusError, Does.Contain("PLOGI to 0x400104 was rejected").And.Contain("PLOGI to 0x421014 was rejected"), "says what it tried");
            Assert.That(statusError, Does.Contain("pass --command-device PORT-ID,LUN"), "and what to pass");
            Assert.That(found, Is.Zero, "with the command device given: " + foundError);
            Assert.That(foundText, Does.StartWith("Entry"), "the (empty) pairdisplay table");
            Assert.That(split, Is.EqualTo(1));
            Assert.That(splitError, Does.Contain("has no port 0x400104; if it holds the S-VOL 0x500000,0x0007, send the command to the S-VOL side: --side svol"), splitError);
            Assert.That(await daemon.TerminateAsync(), Is.Zero);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string P(DeterminingState state) => "0x400104," + s_lunOf[state];

    private static string S(DeterminingState state) => "0x421014," + s_lunOf[state];

    // Splits the suspend-normal pair once it is in PAIR: the armed state of a determining pair.
    private static void Arm(string ss1)
    {
        DeterminingState armed = DeterminingState.SuspendNormal;
        Expect(HostSim(["pair", "wait", P(armed), S(armed), "--state", "pair", "--timeout", "60", "--target", ss1]), 0, "the pair to arm is in PAIR");
        Expect(HostSim(["pair", "split", P(armed), S(armed), "--target", ss1]), 0, "split: armed");
        Expect(HostSim(["pair", "wait", P(armed), S(armed), "--state", "psus", "--timeout", "60", "--target", ss1]), 0, "PSUS");
    }

    private static void Expect((int Code, string Output, string Error) run, int code, string why)
    {
        Assert.That(run.Code, Is.EqualTo(code), why + ": " + run.Output + run.Error);
    }

    private static (int Code, string Output, string Error) HostSim(string[] args)
    {
        return ConsoleCapture.Run(() => Controller.HostSim.Program.Run(args));
    }

    private static IPEndPoint FreeLoopbackEndPoint()
    {
        using System.Net.Sockets.TcpListener probe = new(IPAddress.Loopback, 0);
        probe.Start();
        return (IPEndPoint)probe.LocalEndpoint;
    }

    private static async Task WaitForLinkAsync(DaemonProcess daemon)
    {
        static bool Up(DaemonProcess d) => d.Output.Any(line => line.Contains(" is up (logged in to", StringComparison.Ordinal));
        for (int i = 0; i < 300 && !Up(daemon); i++)
        {
            await Task.Delay(50);
        }

        Assert.That(Up(daemon), Is.True, "the remote-copy path came up: " + string.Join(" | ", daemon.Output));
    }
}
