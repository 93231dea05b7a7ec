// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Wire.CopyManagement;

namespace Controller.Wire.Tests.CopyManagement;

public sealed class CopyManagementCdbTests
{
    public static IEnumerable<TestCaseData> MalformedCdbs()
    {
        yield return Case("a 15-byte CDB", "C9 02 00 00 00 00 00 00 00 24 00 00 00 00 00", "CDB of 15 bytes, shorter than 16");
        yield return Case("the unused vendor opcode 0xC7", "C7 00 00 00 00 00 00 00 00 14 00 00 00 00 00 00", "opcode 0xC7 is not a copy-management command");
        yield return Case("the unused vendor opcode 0xCB", "CB 00 00 00 00 00 00 00 00 14 00 00 00 00 00 00", "opcode 0xCB is not a copy-management command");
        yield return Case("WRITE(16)", "8A 00 00 00 00 00 00 00 00 10 00 00 00 08 00 00", "opcode 0x8A is not a copy-management command");
        yield return Case("a modifier on ATOMIC SPLIT", "C9 0A 00 00 00 00 00 00 00 24 00 00 00 00 00 00", "ATOMIC SPLIT: MODIFIERS 1 (byte 1 bits 5-3) are not defined for it");
        yield return Case("the top option bit", "C9 80 00 00 00 00 00 00 00 24 00 00 00 00 00 00", "reserved bits 7-6 of byte 1 are set (0x80)");
        yield return Case("DETERMINING on PAIR SPLIT", "C1 20 00 00 00 00 00 00 00 14 00 00 00 00 00 00", "PAIR SPLIT: MODIFIERS 4 (byte 1 bits 5-3) are not defined for it");
        yield return Case("a second modifier on PAIR SPLIT", "C1 10 00 00 00 00 00 00 00 14 00 00 00 00 00 00", "PAIR SPLIT: MODIFIERS 2 (byte 1 bits 5-3) are not defined for it");
        yield return Case("RW on PAIR CREATE", "C0 01 00 00 00 00 00 00 00 14 00 00 00 00 00 00", "PAIR CREATE: RW is set, but only the splits take it");
        yield return Case("RW on NAME MIRRORS", "C8 01 00 00 00 00 00 00 00 30 00 00 00 00 00 00", "NAME MIRRORS: RW is set");
        yield return Case("RW on PAIR STATUS", "D0 01 00 00 00 00 00 00 00 58 00 00 00 00 00 00", "PAIR STATUS: RW is set");
        yield return Case("MECHANISM on PAIR SPLIT", "C1 02 00 00 00 00 00 00 00 14 00 00 00 00 00 00", "PAIR SPLIT: MECHANISM is 1, but only the atomic splits take it");
        yield return Case("MECHANISM on PAIR RESYNC", "C2 04 00 00 00 00 00 00 00 14 00 00 00 00 00 00", "PAIR RESYNC: MECHANISM is 2");
        yield return Case("MECHANISM 3 on ATOMIC SPLIT", "C9 06 00 00 00 00 00 00 00 24 00 00 00 00 00 00", "ATOMIC SPLIT: MECHANISM 3 is not defined");
        yield return Case("MECHANISM 3 on ATOMIC SPLIT BY NAME", "CA 07 00 00 00 00 00 00 00 0C 00 00 00 00 00 00", "ATOMIC SPLIT BY NAME: MECHANISM 3 is not defined");
        yield return Case("reserved byte 2", "C9 02 01 00 00 00 00 00 00 24 00 00 00 00 00 00", "ATOMIC SPLIT: reserved byte 2 is 0x01, not 0");
        yield return Case("reserved byte 5", "C9 02 00 00 00 FF 00 00 00 24 00 00 00 00 00 00", "reserved byte 5 is 0xFF, not 0");
        yield return Case("reserved byte 10", "C9 02 00 00 00 00 00 00 00 24 10 00 00 00 00 00", "reserved byte 10 is 0x10, not 0");
        yield return Case("reserved byte 14", "C9 02 00 00 00 00 00 00 00 24 00 00 00 00 01 00", "reserved byte 14 is 0x01, not 0");
        yield return Case("CONTROL", "C9 02 00 00 00 00 00 00 00 24 00 00 00 00 00 04", "ATOMIC SPLIT: CONTROL is 0x04, not 0");
    }

    [TestCaseSource(nameof(MalformedCdbs))]
    public void AMalformedCdbIsRefusedWithASpecificReason(string cdbHex, string reasonPart)
    {
        // The target answers every refusal here with INVALID FIELD IN CDB (05/24/00); the reason goes to the log.
        Assert.That(CopyManagementCdb.TryRead(Convert.FromHexString(cdbHex.Replace(" ", string.Empty, StringComparison.Ordinal)), out CopyManagementCdb cdb, out string? reason), Is.False, cdbHex + " is refused");
        Assert.That(reason, Does.Contain(reasonPart), "the reason names the byte or field");
        Assert.That(cdb, Is.EqualTo(default(CopyManagementCdb)), "a refused CDB gives no value");
    }

