// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire.Tests;

public sealed class FcpCommandTests
{
    // The FCP_CMND payload of the tshark-checked frame in FcipEncapsulationTests: LUN 1, WRDATA, WRITE(16) LBA 16,
    // 8 blocks, FCP_DL 4096.
    private static readonly byte[] GoldenWrite16 = Convert.FromHexString("0001000000000000" + "00000001" + "8A000000000000000010000000080000" + "00001000");

    [Test]
    public void TheWrite16CommandDecodes()
    {
        Assert.That(FcpCommand.TryRead(GoldenWrite16, out FcpCommand command, out string? reason), Is.True, reason);
        Assert.That((command.Lun, command.WriteData, command.ReadData, command.DataLength), Is.EqualTo(((ushort)1, true, false, 4096u)));
        Assert.That(command.Cdb[0], Is.EqualTo(0x8A), "WRITE(16)");
        Assert.That(command.Cdb.Length, Is.EqualTo(16));
    }

    [Test]
    public void TheWrite16CommandEncodesByteForByte()
    {
        byte[] cdb = new byte[16];
        cdb[0] = 0x8A;
        cdb[9] = 0x10;
        cdb[13] = 8;
        byte[] iu = new byte[FcpCommand.Length];
        Assert.That(FcpCommand.TryWrite(iu, 1, cdb, readData: false, writeData: true, 4096), Is.True);
        Assert.That(Convert.ToHexString(iu), Is.EqualTo(Convert.ToHexString(GoldenWrite16)));
    }

    [TestCase((ushort)0)]
    [TestCase((ushort)5)]
    [TestCase((ushort)255)]
    [TestCase((ushort)256)]
    [TestCase((ushort)0x3FFF)]
    public void LunsRoundTripInSingleLevelAddressing(ushort lun)
    {
        byte[] iu = new byte[FcpCommand.Length];
        Assert.That(FcpCommand.TryWrite(iu, lun, new byte[10], readData: true, writeData: false, 512), Is.True);
        Assert.That(FcpCommand.TryRead(iu, out FcpCommand command, out string? reason), Is.True, reason);
        Assert.That(command.Lun, Is.EqualTo(lun));
    }

    [Test]
    public void MalformedCommandsAreRefusedWithAReason()
    {
        Assert.That(FcpCommand.TryRead(GoldenWrite16.AsSpan(0, 31), out _, out string? reason), Is.False);
        Assert.That(reason, Does.Contain("shorter than 32"));

        byte[] additional = (byte[])GoldenWrite16.Clone();
        additional[11] |= 0x04;
        Assert.That(FcpCommand.TryRead(additional, out _, out reason), Is.False);
        Assert.That(reason, Does.Contain("additional CDB"));

        byte[] both = (byte[])GoldenWrite16.Clone();
        both[11] = 0x03;
        Assert.That(FcpCommand.TryRead(both, out _, out reason), Is.False);
        Assert.That(reason, Does.Contain("bidirectional"));

        byte[] twoLevel = (byte[])GoldenWrite16.Clone();
        twoLevel[3] = 0x01;
        Assert.That(FcpCommand.TryRead(twoLevel, out _, out reason), Is.False);
        Assert.That(reason, Does.Contain("FCP_LUN"));

        Assert.That(FcpCommand.TryWrite(new byte[32], 0x4000, new byte[16], false, false, 0), Is.False, "LUN beyond flat addressing");
        Assert.That(FcpCommand.TryWrite(new byte[32], 1, new byte[17], false, false, 0), Is.False, "CDB longer than 16");
    }

    [Test]
    [Category("Standards")]
    public void ATaskManagementRequestIsWrittenByteForByte()
    {
        byte[] payload = new byte[FcpCommand.Length];
        Assert.Multiple(() =>
        {
            Assert.That(FcpCommand.TryWriteTaskManagement(payload, 1, FcpTaskManagement.LogicalUnitReset), Is.True);
            Assert.That(Convert.ToHexString(payload), Is.EqualTo("0001000000000000" + "00001000" + new string('0', 32) + "00000000"), "FCP_LUN, CRN 0, SIMPLE, flags 0x10 LOGICAL UNIT RESET, no CDB, FCP_DL 0");
            Assert.That(FcpCommand.TryRead(payload, out FcpCommand read, out _) ? read.TaskManagement : 0, Is.EqualTo(FcpTaskManagement.LogicalUnitReset), "it decodes with its flags");
            Assert.That(FcpCommand.TryWriteTaskManagement(payload, 1, 0), Is.False, "no function");
        });
    }
}
