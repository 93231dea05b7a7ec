// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Text;
using Controller.Addressing;
using Controller.Firmware.PairVocabulary;
using Controller.Initiator;
using Controller.Wire;
using Controller.Wire.CopyManagement;

namespace Controller.Target.Tests;

/// <summary>
/// Issue #19 item 1: copy-management commands obey LUN security. The rig's port A has host groups "prod" (host
/// 0x010200 and 0x010300: LUNs 1-4 and the command device) and "test" (host 0x010400: LUN 1 and the command device);
/// port B is open. The attack measured from outside: a host whose group maps one LUN copied, overwrote, split and
/// deleted another host's volumes and pairs, and nothing was logged.
/// </summary>
[TestFixture]
[Category("Security")]
public sealed class CopyManagementSecurityTests
{
    private static readonly WirePair s_prodPair = Pair(TargetRig.PortA, 3, TargetRig.PortA, 4);
    private TargetRig _rig = null!;

    [SetUp]
    public void SetUp()
    {
        _rig = new TargetRig(commandDevice: true);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _rig.DisposeAsync();
    }

    [Test]
    public async Task AHostCannotCopyAnotherHostsVolumeIntoItsOwn()
    {
        InitiatorPort limited = await _rig.ConnectAsync(TargetRig.LimitedHost);
        ScsiResult result = await SendAsync(limited, CopyManagementRequest.ForPair(CopyManagementOpcode.PairCreate, Pair(TargetRig.PortA, 3, TargetRig.PortA, 1)));
        Assert.Multiple(() =>
        {
            Assert.That(result.Sense, Is.EqualTo(new SenseData(SenseData.DataProtect, 0x74, 0x71)), "07/74/71 LOGICAL UNIT ACCESS NOT AUTHORIZED: " + result);
            Assert.That(_rig.Subsystem.Pairs.GetPairs(), Is.Empty, "no pair, no copy of LUN 3");
            Assert.That(Refusal(), Does.Contain("volume 0x400104/0x0003 is not mapped to initiator 0x010400"), "the reason names the volume and the initiator");
        });
    }

    [Test]
    public async Task AHostCannotOverwriteAnotherHostsVolumeByAReversePair()
    {
        InitiatorPort limited = await _rig.ConnectAsync(TargetRig.LimitedHost);
        ScsiResult result = await SendAsync(limited, CopyManagementRequest.ForPair(CopyManagementOpcode.PairCreate, Pair(TargetRig.PortA, 1, TargetRig.PortA, 3)));
        Assert.Multiple(() =>
        {
            Assert.That(result.Sense, Is.EqualTo(new SenseData(SenseData.DataProtect, 0x74, 0x71)), result.ToString());
            Assert.That(_rig.Subsystem.Pairs.GetPairs(), Is.Empty, "LUN 3 is not made an S-VOL");
        });
    }

    [Test]
    public async Task AHostCannotSplitOrDeleteAnotherHostsPair()
    {
        InitiatorPort prod = await _rig.ConnectAsync(TargetRig.Host);
        Assert.That((await SendAsync(prod, CopyManagementRequest.ForPair(CopyManagementOpcode.PairCreate, s_prodPair))).IsGood, Is.True);
        Assert.That(_rig.Subsystem.Pairs.WaitForState(Address(3), Address(4), PairState.Pair, TimeSpan.FromSeconds(30)), Is.True);
        InitiatorPort limited = await _rig.ConnectAsync(TargetRig.LimitedHost);
        ScsiResult split = await SendAsync(limited, CopyManagementRequest.ForPairSplit(s_prodPair, readWrite: true));
        ScsiResult delete = await SendAsync(limited, CopyManagementRequest.ForPair(CopyManagementOpcode.PairDelete, s_prodPair));
        Assert.Multiple(() =>
        {
            Assert.That(split.Sense, Is.EqualTo(new SenseData(SenseData.DataProtect, 0x74, 0x71)), "split: " + split);
            Assert.That(delete.Sense, Is.EqualTo(new SenseData(SenseData.DataProtect, 0x74, 0x71)), "delete: " + delete);
            Assert.That(_rig.Subsystem.Pairs.Find(Address(3), Address(4))?.State, Is.EqualTo(PairState.Pair), "the pair is untouched");
        });
    }