    [Test]
    public void EveryCdbTheCodecWritesReadsBackTheSame()
    {
        byte[] bytes = new byte[CopyManagementCdb.Length];
        uint[] lengths = [0, 20, 36, 0x01020304, uint.MaxValue];
        int checkedCount = 0;
        for (int opcode = 0; opcode < 256; opcode++)
        {
            if (!CopyManagementOpcodes.TryGet((byte)opcode, out CopyManagementOpcode value))
            {
                continue;
            }

            for (int options = 0; options < 64; options++)
            {
                bool readWrite = (options & 1) != 0;
                SplitMechanism mechanism = (SplitMechanism)((options >> 1) & 3);
                byte modifiers = (byte)(options >> 3);
                foreach (uint length in lengths)
                {
                    CopyManagementCdb cdb = new(value, readWrite, mechanism, length) { Modifiers = modifiers };
                    bool valid = mechanism <= SplitMechanism.SequenceCut
                        && (!readWrite || CopyManagementOpcodes.TakesReadWrite(value))
                        && (mechanism == SplitMechanism.ControllerDefault || CopyManagementOpcodes.TakesMechanism(value))
                        && modifiers <= value switch { CopyManagementOpcode.PairCreate => 7, CopyManagementOpcode.PairSplit => 1, _ => 0 };
                    bytes.AsSpan().Fill(0xEE);
                    Assert.That(cdb.TryWrite(bytes), Is.EqualTo(valid), cdb + ": written only when the target would accept it");
                    if (!valid)
                    {
                        Assert.That(bytes, Is.All.EqualTo(0xEE), cdb + ": a refused CDB writes nothing");
                        continue;
                    }

                    Assert.That(CopyManagementCdb.TryRead(bytes, out CopyManagementCdb read, out string? reason), Is.True, cdb + ": " + reason);
                    Assert.That(read, Is.EqualTo(cdb), "round trip of " + cdb);
                    checkedCount++;
                }
            }
        }

        // Per length: 8 commands without options, PAIR SPLIT with RW 0 and 1, the two atomic splits with RW 0 and 1
        // times 3 mechanisms; PAIR CREATE with NOCOPY, FENCE and DETERMINING (7 more), PAIR SPLIT with PROTECT P-VOL and RW 0 or 1.
        Assert.That(checkedCount, Is.EqualTo(lengths.Length * (8 + 2 + (2 * 2 * 3) + 7 + 2)), "every valid combination was written and read");
    }

    [Test]
    public void TheLengthIsBigEndianInBytesSixToNine()
    {
        byte[] bytes = new byte[CopyManagementCdb.Length];
        Assert.That(new CopyManagementCdb(CopyManagementOpcode.PairStatus, false, SplitMechanism.ControllerDefault, 0x01020304).TryWrite(bytes), Is.True, "PAIR STATUS encodes");
        Assert.That(Convert.ToHexString(bytes), Is.EqualTo("D0000000000001020304000000000000"), "ALLOCATION LENGTH in bytes 6-9, most significant first");
        Assert.That(CopyManagementCdb.TryRead(bytes, out CopyManagementCdb cdb, out string? reason), Is.True, reason);
        Assert.That(cdb.AllocationLength, Is.EqualTo(0x01020304u), "the allocation length is the same field");
    }

    [Test]
    public void AShortDestinationOrAnUnknownOpcodeIsNotWritten()
    {
        Assert.That(new CopyManagementCdb(CopyManagementOpcode.PairCreate, false, SplitMechanism.ControllerDefault, 20).TryWrite(new byte[15]), Is.False, "15 bytes are not room for a CDB");
        Assert.That(default(CopyManagementCdb).TryWrite(new byte[16]), Is.False, "opcode 0 is not a copy-management command");
        Assert.That(new CopyManagementCdb((CopyManagementOpcode)0xC7, false, SplitMechanism.ControllerDefault, 20).TryWrite(new byte[16]), Is.False, "0xC7 is unused");
    }

    [Test]
    public void CdbsFormatForTheLog()
    {
        Assert.That(new CopyManagementCdb(CopyManagementOpcode.AtomicSplit, false, SplitMechanism.Freeze, 36).ToString(), Is.EqualTo("ATOMIC SPLIT freeze read-only, parameter list 36 bytes"), "FIG 7");
        Assert.That(new CopyManagementCdb(CopyManagementOpcode.PairSplit, true, SplitMechanism.ControllerDefault, 20).ToString(), Is.EqualTo("PAIR SPLIT read/write, parameter list 20 bytes"), "pairsplit -rw");
        Assert.That(new CopyManagementCdb(CopyManagementOpcode.PairStatus, false, SplitMechanism.ControllerDefault, 88).ToString(), Is.EqualTo("PAIR STATUS, allocation length 88 bytes"), "PAIR STATUS");
    }

    private static TestCaseData Case(string name, string cdbHex, string reasonPart)
    {
        return new TestCaseData(cdbHex, reasonPart).SetName("{m}(" + name + ")");
    }
}
