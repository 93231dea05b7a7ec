// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using System.Text;
using Controller.Addressing;
using Controller.Initiator;
using Controller.Wire;

namespace Controller.Target.Tests;

[TestFixture]
public sealed class ScsiTargetTests : TargetRigFixture
{
    [Test]
    public async Task TestUnitReadyAfterLoginIsGood()
    {
        InitiatorPort host = await Rig.ConnectAsync();
        ScsiResult result = await host.ExecuteAsync(TargetRig.PortA, 1, new byte[6]);
        Assert.That(result.IsGood, Is.True, "TEST UNIT READY on a mapped LUN after PLOGI/PRLI: " + result);
    }

    [TestCase(false, TestName = "WriteThenReadReturnsTheDataWithTheXferRdyHandshake")]
    [TestCase(true, TestName = "WriteThenReadReturnsTheDataWithFirstBurst")]
    public async Task WriteThenReadReturnsTheData(bool firstBurst)
    {
        InitiatorPort host = await Rig.ConnectAsync(firstBurst: firstBurst);
        byte[] data = TargetRig.Pattern(64 * 1024, 7);
        ScsiResult written = await host.ExecuteAsync(TargetRig.PortA, 1, TargetRig.Write16(100, 128), data);
        byte[] back = new byte[data.Length];
        ScsiResult read = await host.ExecuteAsync(TargetRig.PortA, 1, TargetRig.Read16(100, 128), dataIn: back);
        Assert.Multiple(() =>
        {
            Assert.That(written.IsGood, Is.True, "WRITE(16) of 64 KiB: " + written);
            Assert.That(read.IsGood, Is.True, "READ(16) of 64 KiB: " + read);
            Assert.That(read.DataInLength, Is.EqualTo(data.Length), "all 32 FCP_DATA frames of 2 KiB arrive");
            Assert.That(back, Is.EqualTo(data), "the data read back is the data written");
        });
    }

    [Test]
    public async Task TenByteCommandsAddressTheSameBlocksAsSixteenByteOnes()
    {
        InitiatorPort host = await Rig.ConnectAsync();
        byte[] data = TargetRig.Pattern(4096, 3);
        byte[] write10 = [0x2A, 0, 0, 0, 0x01, 0x00, 0, 0, 8, 0];
        Assert.That((await host.ExecuteAsync(TargetRig.PortA, 2, write10, data)).IsGood, Is.True, "WRITE(10) at LBA 256");
        byte[] back = new byte[4096];
        ScsiResult read = await host.ExecuteAsync(TargetRig.PortA, 2, TargetRig.Read16(256, 8), dataIn: back);
        Assert.That(back, Is.EqualTo(data), "READ(16) at LBA 256 returns what WRITE(10) wrote: " + read);
    }

    [Test]
    public async Task ManyOutstandingCommandsOnOneConnectionAllComplete()
    {
        InitiatorPort host = await Rig.ConnectAsync();
        const int Count = 256;
        Task<ScsiResult>[] writes = new Task<ScsiResult>[Count];
        for (int i = 0; i < Count; i++)
        {
            writes[i] = host.ExecuteAsync(TargetRig.PortA, (ushort)(1 + (i % 4)), TargetRig.Write16(i * 8, 8), TargetRig.Pattern(4096, i)).AsTask();
        }

        ScsiResult[] results = await Task.WhenAll(writes);
        Assert.That(results, Has.All.Matches<ScsiResult>(r => r.IsGood), "256 concurrent exchanges (distinct OX_IDs) all answer GOOD");
        for (int i = 0; i < Count; i += 37)
        {
            byte[] back = new byte[4096];
            await host.ExecuteAsync(TargetRig.PortA, (ushort)(1 + (i % 4)), TargetRig.Read16(i * 8, 8), dataIn: back);
            Assert.That(back, Is.EqualTo(TargetRig.Pattern(4096, i)), "write " + i + " is on its LUN");
        }
    }

