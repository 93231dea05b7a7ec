// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Initiator;
using Controller.Wire;
using Controller.Wire.CopyManagement;

namespace Controller.Target.Tests;

[TestFixture]
public sealed class CopyManagementTargetTests
{
    private static readonly WirePair s_pair = new(new WireVolumeId(new PortId(TargetRig.PortA), 1), new WireVolumeId(new PortId(TargetRig.PortA), 2));
    private TargetRig _rig = null!;

    [SetUp]
    public void SetUp()
    {
        _rig = new TargetRig();
    }

    [TearDown]
    public async Task TearDown()
    {
        await _rig.DisposeAsync();
    }

    [Test]
    [Category("R0-7")]
    public async Task PairCommandsOverTheWireDriveTheCopyManagementTable()
    {
        InitiatorPort host = await _rig.ConnectAsync();
        ScsiResult create = await SendAsync(host, CopyManagementRequest.ForPair(CopyManagementOpcode.PairCreate, s_pair));
        bool paired = _rig.Subsystem.Pairs.WaitForState(Address(1), Address(2), PairState.Pair, TimeSpan.FromSeconds(30));
        ScsiResult sVolWrite = await host.ExecuteAsync(TargetRig.PortA, 2, TargetRig.Write16(0, 8), new byte[4096]);
        ScsiResult split = await SendAsync(host, CopyManagementRequest.ForPairSplit(s_pair, readWrite: true));
        ScsiResult afterSplit = await host.ExecuteAsync(TargetRig.PortA, 2, TargetRig.Write16(0, 8), new byte[4096]);
        byte[] status = new byte[PairStatusData.GetLength(1)];
        ScsiResult statusResult = await host.ExecuteAsync(TargetRig.PortA, 1, Cdb(CopyManagementRequest.ForPairStatus((uint)status.Length)), dataIn: status);
        PairStatusData.TryRead(status, out PairStatusRow[] rows, out int total, out string? reason);
        Assert.Multiple(() =>
        {
            Assert.That(create.IsGood, Is.True, "PAIR CREATE: " + create);
            Assert.That(paired, Is.True, "the initial copy finishes");
            Assert.That(sVolWrite.Sense, Is.EqualTo(SenseData.WriteProtected), "a host write to the S-VOL of a PAIR is DATA PROTECT / WRITE PROTECTED: " + sVolWrite);
            Assert.That(split.IsGood, Is.True, "PAIR SPLIT read/write: " + split);
            Assert.That(afterSplit.IsGood, Is.True, "the split S-VOL accepts writes: " + afterSplit);
            Assert.That(statusResult.IsGood && total == 1, Is.True, "PAIR STATUS returns the one row: " + statusResult + " " + reason);
            Assert.That(rows[0].State, Is.EqualTo((byte)PairState.Psus), "the row says PSUS");
            Assert.That(rows[0].SplitMode, Is.EqualTo(1), "read/write split");
            Assert.That(rows[0].DifferentialTracks, Is.EqualTo(1), "the S-VOL write marked one track");
        });
    }

    /// <summary>
    /// Issue #17: PAIR STATUS carries the tracks the last copy copied (bytes 80-87) and its set's size (88-95): the
    /// initial copy's every track of the volume, then a resync's only the tracks written on the P-VOL while split.
    /// </summary>
    [Test]
    public async Task PairStatusCarriesTheTracksTheLastCopyCopied()
    {
        const long VolumeTracks = TargetRig.Blocks * 512 / (64 * 1024);
        const int BlocksPerTrack = 64 * 1024 / 512;
        InitiatorPort host = await _rig.ConnectAsync();
        ScsiResult create = await SendAsync(host, CopyManagementRequest.ForPair(CopyManagementOpcode.PairCreate, s_pair));
        bool paired = _rig.Subsystem.Pairs.WaitForState(Address(1), Address(2), PairState.Pair, TimeSpan.FromSeconds(30));
        PairStatusRow afterCreate = await StatusRowAsync(host);
        ScsiResult split = await SendAsync(host, CopyManagementRequest.ForPairSplit(s_pair, readWrite: false));

        // Three tracks written on the P-VOL while split (two writes land in track 5): the resync copies those three.
        long[] lbas = [0, 5 * BlocksPerTrack, (5 * BlocksPerTrack) + 8, 9 * BlocksPerTrack];
        List<ScsiResult> writes = [];
        foreach (long lba in lbas)
        {
            writes.Add(await host.ExecuteAsync(TargetRig.PortA, 1, TargetRig.Write16(lba, 8), new byte[4096]));
        }

        ScsiResult resync = await SendAsync(host, CopyManagementRequest.ForPair(CopyManagementOpcode.PairResync, s_pair));
        bool resynced = _rig.Subsystem.Pairs.WaitForState(Address(1), Address(2), PairState.Pair, TimeSpan.FromSeconds(30));
        PairStatusRow afterResync = await StatusRowAsync(host);
        Assert.Multiple(() =>
        {
            Assert.That(create.IsGood && paired && split.IsGood && resync.IsGood && resynced, Is.True, "create, split, resync: " + create + " " + split + " " + resync);
            Assert.That(writes.All(w => w.IsGood), Is.True, "the P-VOL writes while split");
            Assert.That((afterCreate.CopiedTracks, afterCreate.CopyTotalTracks), Is.EqualTo(((ulong?)VolumeTracks, (ulong?)VolumeTracks)), "the initial copy copied every track of the volume");
            Assert.That((afterResync.CopiedTracks, afterResync.CopyTotalTracks), Is.EqualTo(((ulong?)3, (ulong?)3)), "the resync copied the three tracks written while split");
        });
    }

