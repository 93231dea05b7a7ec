// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Net;
using Controller.Addressing;
using Controller.Initiator;
using Controller.Wire;
using Controller.Wire.CopyManagement;

namespace Controller.Daemon.Tests.EndToEnd;

/// <summary>
/// Issue #19 item 1 on a real controllerd over TCP, as it was measured from outside: host-b (0x020200, whose host
/// group maps LUN 3 and the command device) tries to copy host-a's LUN 1 into its LUN 3, to overwrite LUN 1 by the
/// reverse pair, and to split and delete host-a's pair. Every attempt is refused 07/74/71, host-a's pair and data
/// are untouched, and each command leaves a line in the audit file; the open port is warned about at start.
/// </summary>
[NonParallelizable]
[Category("Security")]
public sealed class CopyManagementSecurityEndToEndTests
{
    private const int Port = 0x400104;
    private const int HostA = 0x010200;
    private const int HostB = 0x020200;
    private const ushort CommandDevice = 0x00FE;
    private static readonly SenseData NotAuthorized = new(SenseData.DataProtect, 0x74, 0x71);
    private string _folder = string.Empty;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Directory.CreateTempSubdirectory("controllerd-security-").FullName;
    }

    [TearDown]
    public void DeleteFolder()
    {
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public async Task AnotherHostsVolumesAndPairsCannotBeReachedByCopyManagementAndEveryTryIsAudited()
    {
        string config = Path.Combine(_folder, "controllerd.conf");
        File.WriteAllText(config, """
            listen 127.0.0.1:0
            audit-log audit.log
            ldev 00:01 size 4MiB
            ldev 00:02 size 4MiB
            ldev 00:03 size 4MiB
            ldev 00:FE size 1MiB command-device
            port 0x400104
            lun 0x400104 0x0001 00:01
            lun 0x400104 0x0002 00:02
            lun 0x400104 0x0003 00:03
            lun 0x400104 0x00FE 00:FE
            host-group host-a 0x400104 initiators 0x010200 luns 0x0001 0x0002 0x00FE
            host-group host-b 0x400104 initiators 0x020200 luns 0x0003 0x00FE
            port 0x421014 open
            """);
        using DaemonProcess daemon = DaemonProcess.Start("--config", config);
        IPEndPoint endPoint = await daemon.WaitUntilListeningAsync();
        WirePair hostAPair = Pair(1, 2);
        await using InitiatorPort hostA = await InitiatorPort.ConnectAsync(endPoint, HostA);
        await hostA.LoginAsync(Port);
        await using InitiatorPort hostB = await InitiatorPort.ConnectAsync(endPoint, HostB);
        await hostB.LoginAsync(Port);

        ScsiResult created = await SendAsync(hostA, CopyManagementRequest.ForPair(CopyManagementOpcode.PairCreate, hostAPair));
        ScsiResult copyOut = await SendAsync(hostB, CopyManagementRequest.ForPair(CopyManagementOpcode.PairCreate, Pair(1, 3)));
        ScsiResult overwrite = await SendAsync(hostB, CopyManagementRequest.ForPair(CopyManagementOpcode.PairCreate, Pair(3, 1)));
        ScsiResult split = await SendAsync(hostB, CopyManagementRequest.ForPairSplit(hostAPair, readWrite: true));
        ScsiResult delete = await SendAsync(hostB, CopyManagementRequest.ForPair(CopyManagementOpcode.PairDelete, hostAPair));
        ScsiResult notACommandDevice = await SendAsync(hostA, CopyManagementRequest.ForPair(CopyManagementOpcode.PairSplit, hostAPair), lun: 1);
        PairStatusRow[] hostARows = await StatusAsync(hostA);
        PairStatusRow[] hostBRows = await StatusAsync(hostB);
        string[] audit = await File.ReadAllLinesAsync(Path.Combine(_folder, "audit.log"));

        Assert.Multiple(() =>
        {
            Assert.That(created.IsGood, Is.True, "host-a creates its own pair: " + created);
            Assert.That(copyOut.Sense, Is.EqualTo(NotAuthorized), "copy host-a's LUN 1 into LUN 3: " + copyOut);
            Assert.That(overwrite.Sense, Is.EqualTo(NotAuthorized), "overwrite LUN 1 from LUN 3: " + overwrite);
            Assert.That(split.Sense, Is.EqualTo(NotAuthorized), "split host-a's pair: " + split);
            Assert.That(delete.Sense, Is.EqualTo(NotAuthorized), "delete host-a's pair: " + delete);
            Assert.That(notACommandDevice.Sense, Is.EqualTo(new SenseData(SenseData.IllegalRequest, 0x20, 0x00)), "LUN 1 is no command device: " + notACommandDevice);
            Assert.That(hostARows, Has.Length.EqualTo(1), "host-a's pair is still there, and host-a sees it");
            Assert.That(hostARows[0].State, Is.AnyOf((byte)1, (byte)2), "COPY or PAIR: not split, not deleted");
            Assert.That(hostBRows, Is.Empty, "host-b does not see host-a's pair");
            Assert.That(audit, Has.Length.EqualTo(8), "one audit line per command:\n" + string.Join("\n", audit));
            Assert.That(audit.Count(line => line.Contains("initiator=0x020200", StringComparison.Ordinal) && line.Contains("CHECK-CONDITION 07/74/71", StringComparison.Ordinal)), Is.EqualTo(4), "host-b's four tries, refused");
            Assert.That(audit[0], Does.Contain("initiator=0x010200 port=0x400104 lun=0x00FE").And.Contain("command=\"PAIR CREATE\" volumes=0x400104/0x0001>0x400104/0x0002").And.EndWith("result=\"GOOD\""));
            Assert.That(daemon.Output, Has.Some.Contains("warning: port 0x421014 is open"), "the open port is warned about");
            Assert.That(daemon.Output, Has.Some.Contains("audit time=").And.Contains("initiator=0x020200"), "audit lines are in the daemon's log too");
        });
    }

    [Test]
    public async Task APortWithNoHostGroupThatIsNotDeclaredOpenIsRefusedAtStart()
    {
        string config = Path.Combine(_folder, "controllerd.conf");
        File.WriteAllText(config, "listen 127.0.0.1:0\nldev 00:01 size 1MiB\nport 0x400104\nlun 0x400104 0x0001 00:01\n");
        using DaemonProcess daemon = DaemonProcess.Start("--config", config);
        Assert.That(await daemon.WaitForExitAsync(), Is.EqualTo(3), "exit code 3: bad configuration");
        Assert.That(string.Join("\n", daemon.Errors), Does.Contain(":3: port 0x400104 has no host group, so every initiator would see every LUN of it"));
    }

    private static WirePair Pair(ushort pLun, ushort sLun)
    {
        return new WirePair(new WireVolumeId(new PortId(Port), pLun), new WireVolumeId(new PortId(Port), sLun));
    }

    private static byte[] Cdb(CopyManagementRequest request)
    {
        byte[] cdb = new byte[16];
        request.ToCdb().TryWrite(cdb);
        return cdb;
    }

    private static async Task<ScsiResult> SendAsync(InitiatorPort host, CopyManagementRequest request, ushort lun = CommandDevice)
    {
        byte[] parameters = new byte[request.GetParameterListLength()];
        request.TryWrite(parameters, out _, out _);
        return await host.ExecuteAsync(Port, lun, Cdb(request), parameters);
    }

    private static async Task<PairStatusRow[]> StatusAsync(InitiatorPort host)
    {
        byte[] status = new byte[PairStatusData.GetLength(8)];
        ScsiResult result = await host.ExecuteAsync(Port, CommandDevice, Cdb(CopyManagementRequest.ForPairStatus((uint)status.Length)), dataIn: status);
        Assert.That(result.IsGood, Is.True, result.ToString());
        Assert.That(PairStatusData.TryRead(status.AsSpan(0, result.DataInLength), out PairStatusRow[] rows, out _, out string? reason), Is.True, reason);
        return rows;
    }
}