    [Test]
    public async Task ReadBeyondTheLastBlockIsLbaOutOfRange()
    {
        InitiatorPort host = await Rig.ConnectAsync();
        ScsiResult result = await host.ExecuteAsync(TargetRig.PortA, 1, TargetRig.Read16(TargetRig.Blocks - 4, 8), dataIn: new byte[4096]);
        Assert.That(result.Sense, Is.EqualTo(SenseData.LbaOutOfRange), "8 blocks from 4 before the end: " + result);
    }

    [Test]
    public async Task AnUnmappedLunIsNotSupportedButInquiryAnswersWithQualifierThree()
    {
        InitiatorPort host = await Rig.ConnectAsync();
        ScsiResult tur = await host.ExecuteAsync(TargetRig.PortA, 9, new byte[6]);
        byte[] inquiry = new byte[36];
        ScsiResult inq = await host.ExecuteAsync(TargetRig.PortA, 9, [0x12, 0, 0, 0, 36, 0], dataIn: inquiry);
        Assert.Multiple(() =>
        {
            Assert.That(tur.Sense, Is.EqualTo(SenseData.LogicalUnitNotSupported), "TEST UNIT READY on LUN 9: " + tur);
            Assert.That(inq.IsGood, Is.True, "INQUIRY on an unmapped LUN succeeds (SPC-4): " + inq);
            Assert.That(inquiry[0], Is.EqualTo(0x7F), "peripheral qualifier 011b, device type 1Fh");
        });
    }

    [Test]
    public async Task HostGroupsDecideWhichLunsAnInitiatorSees()
    {
        InitiatorPort limited = await Rig.ConnectAsync(TargetRig.LimitedHost);
        byte[] report = new byte[64];
        ScsiResult luns = await limited.ExecuteAsync(TargetRig.PortA, 1, [0xA0, 0, 0, 0, 0, 0, 0, 0, 0, 64, 0, 0], dataIn: report);
        ScsiResult other = await limited.ExecuteAsync(TargetRig.PortA, 2, new byte[6]);
        Assert.Multiple(() =>
        {
            Assert.That(luns.IsGood, Is.True, "REPORT LUNS: " + luns);
            Assert.That(BinaryPrimitives.ReadUInt32BigEndian(report), Is.EqualTo(8), "host group 'test' sees one LUN");
            Assert.That(report[9], Is.EqualTo(1), "and it is LUN 0x0001");
            Assert.That(other.Sense, Is.EqualTo(SenseData.LogicalUnitNotSupported), "LUN 0x0002 is outside its host group: " + other);
        });
    }

    [Test]
    public async Task InquiryVpdPagesCarryTheLdevIdentity()
    {
        InitiatorPort host = await Rig.ConnectAsync();
        byte[] standard = new byte[36];
        byte[] pages = new byte[16];
        byte[] serial = new byte[32];
        byte[] identity = new byte[96];
        await host.ExecuteAsync(TargetRig.PortA, 3, [0x12, 0, 0, 0, 36, 0], dataIn: standard);
        await host.ExecuteAsync(TargetRig.PortA, 3, [0x12, 1, 0x00, 0, 16, 0], dataIn: pages);
        ScsiResult serialResult = await host.ExecuteAsync(TargetRig.PortA, 3, [0x12, 1, 0x80, 0, 32, 0], dataIn: serial);
        ScsiResult identityResult = await host.ExecuteAsync(TargetRig.PortA, 3, [0x12, 1, 0x83, 0, 96, 0], dataIn: identity);
        string t10 = Encoding.ASCII.GetString(identity, 16 + 4, identity[16 + 3]);
        Assert.Multiple(() =>
        {
            Assert.That(Encoding.ASCII.GetString(standard, 8, 8), Is.EqualTo("CTLSIM  "), "T10 vendor identification");
            Assert.That(pages.AsSpan(4, 3).ToArray(), Is.EqualTo(new byte[] { 0x00, 0x80, 0x83 }), "supported VPD pages");
            Assert.That(Encoding.ASCII.GetString(serial, 4, serial[3]), Is.EqualTo("CTLSIM0003"), "unit serial number of LDEV 00:03");
            Assert.That(serialResult.Residual, Is.EqualTo(32 - 14), "a shorter answer than FCP_DL is reported as residual under");
            Assert.That(BinaryPrimitives.ReadUInt64BigEndian(identity.AsSpan(8)), Is.EqualTo(0x3043544C00000003UL), "NAA designator of LDEV 00:03");
            Assert.That(t10, Is.EqualTo("CTLSIM  LDEV 00:03"), "T10 vendor ID designator names the LDEV: " + identityResult);
        });
    }