    [Test]
    public async Task PairStatusListsOnlyThePairsInTheSendersScope()
    {
        InitiatorPort prod = await _rig.ConnectAsync(TargetRig.Host);
        Assert.That((await SendAsync(prod, CopyManagementRequest.ForPair(CopyManagementOpcode.PairCreate, s_prodPair))).IsGood, Is.True);
        InitiatorPort limited = await _rig.ConnectAsync(TargetRig.LimitedHost);
        Assert.Multiple(async () =>
        {
            Assert.That(await StatusRowsAsync(prod), Has.Length.EqualTo(1), "the owner sees its pair");
            Assert.That(await StatusRowsAsync(limited), Is.Empty, "another host does not");
        });
    }

    [Test]
    public async Task ALunThatIsNotACommandDeviceRefusesCopyManagementCommands()
    {
        InitiatorPort prod = await _rig.ConnectAsync(TargetRig.Host);
        ScsiResult result = await SendAsync(prod, CopyManagementRequest.ForPair(CopyManagementOpcode.PairCreate, s_prodPair), lun: 1);
        Assert.Multiple(() =>
        {
            Assert.That(result.Sense, Is.EqualTo(new SenseData(SenseData.IllegalRequest, 0x20, 0x00)), "05/20/00 INVALID COMMAND OPERATION CODE: " + result);
            Assert.That(_rig.Subsystem.Pairs.GetPairs(), Is.Empty);
            Assert.That(Refusal(), Does.Contain("is not a command device"));
        });
    }

    [Test]
    public async Task ACommandDeviceIsNeverAPairVolume()
    {
        InitiatorPort prod = await _rig.ConnectAsync(TargetRig.Host);
        ScsiResult result = await SendAsync(prod, CopyManagementRequest.ForPair(CopyManagementOpcode.PairCreate, Pair(TargetRig.PortA, TargetRig.CommandDeviceLun, TargetRig.PortA, 4)));
        Assert.That(result.Sense, Is.EqualTo(SenseData.InvalidFieldInParameterList), result.ToString());
    }

    [Test]
    public async Task AVolumeBehindAnotherPortIsInScopeByThatPortsHostGroups()
    {
        // Port B is open: its LUN 5 is every host's, even without a login there; port A's LUN 3 is not the limited host's.
        InitiatorPort limited = await _rig.ConnectAsync(TargetRig.LimitedHost);
        ScsiResult open = await SendAsync(limited, CopyManagementRequest.ForPair(CopyManagementOpcode.PairCreate, Pair(TargetRig.PortB, 5, TargetRig.PortA, 1)));
        ScsiResult secured = await SendAsync(limited, CopyManagementRequest.ForPair(CopyManagementOpcode.PairCreate, Pair(TargetRig.PortB, 5, TargetRig.PortA, 3)));
        Assert.Multiple(() =>
        {
            Assert.That(open.IsGood, Is.True, "LUN 5 of the open port to the host's own LUN 1: " + open);
            Assert.That(secured.Sense, Is.EqualTo(new SenseData(SenseData.DataProtect, 0x74, 0x71)), "to LUN 3, not the host's: " + secured);
        });
    }

    [Test]
    public async Task ACommandDeviceOnAnOpenPortDoesNotOpenTheVolumesOfASecuredPort()
    {
        // The command device is mapped on open port B too: through it the limited host may name B's volumes, but
        // port A's LUN 3 stays outside its scope, as its host groups say.
        InitiatorPort limited = await _rig.ConnectAsync(TargetRig.LimitedHost, target: TargetRig.PortB);
        WirePair intoAnother = Pair(TargetRig.PortB, 5, TargetRig.PortA, 3);
        CopyManagementRequest request = CopyManagementRequest.ForPair(CopyManagementOpcode.PairCreate, intoAnother);
        byte[] parameters = new byte[request.GetParameterListLength()];
        request.TryWrite(parameters, out _, out _);
        ScsiResult result = await limited.ExecuteAsync(TargetRig.PortB, TargetRig.CommandDeviceLun, Cdb(request), parameters);
        Assert.Multiple(() =>
        {
            Assert.That(result.Sense, Is.EqualTo(new SenseData(SenseData.DataProtect, 0x74, 0x71)), result.ToString());
            Assert.That(_rig.Subsystem.Pairs.GetPairs(), Is.Empty, "LUN 3 is not made an S-VOL");
        });
    }