    [Test]
    public async Task ARejectedPairCommandCarriesTheVendorAscAndThePairErrorCode()
    {
        InitiatorPort host = await _rig.ConnectAsync();
        ScsiResult result = await SendAsync(host, CopyManagementRequest.ForPairSplit(s_pair, readWrite: false));
        Assert.That(result.Sense, Is.EqualTo(new SenseData(SenseData.IllegalRequest, 0x80, (byte)PairErrorCode.NotPaired)), "splitting volumes that form no pair: 05/80/01 " + result);
    }

    [Test]
    public async Task CreatingAPairWithAnUnmappedVolumeIsVolumeNotMapped()
    {
        // Port B is open (no host group), so LUN 0x77 there is in the host's scope but maps nothing. (On port A, whose
        // host groups do not show LUN 0x77, it is outside the scope: 07/74/71, CopyManagementSecurityTests.)
        InitiatorPort host = await _rig.ConnectAsync();
        await host.LoginAsync(TargetRig.PortB);
        WirePair pair = new(new WireVolumeId(new PortId(TargetRig.PortA), 1), new WireVolumeId(new PortId(TargetRig.PortB), 0x77));
        ScsiResult result = await SendAsync(host, CopyManagementRequest.ForPair(CopyManagementOpcode.PairCreate, pair));
        Assert.That(result.Sense, Is.EqualTo(SenseData.VolumeNotMapped), "05/81/00: " + result);
    }

    [Test]
    public async Task AParameterListOfTheWrongLengthIsParameterListLengthError()
    {
        InitiatorPort host = await _rig.ConnectAsync();
        CopyManagementRequest request = CopyManagementRequest.ForPair(CopyManagementOpcode.PairResync, s_pair);
        byte[] cdb = Cdb(request);
        byte[] parameters = new byte[request.GetParameterListLength() + 4];
        cdb[9] = (byte)parameters.Length;
        ScsiResult result = await host.ExecuteAsync(TargetRig.PortA, 1, cdb, parameters);
        Assert.That(result.Sense, Is.EqualTo(SenseData.ParameterListLengthError), "a 24-byte list for one pair (20 bytes): " + result);
    }