    [Test]
    public async Task ReadCapacitySixteenReportsTheLastLbaAndBlockSize()
    {
        InitiatorPort host = await Rig.ConnectAsync();
        byte[] data = new byte[32];
        ScsiResult result = await host.ExecuteAsync(TargetRig.PortA, 1, [0x9E, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0], dataIn: data);
        Assert.Multiple(() =>
        {
            Assert.That(result.IsGood, Is.True, result.ToString());
            Assert.That(BinaryPrimitives.ReadUInt64BigEndian(data), Is.EqualTo(TargetRig.Blocks - 1), "returned LBA is the last block");
            Assert.That(BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(8)), Is.EqualTo(512), "block length");
        });
    }

    [Test]
    public async Task ModeSenseAndBothSynchronizeCacheCommandsAnswerGood()
    {
        InitiatorPort host = await Rig.ConnectAsync();
        byte[] mode = new byte[64];
        ScsiResult sense = await host.ExecuteAsync(TargetRig.PortA, 1, [0x1A, 0, 0x3F, 0, 64, 0], dataIn: mode);
        ScsiResult sync = await host.ExecuteAsync(TargetRig.PortA, 1, [0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        ScsiResult sync16 = await host.ExecuteAsync(TargetRig.PortA, 1, [0x91, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        Assert.Multiple(() =>
        {
            Assert.That(sense.IsGood, Is.True, "MODE SENSE(6) all pages: " + sense);
            Assert.That(mode[0], Is.EqualTo(31), "mode data length: header, block descriptor, caching page");
            Assert.That(mode[12], Is.EqualTo(0x08), "the caching page follows the block descriptor");
            Assert.That(sync.IsGood, Is.True, "SYNCHRONIZE CACHE(10): " + sync);
            Assert.That(sync16.IsGood, Is.True, "SYNCHRONIZE CACHE(16), what imported fsyncs become: " + sync16);
        });
    }

    [Test]
    public async Task AnUnknownOpcodeIsInvalidCommandOperationCode()
    {
        InitiatorPort host = await Rig.ConnectAsync();
        ScsiResult result = await host.ExecuteAsync(TargetRig.PortA, 1, [0x04, 0, 0, 0, 0, 0]);
        Assert.That(result.Sense, Is.EqualTo(new SenseData(0x05, 0x20, 0x00)), "FORMAT UNIT is not implemented: " + result);
    }

    [Test]
    public async Task AWriteWhoseFcpDlDisagreesWithTheCdbIsRefusedBeforeAnyData()
    {
        InitiatorPort host = await Rig.ConnectAsync();
        ScsiResult result = await host.ExecuteAsync(TargetRig.PortA, 1, TargetRig.Write16(0, 8), new byte[2048]);
        Assert.Multiple(() =>
        {
            Assert.That(result.Sense, Is.EqualTo(SenseData.InvalidFieldInCdb), "8 blocks with FCP_DL 2048: " + result);
            Assert.That(result.Residual, Is.EqualTo(2048), "no data moved: all of FCP_DL is residual");
        });
    }

    [Test]
    public async Task ACommandBeforeLoginIsAnsweredWithLogo()
    {
        InitiatorPort host = await Rig.ConnectAsync(login: false);
        TaskCompletionSource<PortId> loggedOut = new(TaskCreationOptions.RunContinuationsAsynchronously);
        host.LoggedOut += target => loggedOut.TrySetResult(target);
        ValueTask<ScsiResult> command = host.ExecuteAsync(TargetRig.PortA, 1, new byte[6]);
        Assert.Multiple(async () =>
        {
            Assert.That(await loggedOut.Task.WaitAsync(TimeSpan.FromSeconds(30)), Is.EqualTo(new PortId(TargetRig.PortA)), "the target port sends LOGO");
            Assert.ThrowsAsync<InitiatorException>(async () => await command, "the command fails: the initiator was logged out");
        });
    }
}
