// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Initiator;
using Controller.Target.Scsi;
using Controller.Wire;

namespace Controller.Target.Tests;

/// <summary>CDB checks SPC-4 and SBC-3 ask for: READ CAPACITY(10) PMI, NACA, REQUEST SENSE to a LUN with no unit, unassigned vendor opcodes.</summary>
[TestFixture]
[Category("Standards")]
public sealed class ScsiConformanceTests : TargetRigFixture
{
    [TestCase(0u, false, true)]
    [TestCase(5u, false, false)]
    [TestCase(5u, true, true)]
    public async Task ReadCapacityTenWithPmiZeroTakesNoLba(uint lba, bool pmi, bool good)
    {
        InitiatorPort host = await Rig.ConnectAsync();
        byte[] cdb = new byte[10];
        cdb[0] = 0x25;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(2), lba);
        cdb[8] = pmi ? (byte)1 : (byte)0;
        ScsiResult result = await host.ExecuteAsync(TargetRig.PortA, 1, cdb, dataIn: new byte[8]);
        Assert.That(result.Sense, good ? Is.Null : Is.EqualTo(SenseData.InvalidFieldInCdb), "PMI 0 with a non-zero LBA is 05/24/00");
    }

    [TestCase(new byte[] { 0x00, 0, 0, 0, 0, 0x04 }, 0)]
    [TestCase(new byte[] { 0x12, 0, 0, 0, 36, 0x04 }, 36)]
    [TestCase(new byte[] { 0x03, 0, 0, 0, 18, 0x04 }, 18)]
    [TestCase(new byte[] { 0x1A, 0, 0x3F, 0, 64, 0x04 }, 64)]
    [TestCase(new byte[] { 0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0x04 }, 8)]
    [TestCase(new byte[] { 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0x04 }, 512)]
    [TestCase(new byte[] { 0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0x04 }, 0)]
    [TestCase(new byte[] { 0xA0, 0, 0, 0, 0, 0, 0, 0, 0, 64, 0, 0x04 }, 64)]
    [TestCase(new byte[] { 0x88, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0x04 }, 512)]
    [TestCase(new byte[] { 0x9E, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0x04 }, 32)]
    public async Task NacaInTheControlByteIsInvalidFieldInCdb(byte[] cdb, int dataIn)
    {
        InitiatorPort host = await Rig.ConnectAsync();
        ScsiResult result = await host.ExecuteAsync(TargetRig.PortA, 1, cdb, dataIn: new byte[dataIn]);
        Assert.That((result.Status, result.Sense), Is.EqualTo((FcpResponse.CheckCondition, (SenseData?)SenseData.InvalidFieldInCdb)), "NormACA is 0: NACA 1 is 05/24/00 for opcode 0x" + cdb[0].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Test]
    public async Task RequestSenseToALunWithNoUnitIsGoodWithLogicalUnitNotSupportedAsItsData()
    {
        InitiatorPort host = await Rig.ConnectAsync();
        byte[] data = new byte[18];
        ScsiResult result = await host.ExecuteAsync(TargetRig.PortA, 9, [0x03, 0, 0, 0, 18, 0], dataIn: data);
        SenseData.TryRead(data, out SenseData sense);
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(FcpResponse.Good), "GOOD, not CHECK CONDITION (SPC-4 6.29)");
            Assert.That(sense, Is.EqualTo(SenseData.LogicalUnitNotSupported), "the data says 05/25/00");
        });
    }

    [TestCase((byte)0xC7)]
    [TestCase((byte)0xD1)]
    [TestCase((byte)0xE5)]
    [TestCase((byte)0xF7)]
    [TestCase((byte)0xFF)]
    public async Task AnUnassignedVendorOpcodeIsInvalidCommandOperationCode(byte opcode)
    {
        InitiatorPort host = await Rig.ConnectAsync();
        byte[] cdb = new byte[16];
        cdb[0] = opcode;
        ScsiResult result = await host.ExecuteAsync(TargetRig.PortA, 1, cdb);
        Assert.That(result.Sense, Is.EqualTo(ScsiSense.InvalidOpcode), "05/20/00, as for any opcode this target does not have");
    }

    [TestCase(8191L, 1u, true)]
    [TestCase(8191L, 2u, false)]
    [TestCase(8192L, 0u, false)]
    [TestCase(0L, 8193u, false)]
    public async Task SynchronizeCacheTenPastTheEndIsLbaOutOfRange(long lba, uint blocks, bool good)
    {
        InitiatorPort host = await Rig.ConnectAsync();
        byte[] cdb = new byte[10];
        cdb[0] = 0x35;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(2), (uint)lba);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(cdb.AsSpan(7), (ushort)blocks);
        ScsiResult result = await host.ExecuteAsync(TargetRig.PortA, 1, cdb);
        Assert.That(result.Sense, good ? Is.Null : Is.EqualTo(SenseData.LbaOutOfRange), "a range past the " + TargetRig.Blocks + " blocks is 05/21/00");
    }
}