    [Test]
    public async Task ARemotePairCreateFromASecuredPortNeedsAnExplicitScope()
    {
        InitiatorPort prod = await _rig.ConnectAsync(TargetRig.Host);
        ScsiResult result = await SendAsync(prod, CopyManagementRequest.ForPair(CopyManagementOpcode.PairCreate, Pair(TargetRig.PortA, 3, 0x500000, 3)));
        Assert.Multiple(() =>
        {
            Assert.That(result.Sense, Is.EqualTo(new SenseData(SenseData.DataProtect, 0x74, 0x71)), result.ToString());
            Assert.That(Refusal(), Does.Contain("is on another subsystem"));
        });
    }

    [Test]
    public async Task AnAtomicSplitByNameOfAnotherHostsMirrorsIsRefused()
    {
        InitiatorPort prod = await _rig.ConnectAsync(TargetRig.Host);
        Assert.That((await SendAsync(prod, CopyManagementRequest.ForPair(CopyManagementOpcode.PairCreate, s_prodPair))).IsGood, Is.True);
        Assert.That(_rig.Subsystem.Pairs.WaitForState(Address(3), Address(4), PairState.Pair, TimeSpan.FromSeconds(30)), Is.True);
        Assert.That((await SendAsync(prod, CopyManagementRequest.ForNameMirrors("prod-set", [s_prodPair]))).IsGood, Is.True);
        InitiatorPort limited = await _rig.ConnectAsync(TargetRig.LimitedHost);
        ScsiResult split = await SendAsync(limited, CopyManagementRequest.ForAtomicSplitByName("prod-set", SplitMechanism.Freeze, readWrite: false));
        ScsiResult rename = await SendAsync(limited, CopyManagementRequest.ForNameMirrors("prod-set", []));
        Assert.Multiple(() =>
        {
            Assert.That(split.Sense, Is.EqualTo(new SenseData(SenseData.DataProtect, 0x74, 0x71)), "split by name: " + split);
            Assert.That(rename.Sense, Is.EqualTo(new SenseData(SenseData.DataProtect, 0x74, 0x71)), "deleting the name: " + rename);
            Assert.That(_rig.Subsystem.Pairs.Find(Address(3), Address(4))?.State, Is.EqualTo(PairState.Pair));
            Assert.That(_rig.Subsystem.Pairs.Find(Address(3), Address(4))?.MirrorName, Is.EqualTo("prod-set"));
        });
    }

    [Test]
    public async Task AnExplicitScopeReplacesTheDefaultOne()
    {
        // Host group "test" sees LUN 1 only, but may manage exactly 0x400104/0x0003 and 0x400104/0x0004.
        await using TargetRig rig = new(commandDevice: true, managedByTest: [Address(3), Address(4)]);
        InitiatorPort limited = await rig.ConnectAsync(TargetRig.LimitedHost);
        ScsiResult inScope = await SendAsync(limited, CopyManagementRequest.ForPair(CopyManagementOpcode.PairCreate, s_prodPair));
        ScsiResult seenButNotListed = await SendAsync(limited, CopyManagementRequest.ForPair(CopyManagementOpcode.PairCreate, Pair(TargetRig.PortA, 1, TargetRig.PortA, 2)));
        Assert.Multiple(() =>
        {
            Assert.That(inScope.IsGood, Is.True, "listed volumes: " + inScope);
            Assert.That(seenButNotListed.Sense, Is.EqualTo(new SenseData(SenseData.DataProtect, 0x74, 0x71)), "LUN 1 is seen but not listed: " + seenButNotListed);
            Assert.That(rig.Audit.Last(), Does.Contain("is not in the 'manages' list of host group 'test'"));
        });
    }