    [TestCase(SplitMechanism.Freeze)]
    [TestCase(SplitMechanism.SequenceCut)]
    [Category("R0-11")]
    [Category("R0-12")]
    [Category("R0-13")]
    public async Task NameMirrorsAndAtomicSplitByNameAndByListRunOverTheWire(SplitMechanism mechanism)
    {
        InitiatorPort host = await _rig.ConnectAsync();
        WirePair first = s_pair;
        WirePair second = new(new WireVolumeId(new PortId(TargetRig.PortA), 3), new WireVolumeId(new PortId(TargetRig.PortA), 4));
        Assert.That((await SendAsync(host, CopyManagementRequest.ForPair(CopyManagementOpcode.PairCreate, first))).IsGood, Is.True);
        Assert.That((await SendAsync(host, CopyManagementRequest.ForPair(CopyManagementOpcode.PairCreate, second))).IsGood, Is.True);
        Assert.That(_rig.Subsystem.Pairs.WaitForState(Address(1), Address(2), PairState.Pair, TimeSpan.FromSeconds(30)), Is.True);
        Assert.That(_rig.Subsystem.Pairs.WaitForState(Address(3), Address(4), PairState.Pair, TimeSpan.FromSeconds(30)), Is.True);

        ScsiResult named = await SendAsync(host, CopyManagementRequest.ForNameMirrors("AUXSET1", [first, second]));
        ScsiResult byName = await SendAsync(host, CopyManagementRequest.ForAtomicSplitByName("AUXSET1", mechanism, readWrite: false));
        IReadOnlyList<MirrorPair> pairs = _rig.Subsystem.Pairs.GetPairs();
        ScsiResult again = await SendAsync(host, CopyManagementRequest.ForAtomicSplit([first, second], mechanism, readWrite: false));
        await SendAsync(host, CopyManagementRequest.ForPair(CopyManagementOpcode.PairResync, first));
        await SendAsync(host, CopyManagementRequest.ForPair(CopyManagementOpcode.PairResync, second));
        Assert.That(_rig.Subsystem.Pairs.WaitForState(Address(1), Address(2), PairState.Pair, TimeSpan.FromSeconds(30)), Is.True);
        Assert.That(_rig.Subsystem.Pairs.WaitForState(Address(3), Address(4), PairState.Pair, TimeSpan.FromSeconds(30)), Is.True);
        ScsiResult byList = await SendAsync(host, CopyManagementRequest.ForAtomicSplit([first, second], mechanism, readWrite: true));
        ScsiResult unknown = await SendAsync(host, CopyManagementRequest.ForAtomicSplitByName("NOSUCH", mechanism, readWrite: false));
        Assert.Multiple(() =>
        {
            Assert.That(named.IsGood, Is.True, "NAME MIRRORS: " + named);
            Assert.That(byName.IsGood, Is.True, "ATOMIC SPLIT BY NAME: " + byName);
            Assert.That(pairs.Select(p => p.State), Is.All.EqualTo(PairState.Psus), "both members split");
            Assert.That(pairs.Select(p => p.SplitSequence).Distinct().Count(), Is.EqualTo(1), "at one split point");
            Assert.That(again.Sense, Is.EqualTo(new SenseData(SenseData.IllegalRequest, 0x80, (byte)PairErrorCode.PairSuspended)), "splitting split pairs again is refused by the pre-check: " + again);
            Assert.That(byList.IsGood, Is.True, "ATOMIC SPLIT by list after a resync: " + byList);
            Assert.That(_rig.Subsystem.Pairs.GetPairs().Select(p => p.SplitMode), Is.All.EqualTo(SplitMode.ReadWrite), "read/write as the RW bit asks");
            Assert.That(unknown.Sense, Is.EqualTo(new SenseData(SenseData.IllegalRequest, 0x80, (byte)PairErrorCode.UnknownMirrorName)), "an unknown name: " + unknown);
        });
    }

    private static VolumeAddress Address(ushort lun)
    {
        return new VolumeAddress(new PortId(TargetRig.PortA), new Lun(lun));
    }

    private static byte[] Cdb(CopyManagementRequest request)
    {
        byte[] cdb = new byte[16];
        new CopyManagementCdb(request.Opcode, request.ReadWrite, request.Mechanism, request.Opcode == CopyManagementOpcode.PairStatus ? request.AllocationLength : (uint)request.GetParameterListLength()).TryWrite(cdb);
        return cdb;
    }

    private static async Task<ScsiResult> SendAsync(InitiatorPort host, CopyManagementRequest request)
    {
        byte[] parameters = new byte[request.GetParameterListLength()];
        request.TryWrite(parameters, out _, out _);
        return await host.ExecuteAsync(TargetRig.PortA, 1, Cdb(request), parameters);
    }

    private static async Task<PairStatusRow> StatusRowAsync(InitiatorPort host)
    {
        byte[] status = new byte[PairStatusData.GetLength(1)];
        ScsiResult result = await host.ExecuteAsync(TargetRig.PortA, 1, Cdb(CopyManagementRequest.ForPairStatus((uint)status.Length)), dataIn: status);
        Assert.That(result.IsGood, Is.True, "PAIR STATUS: " + result);
        Assert.That(PairStatusData.TryRead(status, out PairStatusRow[] rows, out int total, out string? reason) && total == 1 && rows.Length == 1, Is.True, "one row: " + reason);
        return rows[0];
    }
}
