// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using System.Net;
using Controller.Initiator;
using Controller.Testing;

namespace Controller.Daemon.Tests.EndToEnd;

[TestFixture]
[NonParallelizable]
public sealed class ControllerdEndToEndTests
{
    private const int Host = 0x010200;
    private const int Port = 0x400104;
    private string _directory = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = Path.Combine(Path.GetTempPath(), "controllerd-e2e-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void TearDown()
    {
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task AnInitiatorWritesAndReadsBackOverTcpAndTsharkDecodesTheTrace()
    {
        string pcap = Path.Combine(_directory, "trace.pcap");
        using DaemonProcess daemon = DaemonProcess.Start("--config", RepositoryRoot.PathOf("docs/controllerd.conf"), "--listen", "127.0.0.1:0", "--pcap", pcap);
        IPEndPoint endPoint = await daemon.WaitUntilListeningAsync();

        byte[] data = new byte[4096];
        new Random(42).NextBytes(data);
        byte[] back = new byte[4096];
        ScsiResult written;
        ScsiResult read;
        ScsiResult atomicSplit;
        await using (InitiatorPort host = await InitiatorPort.ConnectAsync(endPoint, Host))
        {
            await host.LoginAsync(Port);
            written = await host.ExecuteAsync(Port, 1, Cdb16(0x8A, 16, 8), data);
            read = await host.ExecuteAsync(Port, 1, Cdb16(0x88, 16, 8), dataIn: back);
            await WaitUntilEveryPairIsPairAsync(host);
            atomicSplit = await host.ExecuteAsync(Port, CommandDevice, Fig7Cdb, Fig7Parameters);
        }

        int exitCode = await daemon.TerminateAsync();
        string[] frames = Tshark.Read(pcap);
        string[] decoded = Tshark.Read(pcap, "-X", "lua_script:" + RepositoryRoot.PathOf("tools/wireshark/controller-copy-management.lua"));
        Assert.Multiple(() =>
        {
            Assert.That(written.IsGood, Is.True, "WRITE(16) over TCP: " + written);
            Assert.That(read.IsGood && back.AsSpan().SequenceEqual(data), Is.True, "READ(16) returns the data written: " + read);
            Assert.That(exitCode, Is.Zero, "SIGTERM stops controllerd cleanly: " + string.Join(" | ", daemon.Errors));
            Assert.That(daemon.Output, Has.Some.Contains("stopped ("), "it says it stopped and how many frames it recorded");
            Assert.That(frames, Has.Some.Matches<string>(f => f.Contains("01.02.00 → 40.01.04", StringComparison.Ordinal) && f.Contains("SCSI: Write(16) LUN: 0x01 (LBA: 16, Len: 8)", StringComparison.Ordinal)), "tshark shows the write from the initiator's port ID to the target's:\n" + string.Join("\n", frames));
            Assert.That(frames, Has.Some.Contains("SCSI: Read(16) LUN: 0x01 (LBA: 16, Len: 8)"), "and the read");
            Assert.That(frames, Has.Some.Contains("PLOGI"), "and the login");
            Assert.That(atomicSplit.IsGood, Is.True, "the FIG 7 ATOMIC SPLIT of the two configured pairs succeeds: " + atomicSplit);
            Assert.That(decoded, Has.Some.Contains("ATOMIC SPLIT (freeze, read-only)"), "the Lua plug-in names the vendor CDB:\n" + string.Join("\n", decoded));
            Assert.That(decoded, Has.Some.Contains("ATOMIC SPLIT pairs: 0x400104/0x0001->0x400104/0x0002, 0x400104/0x0004->0x421014/0x0005"), "and shows the pairs of its parameter list");
        });
    }

    [Test]
    public async Task ABadConfigurationIsRefusedWithFileLineAndReason()
    {
        string config = Path.Combine(_directory, "bad.conf");
        await File.WriteAllLinesAsync(config, ["# a bad configuration", "port 0x400104 open", "lun 0x400104 0x0001 00:07"]);
        using DaemonProcess daemon = DaemonProcess.Start("--config", config);
        int exitCode = await daemon.WaitForExitAsync();
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(3), "exit code 3: bad configuration");
            Assert.That(daemon.Errors, Has.Some.Contains("bad.conf:3:"), "the message names the file and line: " + string.Join(" | ", daemon.Errors));
        });
    }

    [Test]
    public async Task TheSampleConfigurationChecksClean()
    {
        using DaemonProcess daemon = DaemonProcess.Start("--config", RepositoryRoot.PathOf("docs/controllerd.conf"), "--check");
        int exitCode = await daemon.WaitForExitAsync();
        Assert.That(exitCode, Is.Zero, "controllerd --check on docs/controllerd.conf: " + string.Join(" | ", daemon.Errors) + string.Join(" | ", daemon.Output));
    }

    // The FIG 7 example of docs/protocol.md, as sent by any initiator (the golden bytes of CopyManagementCodecTests).
    private static byte[] Fig7Cdb => Convert.FromHexString("C9020000000000000024000000000000");

    private static byte[] Fig7Parameters => Convert.FromHexString("00020000" + "00400104000100000040010400020000" + "00400104000400000042101400050000");

    private static byte[] Cdb16(byte opcode, long lba, int blocks)
    {
        byte[] cdb = new byte[16];
        cdb[0] = opcode;
        BinaryPrimitives.WriteInt64BigEndian(cdb.AsSpan(2), lba);
        BinaryPrimitives.WriteInt32BigEndian(cdb.AsSpan(10), blocks);
        return cdb;
    }

    // The command device of docs/controllerd.conf (LDEV 00:FE), where copy-management commands go.
    private const ushort CommandDevice = 0x00FE;

    // The configured pairs start with their initial copy: PAIR STATUS until both rows read PAIR.
    private static async Task WaitUntilEveryPairIsPairAsync(InitiatorPort host)
    {
        byte[] cdb = new byte[16];
        new Controller.Wire.CopyManagement.CopyManagementCdb(Controller.Wire.CopyManagement.CopyManagementOpcode.PairStatus, false, Controller.Wire.CopyManagement.SplitMechanism.ControllerDefault, (uint)Controller.Wire.CopyManagement.PairStatusData.GetLength(2)).TryWrite(cdb);
        for (int attempt = 0; attempt < 1000; attempt++)
        {
            byte[] status = new byte[Controller.Wire.CopyManagement.PairStatusData.GetLength(2)];
            ScsiResult result = await host.ExecuteAsync(Port, CommandDevice, cdb, dataIn: status);
            if (result.IsGood && Controller.Wire.CopyManagement.PairStatusData.TryRead(status, out Controller.Wire.CopyManagement.PairStatusRow[] rows, out _, out _) && rows.Length == 2 && rows.All(r => r.State == 2)) // 2: PAIR
            {
                return;
            }

            await Task.Delay(10);
        }

        Assert.Fail("the configured pairs did not reach PAIR within 10 s");
    }
}