    [Test]
    public async Task EveryCommandAcceptedOrRefusedLeavesOneAuditLine()
    {
        InitiatorPort prod = await _rig.ConnectAsync(TargetRig.Host);
        InitiatorPort limited = await _rig.ConnectAsync(TargetRig.LimitedHost);
        await SendAsync(prod, CopyManagementRequest.ForPair(CopyManagementOpcode.PairCreate, s_prodPair));
        await SendAsync(limited, CopyManagementRequest.ForPair(CopyManagementOpcode.PairDelete, s_prodPair));
        await SendAsync(prod, CopyManagementRequest.ForPair(CopyManagementOpcode.PairCreate, s_prodPair), lun: 2);
        await StatusRowsAsync(prod);
        string[] lines = [.. _rig.Audit];
        Assert.That(lines, Has.Length.EqualTo(4), string.Join("\n", lines));
        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Does.Match(@"^audit time=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z initiator=0x010200 port=0x400104 lun=0x00FE ox_id=0x[0-9A-F]{4} command=""PAIR CREATE"" volumes=0x400104/0x0003>0x400104/0x0004 ms=\d+\.\d result=""GOOD""$"));
            Assert.That(lines[1], Does.Contain("initiator=0x010400").And.Contain("command=\"PAIR DELETE\"").And.Contain("result=\"CHECK-CONDITION 07/74/71 volume 0x400104/0x0003 is not mapped to initiator 0x010400"));
            Assert.That(lines[2], Does.Contain("lun=0x0002").And.Contain("result=\"CHECK-CONDITION 05/20/00 LUN 0x0002 of port 0x400104 is not a command device"));
            Assert.That(lines[3], Does.Contain("command=\"PAIR STATUS\"").And.Contain("result=\"GOOD 1 rows\""));
        });
    }

    [Test]
    public async Task InquiryMarksTheCommandDeviceWithACmProduct()
    {
        InitiatorPort prod = await _rig.ConnectAsync(TargetRig.Host);
        Assert.Multiple(async () =>
        {
            Assert.That(await ProductAsync(prod, TargetRig.CommandDeviceLun), Is.EqualTo("FIRMWARE SIM-CM "));
            Assert.That(await ProductAsync(prod, 1), Is.EqualTo("FIRMWARE SIM    "));
        });
    }

    private static async Task<string> ProductAsync(InitiatorPort host, ushort lun)
    {
        byte[] data = new byte[36];
        ScsiResult result = await host.ExecuteAsync(TargetRig.PortA, lun, [0x12, 0, 0, 0, 36, 0], dataIn: data);
        Assert.That(result.IsGood, Is.True, result.ToString());
        return Encoding.ASCII.GetString(data, 16, 16);
    }

    private string Refusal()
    {
        return string.Join("\n", _rig.Audit);
    }

    private static WirePair Pair(int pPort, ushort pLun, int sPort, ushort sLun)
    {
        return new WirePair(new WireVolumeId(new PortId((uint)pPort), pLun), new WireVolumeId(new PortId((uint)sPort), sLun));
    }

    private static VolumeAddress Address(ushort lun)
    {
        return new VolumeAddress(new PortId(TargetRig.PortA), new Lun(lun));
    }

    private static byte[] Cdb(CopyManagementRequest request)
    {
        byte[] cdb = new byte[16];
        request.ToCdb().TryWrite(cdb);
        return cdb;
    }

    private static async Task<ScsiResult> SendAsync(InitiatorPort host, CopyManagementRequest request, ushort lun = TargetRig.CommandDeviceLun)
    {
        byte[] parameters = new byte[request.GetParameterListLength()];
        request.TryWrite(parameters, out _, out _);
        return await host.ExecuteAsync(TargetRig.PortA, lun, Cdb(request), parameters);
    }

    private static async Task<PairStatusRow[]> StatusRowsAsync(InitiatorPort host)
    {
        byte[] status = new byte[PairStatusData.GetLength(8)];
        ScsiResult result = await host.ExecuteAsync(TargetRig.PortA, TargetRig.CommandDeviceLun, Cdb(CopyManagementRequest.ForPairStatus((uint)status.Length)), dataIn: status);
        Assert.That(result.IsGood, Is.True, result.ToString());
        Assert.That(PairStatusData.TryRead(status.AsSpan(0, result.DataInLength), out PairStatusRow[] rows, out _, out string? reason), Is.True, reason);
        return rows;
    }
}
