// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Wire.CopyManagement;

namespace Controller.Wire.Tests.CopyManagement;

public sealed class CopyManagementOpcodesTests
{
    [TestCase((byte)0xC0, "PAIR CREATE")]
    [TestCase((byte)0xC1, "PAIR SPLIT")]
    [TestCase((byte)0xC2, "PAIR RESYNC")]
    [TestCase((byte)0xC3, "PAIR RESTORE")]
    [TestCase((byte)0xC4, "PAIR SWAP RESYNC")]
    [TestCase((byte)0xC5, "PAIR DELETE")]
    [TestCase((byte)0xC6, "PAIR SUSPEND BY ERROR")]
    [TestCase((byte)0xC8, "NAME MIRRORS")]
    [TestCase((byte)0xC9, "ATOMIC SPLIT")]
    [TestCase((byte)0xCA, "ATOMIC SPLIT BY NAME")]
    [TestCase((byte)0xD0, "PAIR STATUS")]
    public void EachOpcodeOfTheTableHasItsValueAndName(byte opcode, string name)
    {
        Assert.That(CopyManagementOpcodes.IsCopyManagement(opcode), Is.True, name + " is a copy-management command");
        Assert.That(CopyManagementOpcodes.TryGet(opcode, out CopyManagementOpcode value), Is.True, name + " converts");
        Assert.That((byte)value, Is.EqualTo(opcode), "the enum carries the wire value");
        Assert.That(CopyManagementOpcodes.GetName(opcode), Is.EqualTo(name), "the name docs/protocol.md uses");
    }

    [Test]
    public void NoOtherByteIsACopyManagementCommand()
    {
        int count = 0;
        for (int opcode = 0; opcode < 256; opcode++)
        {
            if (CopyManagementOpcodes.IsCopyManagement((byte)opcode))
            {
                count++;
                Assert.That(CopyManagementOpcodes.GetName((byte)opcode), Does.Not.StartWith("opcode"), "a copy-management opcode has a name");
            }
            else
            {
                Assert.That(CopyManagementOpcodes.TryGet((byte)opcode, out _), Is.False, "0x" + opcode.ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + " does not convert");
            }
        }

        Assert.That(count, Is.EqualTo(11), "the table has eleven commands");
        Assert.That(CopyManagementOpcodes.GetName((byte)0xC7), Is.EqualTo("opcode 0xC7"), "an unused vendor opcode is named by its value");
    }

    [Test]
    public void TheOpcodesSayWhichFieldsTheyTake()
    {
        Assert.That(CopyManagementOpcodes.IsSinglePair(CopyManagementOpcode.PairCreate) && CopyManagementOpcodes.IsSinglePair(CopyManagementOpcode.PairSuspendByError), Is.True, "0xC0-0xC6 take one pair");
        Assert.That(CopyManagementOpcodes.IsSinglePair(CopyManagementOpcode.AtomicSplit), Is.False, "ATOMIC SPLIT takes a list");
        Assert.That(CopyManagementOpcodes.TakesReadWrite(CopyManagementOpcode.PairSplit), Is.True, "pairsplit -rw");
        Assert.That(CopyManagementOpcodes.TakesReadWrite(CopyManagementOpcode.PairResync), Is.False, "a resync has no RW");
        Assert.That(CopyManagementOpcodes.TakesMechanism(CopyManagementOpcode.AtomicSplitByName), Is.True, "an atomic split chooses its mechanism");
        Assert.That(CopyManagementOpcodes.TakesMechanism(CopyManagementOpcode.PairSplit), Is.False, "a single split has no mechanism");
        Assert.That(CopyManagementOpcodes.IsDataIn(CopyManagementOpcode.PairStatus), Is.True, "PAIR STATUS is data-in");
        Assert.That(CopyManagementOpcodes.IsDataIn(CopyManagementOpcode.NameMirrors), Is.False, "NAME MIRRORS is data-out");
    }
}
