// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Wire.CopyManagement;

namespace Controller.Wire.Tests.CopyManagement;

public sealed class CopyManagementCodecTests
{
    // docs/protocol.md, "The FIG 7 example": ATOMIC SPLIT, freeze, read-only S-VOLs, two pairs. Copied from the doc
    // as written there, so that the doc and the codec cannot drift apart.
    private const string Fig7Cdb = "C9 02 00 00 00 00 00 00 00 24 00 00 00 00 00 00";
    private const string Fig7Parameter =
        "00 02 00 00 " +
        "00 40 01 04 00 01 00 00 00 40 01 04 00 02 00 00 " +
        "00 40 01 04 00 04 00 00 00 42 10 14 00 05 00 00";

    // FIG 8 with the FIG 7 pairs, written by hand from the block tables: the name block (L = 7, "AUXSET1", one byte
    // of padding), then the pair list.
    private const string Fig8Cdb = "C8 00 00 00 00 00 00 00 00 30 00 00 00 00 00 00";
    private const string Fig8Parameter = "07 00 00 00 41 55 58 53 45 54 31 00 " + Fig7Parameter;

    // FIG 9: ATOMIC SPLIT by the name "AUXSET1", sequence cut (MECHANISM 2), read/write S-VOLs.
    private const string Fig9Cdb = "CA 05 00 00 00 00 00 00 00 0C 00 00 00 00 00 00";
    private const string Fig9Parameter = "07 00 00 00 41 55 58 53 45 54 31 00";

    private static readonly WirePair[] Fig7Pairs =
    [
        new(new WireVolumeId(new PortId(0x400104), 0x0001), new WireVolumeId(new PortId(0x400104), 0x0002)),
        new(new WireVolumeId(new PortId(0x400104), 0x0004), new WireVolumeId(new PortId(0x421014), 0x0005)),
    ];

    private static readonly WirePair OnePair = Fig7Pairs[0];

    public static IEnumerable<TestCaseData> MalformedParameterLists()
    {
        const string Create = "C0";
        const string Split = "C1";
        const string Name = "C8";
        const string Atomic = "C9";
        const string ByName = "CA";
        const string OneDescriptor = "00 40 01 04 00 01 00 00 00 40 01 04 00 02 00 00";
        const string AuxSet1 = "07 00 00 00 41 55 58 53 45 54 31 00";
        SenseData field = SenseData.InvalidFieldInParameterList;
        SenseData length = SenseData.ParameterListLengthError;

        yield return Case("an opcode outside the table", "C7", "00 01 00 00 " + OneDescriptor, field, "opcode 0xC7 is not a copy-management command");
        yield return Case("ATOMIC SPLIT with n = 0", Atomic, "00 00 00 00", field, "needs one pair or more");
        yield return Case("PAIR CREATE with n = 0", Create, "00 00 00 00", field, "takes exactly one pair, the list has 0");
        yield return Case("PAIR CREATE with n = 2", Create, "00 02 00 00 " + OneDescriptor + OneDescriptor, field, "takes exactly one pair, the list has 2");
        yield return Case("PAIR SPLIT with the FIG 7 list", Split, Fig7Parameter, field, "takes exactly one pair, the list has 2");
        yield return Case("pair list header reserved byte 2 set", Create, "00 01 01 00 " + OneDescriptor, field, "reserved bytes 2-3");
        yield return Case("pair list header reserved byte 3 set", Create, "00 01 00 80 " + OneDescriptor, field, "reserved bytes 2-3");
        yield return Case("P-VOL reserved byte above the port ID", Create, "00 01 00 00 01 40 01 04 00 01 00 00 00 40 01 04 00 02 00 00", field, "reserved byte 0 (parameter list offset 4)");
        yield return Case("P-VOL reserved byte after the LUN", Create, "00 01 00 00 00 40 01 04 00 01 FF 00 00 40 01 04 00 02 00 00", field, "reserved byte 6 (parameter list offset 10)");
        yield return Case("P-VOL last reserved byte", Create, "00 01 00 00 00 40 01 04 00 01 00 01 00 40 01 04 00 02 00 00", field, "reserved byte 7 (parameter list offset 11)");
        yield return Case("S-VOL reserved byte above the port ID", Create, "00 01 00 00 00 40 01 04 00 01 00 00 10 40 01 04 00 02 00 00", field, "reserved byte 8 (parameter list offset 12)");
        yield return Case("S-VOL reserved byte after the LUN", Create, "00 01 00 00 00 40 01 04 00 01 00 00 00 40 01 04 00 02 02 00", field, "reserved byte 14 (parameter list offset 18)");
        yield return Case("S-VOL last reserved byte", Create, "00 01 00 00 00 40 01 04 00 01 00 00 00 40 01 04 00 02 00 02", field, "reserved byte 15 (parameter list offset 19)");
        yield return Case("the second descriptor's reserved byte", Atomic, "00 02 00 00 " + OneDescriptor + "00 40 01 04 00 01 00 00 00 40 01 04 00 02 00 01", field, "pair descriptor 1: reserved byte 15 (parameter list offset 35)");
        yield return Case("n = 2 with one descriptor", Atomic, "00 02 00 00 " + OneDescriptor, length, "header says 2 pairs (36 bytes), the parameter list leaves 20");
        yield return Case("n = 1 with four bytes more", Create, "00 01 00 00 " + OneDescriptor + "00 00 00 00", length, "header says 1 pairs (20 bytes), the parameter list leaves 24");
        yield return Case("a pair list cut in its header", Create, "00 01", length, "PARAMETER LIST LENGTH 2 is outside 4-");
        yield return Case("an empty parameter list", Atomic, string.Empty, length, "PARAMETER LIST LENGTH 0 is outside 4-");
        yield return Case("a name block of length 0", ByName, "00 00 00 00 41 00 00 00", field, "mirror name length 0 is outside 1-32");
        yield return Case("a name block of length 33", Name, "21 00 00 00 " + Repeat("41 ", 36) + "00 00 00 00", field, "mirror name length 33 is outside 1-32");
        yield return Case("a name header reserved byte", ByName, "07 00 01 00 41 55 58 53 45 54 31 00", field, "reserved bytes 1-3");
        yield return Case("a space in the name", ByName, "07 00 00 00 41 55 58 20 45 54 31 00", field, "mirror name byte 3 is 0x20");
        yield return Case("DEL in the name", ByName, "07 00 00 00 41 55 58 53 45 54 7F 00", field, "mirror name byte 6 is 0x7F");
        yield return Case("a NUL inside the name", ByName, "07 00 00 00 41 00 58 53 45 54 31 00", field, "mirror name byte 1 is 0x00");
        yield return Case("a byte above ASCII in the name", ByName, "01 00 00 00 C3 00 00 00", field, "mirror name byte 0 is 0xC3");
        yield return Case("name padding that is not zero", ByName, "07 00 00 00 41 55 58 53 45 54 31 20", field, "padding after 7 characters is not zero");
        yield return Case("a name longer than its block", ByName, "08 00 00 00 41 55 58 53", length, "needs a 12-byte block, the parameter list has 8");
        yield return Case("bytes after the name of ATOMIC SPLIT BY NAME", ByName, AuxSet1 + "00 00 00 00", length, "4 bytes follow the mirror name block");
        yield return Case("ATOMIC SPLIT BY NAME longer than any name", ByName, AuxSet1 + AuxSet1 + AuxSet1 + AuxSet1, length, "PARAMETER LIST LENGTH 48 is outside 8-36");
        yield return Case("NAME MIRRORS shorter than a name and a pair list header", Name, "01 00 00 00 41 00 00 00", length, "PARAMETER LIST LENGTH 8 is outside 12-");
        yield return Case("NAME MIRRORS without its pair list", Name, AuxSet1, length, "pair list of 0 bytes, shorter than its 4-byte header");
        yield return Case("NAME MIRRORS with a pair list cut in its header", Name, AuxSet1 + "00 00", length, "pair list of 2 bytes, shorter than its 4-byte header");
        yield return Case("NAME MIRRORS whose pair list is one descriptor short", Name, AuxSet1 + "00 02 00 00 " + OneDescriptor, length, "header says 2 pairs");
        yield return Case("NAME MIRRORS with a bad pair list", Name, AuxSet1 + "00 01 00 01 " + OneDescriptor, field, "NAME MIRRORS: pair list header: reserved bytes 2-3");
    }

    [Test]
    [Category("R0-11")]
    public void TheFig7AtomicSplitEncodesAndDecodesByteForByteAsTheDocWritesIt()
    {
        CopyManagementRequest request = CopyManagementRequest.ForAtomicSplit(Fig7Pairs, SplitMechanism.Freeze, readWrite: false);

        byte[] cdb = new byte[CopyManagementCdb.Length];
        Assert.That(request.ToCdb().TryWrite(cdb), Is.True, "the FIG 7 CDB encodes");
        Assert.That(Convert.ToHexString(cdb), Is.EqualTo(Hex(Fig7Cdb)), "CDB: opcode C9, MECHANISM 1 (freeze) in bits 2-1, RW 0, PARAMETER LIST LENGTH 36");

        byte[] parameter = new byte[request.GetParameterListLength()];
        Assert.That(request.TryWrite(parameter, out int written, out string? reason), Is.True, reason);
        Assert.That(written, Is.EqualTo(36), "4-byte header and two 16-byte descriptors");
        Assert.That(Convert.ToHexString(parameter), Is.EqualTo(Hex(Fig7Parameter)), "parameter list: n = 2, then the pairs in order");

        Assert.That(CopyManagementCdb.TryRead(Convert.FromHexString(Hex(Fig7Cdb)), out CopyManagementCdb decodedCdb, out reason), Is.True, reason);
        Assert.That(decodedCdb, Is.EqualTo(new CopyManagementCdb(CopyManagementOpcode.AtomicSplit, false, SplitMechanism.Freeze, 36)), "the doc's CDB decodes to ATOMIC SPLIT, freeze, read-only, 36 bytes");
        Assert.That(CopyManagementRequest.TryDecode(decodedCdb, Convert.FromHexString(Hex(Fig7Parameter)), out CopyManagementRequest decoded, out CopyManagementError error), Is.True, error.ToString());
        Assert.That(decoded.Opcode, Is.EqualTo(CopyManagementOpcode.AtomicSplit), "opcode");
        Assert.That((decoded.ReadWrite, decoded.Mechanism), Is.EqualTo((false, SplitMechanism.Freeze)), "options");
        Assert.That(decoded.Pairs, Is.EqualTo(Fig7Pairs), "the same pairs, in the same order");
        Assert.That(decoded.Pairs[1].ToString(), Is.EqualTo("0x400104/0x0004 -> 0x421014/0x0005"), "pairs format as the doc writes them");
        Assert.That(decoded.MirrorName, Is.Null, "ATOMIC SPLIT by list carries no name");
    }

    [Test]
    [Category("R0-12")]
    public void NameMirrorsRoundTripsANameAndItsPairs()
    {
        CopyManagementRequest request = CopyManagementRequest.ForNameMirrors("AUXSET1", Fig7Pairs);
        (byte[] cdb, byte[] parameter) = Encode(request);
        Assert.That(Convert.ToHexString(cdb), Is.EqualTo(Hex(Fig8Cdb)), "CDB: opcode C8, no options, PARAMETER LIST LENGTH 48");
        Assert.That(Convert.ToHexString(parameter), Is.EqualTo(Hex(Fig8Parameter)), "name block (L = 7, one byte of padding), then the pair list");

        CopyManagementRequest decoded = Decode(cdb, parameter);
        Assert.That(decoded.Opcode, Is.EqualTo(CopyManagementOpcode.NameMirrors), "opcode");
        Assert.That(decoded.MirrorName, Is.EqualTo("AUXSET1"), "the name");
        Assert.That(decoded.Pairs, Is.EqualTo(Fig7Pairs), "the pairs it names, in order");
    }

    [Test]
    [Category("R0-12")]
    public void NameMirrorsWithNoPairsDeletesTheNameAndIsAccepted()
    {
        CopyManagementRequest request = CopyManagementRequest.ForNameMirrors("AUXSET1", []);
        (byte[] cdb, byte[] parameter) = Encode(request);
        Assert.That(Convert.ToHexString(parameter), Is.EqualTo(Hex("07 00 00 00 41 55 58 53 45 54 31 00 00 00 00 00")), "the name block and a pair list with m = 0");

        CopyManagementRequest decoded = Decode(cdb, parameter);
        Assert.That(decoded.MirrorName, Is.EqualTo("AUXSET1"), "the name to delete");
        Assert.That(decoded.Pairs, Is.Empty, "m = 0");
    }

    [Test]
    [Category("R0-13")]
    public void AtomicSplitByNameRoundTripsTheNameAndTheOptions()
    {
        CopyManagementRequest request = CopyManagementRequest.ForAtomicSplitByName("AUXSET1", SplitMechanism.SequenceCut, readWrite: true);
        (byte[] cdb, byte[] parameter) = Encode(request);
        Assert.That(Convert.ToHexString(cdb), Is.EqualTo(Hex(Fig9Cdb)), "CDB: opcode CA, MECHANISM 2 and RW in byte 1 (0x05), PARAMETER LIST LENGTH 12");
        Assert.That(Convert.ToHexString(parameter), Is.EqualTo(Hex(Fig9Parameter)), "the name block alone");

        CopyManagementRequest decoded = Decode(cdb, parameter);
        Assert.That(decoded.Opcode, Is.EqualTo(CopyManagementOpcode.AtomicSplitByName), "opcode");
        Assert.That((decoded.ReadWrite, decoded.Mechanism), Is.EqualTo((true, SplitMechanism.SequenceCut)), "options");
        Assert.That(decoded.MirrorName, Is.EqualTo("AUXSET1"), "the name");
        Assert.That(decoded.Pairs, Is.Empty, "a split by name carries no pairs");
    }

    [TestCase(CopyManagementOpcode.PairCreate, "C0")]
    [TestCase(CopyManagementOpcode.PairSplit, "C1")]
    [TestCase(CopyManagementOpcode.PairResync, "C2")]
    [TestCase(CopyManagementOpcode.PairRestore, "C3")]
    [TestCase(CopyManagementOpcode.PairSwapResync, "C4")]
    [TestCase(CopyManagementOpcode.PairDelete, "C5")]
    [TestCase(CopyManagementOpcode.PairSuspendByError, "C6")]
    public void EverySinglePairCommandCarriesAListOfOnePair(CopyManagementOpcode opcode, string opcodeHex)
    {
        (byte[] cdb, byte[] parameter) = Encode(CopyManagementRequest.ForPair(opcode, OnePair));
        Assert.That(Convert.ToHexString(cdb), Is.EqualTo(Hex(opcodeHex + " 00 00 00 00 00 00 00 00 14 00 00 00 00 00 00")), "opcode, no options, PARAMETER LIST LENGTH 20");
        Assert.That(Convert.ToHexString(parameter), Is.EqualTo(Hex("00 01 00 00 00 40 01 04 00 01 00 00 00 40 01 04 00 02 00 00")), "n = 1 and the pair");

        CopyManagementRequest decoded = Decode(cdb, parameter);
        Assert.That(decoded.Opcode, Is.EqualTo(opcode), "opcode");
        Assert.That(decoded.Pairs, Is.EqualTo(new[] { OnePair }), "the pair");
    }

    [Test]
    public void PairSplitCarriesTheReadWriteOption()
    {
        (byte[] cdb, byte[] parameter) = Encode(CopyManagementRequest.ForPairSplit(OnePair, readWrite: true));
        Assert.That(cdb[1], Is.EqualTo(0x01), "RW is bit 0 of byte 1");
        Assert.That(Decode(cdb, parameter).ReadWrite, Is.True, "pairsplit -rw decodes as read/write");
    }

    [Test]
    public void PairStatusHasNoParameterListAndCarriesItsAllocationLength()
    {
        CopyManagementRequest request = CopyManagementRequest.ForPairStatus(8 + (3 * 80));
        (byte[] cdb, byte[] parameter) = Encode(request);
        Assert.That(Convert.ToHexString(cdb), Is.EqualTo(Hex("D0 00 00 00 00 00 00 00 00 F8 00 00 00 00 00 00")), "ALLOCATION LENGTH 248 in bytes 6-9");
        Assert.That(parameter, Is.Empty, "no parameter list");

        CopyManagementRequest decoded = Decode(cdb, parameter);
        Assert.That((decoded.Opcode, decoded.AllocationLength), Is.EqualTo((CopyManagementOpcode.PairStatus, 248u)), "PAIR STATUS with its allocation length");
        Assert.That(CopyManagementRequest.TryDecode(new CopyManagementCdb(CopyManagementOpcode.PairStatus, false, SplitMechanism.ControllerDefault, 248), new byte[4], out _, out CopyManagementError error), Is.False, "data-out bytes on PAIR STATUS");
        Assert.That(error.Sense, Is.EqualTo(SenseData.ParameterListLengthError), error.ToString());
        Assert.That(error.Reason, Does.Contain("takes no parameter list"), "the reason names the problem");
    }

    [TestCaseSource(nameof(MalformedParameterLists))]
    public void AMalformedParameterListIsRefusedWithItsSenseAndASpecificReason(string opcodeHex, string parameterHex, SenseData sense, string reasonPart)
    {
        byte[] parameter = Convert.FromHexString(Hex(parameterHex));
        CopyManagementCdb cdb = new((CopyManagementOpcode)Convert.FromHexString(opcodeHex)[0], false, SplitMechanism.ControllerDefault, (uint)parameter.Length);

        bool decoded = CopyManagementRequest.TryDecode(cdb, parameter, out CopyManagementRequest request, out CopyManagementError error);

        Assert.That(decoded, Is.False, "the target refuses " + parameterHex);
        Assert.That(error.Sense, Is.EqualTo(sense), "answered with " + sense + ", not " + error.Sense + " (" + error.Reason + ")");
        Assert.That(error.Reason, Does.Contain(reasonPart), "the reason names the field");
        Assert.That(error.Reason, Does.StartWith(CopyManagementOpcodes.GetName(cdb.Opcode) + ":").Or.StartWith(CopyManagementOpcodes.GetName(cdb.Opcode) + " "), "the reason names the command");
        Assert.That(request.Pairs, Is.Empty, "a refused list gives no request");
    }

    [Test]
    public void ALengthThatDisagreesWithTheBytesThatArrivedIsALengthError()
    {
        CopyManagementCdb cdb = new(CopyManagementOpcode.AtomicSplit, false, SplitMechanism.Freeze, 52);
        Assert.That(CopyManagementRequest.TryDecode(cdb, Convert.FromHexString(Hex(Fig7Parameter)), out _, out CopyManagementError error), Is.False, "PARAMETER LIST LENGTH 52, 36 bytes");
        Assert.That(error.Sense, Is.EqualTo(SenseData.ParameterListLengthError), error.ToString());
        Assert.That(error.Reason, Does.Contain("PARAMETER LIST LENGTH is 52, 36 bytes arrived"), "the reason gives both numbers");
    }

    [TestCase(CopyManagementOpcode.PairCreate, 3u, false)]
    [TestCase(CopyManagementOpcode.PairCreate, 4u, true)]
    [TestCase(CopyManagementOpcode.AtomicSplit, (uint)PairList.MaxLength, true)]
    [TestCase(CopyManagementOpcode.AtomicSplit, (uint)PairList.MaxLength + 1, false)]
    [TestCase(CopyManagementOpcode.AtomicSplit, uint.MaxValue, false)]
    [TestCase(CopyManagementOpcode.AtomicSplitByName, 7u, false)]
    [TestCase(CopyManagementOpcode.AtomicSplitByName, 36u, true)]
    [TestCase(CopyManagementOpcode.AtomicSplitByName, 37u, false)]
    [TestCase(CopyManagementOpcode.NameMirrors, 11u, false)]
    [TestCase(CopyManagementOpcode.NameMirrors, 12u, true)]
    [TestCase(CopyManagementOpcode.NameMirrors, (uint)(MirrorNameBlock.MaxLength + PairList.MaxLength), true)]
    [TestCase(CopyManagementOpcode.NameMirrors, (uint)(MirrorNameBlock.MaxLength + PairList.MaxLength) + 1, false)]
    [TestCase(CopyManagementOpcode.PairStatus, uint.MaxValue, true)]
    public void TheTargetCanRefuseAnImpossibleLengthBeforeTheDataArrives(CopyManagementOpcode opcode, uint length, bool possible)
    {
        CopyManagementCdb cdb = new(opcode, false, SplitMechanism.ControllerDefault, length);
        Assert.That(CopyManagementRequest.TryCheckParameterLength(cdb, out CopyManagementError error), Is.EqualTo(possible), cdb + ": " + error);
        Assert.That(error.Sense, Is.EqualTo(possible ? default : SenseData.ParameterListLengthError), "an impossible length is a PARAMETER LIST LENGTH ERROR");
    }

    [Test]
    public void ARequestTheTargetWouldRefuseIsNotEncodedAndNothingIsWritten()
    {
        AssertRefused(CopyManagementRequest.ForAtomicSplit([], SplitMechanism.Freeze, readWrite: false), "needs one pair or more");
        AssertRefused(CopyManagementRequest.ForNameMirrors(string.Empty, Fig7Pairs), "the mirror name is empty");
        AssertRefused(CopyManagementRequest.ForNameMirrors(new string('A', 33), Fig7Pairs), "33 characters, more than 32");
        AssertRefused(CopyManagementRequest.ForNameMirrors("AUX SET", Fig7Pairs), "character 3 is U+0020");
        AssertRefused(CopyManagementRequest.ForAtomicSplitByName("A\u00E9", SplitMechanism.Freeze, readWrite: false), "character 1 is U+00E9");
        AssertRefused(default, "not a copy-management command");

        CopyManagementRequest fine = CopyManagementRequest.ForAtomicSplit(Fig7Pairs, SplitMechanism.Freeze, readWrite: false);
        Assert.That(fine.TryWrite(new byte[35], out _, out string? reason), Is.False, "a 35-byte buffer for a 36-byte list");
        Assert.That(reason, Does.Contain("needs a 36-byte parameter list, the buffer has 35"), "the reason gives both lengths");
    }

    [Test]
    public void TheFactoriesRefuseOpcodesAndMechanismsThatDoNotFit()
    {
        Assert.That(() => CopyManagementRequest.ForPair(CopyManagementOpcode.AtomicSplit, OnePair), Throws.InstanceOf<ArgumentOutOfRangeException>(), "ATOMIC SPLIT is not a single-pair command");
        Assert.That(() => CopyManagementRequest.ForAtomicSplit(Fig7Pairs, (SplitMechanism)3, readWrite: false), Throws.InstanceOf<ArgumentOutOfRangeException>(), "MECHANISM 3");
        Assert.That(() => CopyManagementRequest.ForAtomicSplitByName("AUXSET1", (SplitMechanism)3, readWrite: false), Throws.InstanceOf<ArgumentOutOfRangeException>(), "MECHANISM 3");
    }

    [Test]
    public void RequestsFormatForTheLog()
    {
        Assert.That(CopyManagementRequest.ForAtomicSplit(Fig7Pairs, SplitMechanism.Freeze, readWrite: false).ToString(), Is.EqualTo("ATOMIC SPLIT freeze read-only: 0x400104/0x0001 -> 0x400104/0x0002, 0x400104/0x0004 -> 0x421014/0x0005"), "FIG 7");
        Assert.That(CopyManagementRequest.ForAtomicSplitByName("AUXSET1", SplitMechanism.SequenceCut, readWrite: true).ToString(), Is.EqualTo("ATOMIC SPLIT BY NAME sequence-cut read/write 'AUXSET1'"), "FIG 9");
        Assert.That(CopyManagementRequest.ForAtomicSplit([OnePair, OnePair, OnePair, OnePair, OnePair, OnePair], SplitMechanism.Freeze, readWrite: false).ToString(), Does.EndWith(" and 2 more"), "long lists are cut");
        Assert.That(CopyManagementRequest.ForPairStatus(88).ToString(), Is.EqualTo("PAIR STATUS, allocation length 88"), "PAIR STATUS");
    }

    [Test]
    public void RandomRequestsRoundTripThroughTheCdbAndTheParameterList()
    {
        // Seeded: a failure names its case and reproduces. 5000 requests of every data-out command, with lists of
        // 0 to 40 pairs (one in twenty up to 300), names of 1 to 32 characters and every option. Messages are
        // built only on failure, which keeps the run well under a second.
        Random random = new(20260404);
        byte[] cdbBytes = new byte[CopyManagementCdb.Length];
        byte[] parameter = new byte[MirrorNameBlock.MaxLength + PairList.GetEncodedLength(400)];
        for (int i = 0; i < 5000; i++)
        {
            CopyManagementRequest request = RandomRequest(random);
            string Label() => "case " + i + ": " + request;
            Assert.That(request.ToCdb().TryWrite(cdbBytes), Is.True, Label);
            Assert.That(request.TryWrite(parameter, out int written, out string? writeReason), Is.True, () => Label() + ": " + writeReason);
            Assert.That(written == request.GetParameterListLength(), Is.True, () => Label() + ": the length the CDB announces is the length written");

            Assert.That(CopyManagementCdb.TryRead(cdbBytes, out CopyManagementCdb cdb, out string? readReason), Is.True, () => Label() + ": " + readReason);
            Assert.That(cdb == request.ToCdb(), Is.True, () => Label() + ": the CDB decodes to what was encoded, not " + cdb);
            Assert.That(CopyManagementRequest.TryCheckParameterLength(cdb, out CopyManagementError lengthError), Is.True, () => Label() + ": " + lengthError);
            Assert.That(CopyManagementRequest.TryDecode(cdb, parameter.AsSpan(0, written), out CopyManagementRequest decoded, out CopyManagementError error), Is.True, () => Label() + ": " + error);
            bool sameRequest = decoded.Opcode == request.Opcode && decoded.ReadWrite == request.ReadWrite && decoded.Mechanism == request.Mechanism && decoded.MirrorName == request.MirrorName;
            Assert.That(sameRequest, Is.True, () => Label() + ": decoded as " + decoded);
            Assert.That(SamePairs(decoded.Pairs, request.Pairs), Is.True, () => Label() + ": the same pairs in the same order");
        }
    }

    [Test]
    public void AnyChangeToTheLengthOfAValidParameterListIsALengthError()
    {
        // Every block fixes its own length (n, L), so a list cut short or run long never decodes, and is always
        // answered PARAMETER LIST LENGTH ERROR rather than INVALID FIELD.
        Random random = new(7);
        byte[] parameter = new byte[MirrorNameBlock.MaxLength + PairList.GetEncodedLength(400) + 64];
        for (int i = 0; i < 3000; i++)
        {
            CopyManagementRequest request = RandomRequest(random);
            Assert.That(request.TryWrite(parameter, out int written, out string? reason), Is.True, () => reason ?? string.Empty);
            int changed;
            do
            {
                changed = written + random.Next(-written, 33);
            }
            while (changed == written);

            // Bytes past the real list are zero, as a host that pads would send.
            parameter.AsSpan(written).Clear();
            CopyManagementCdb cdb = request.ToCdb() with { ParameterLength = (uint)changed };
            string Label() => "case " + i + ": " + request + " sent as " + changed + " bytes instead of " + written;
            Assert.That(CopyManagementRequest.TryDecode(cdb, parameter.AsSpan(0, changed), out _, out CopyManagementError error), Is.False, Label);
            Assert.That(error.Sense == SenseData.ParameterListLengthError, Is.True, () => Label() + ": answered " + error);
        }
    }

    [Test]
    public void AnyReservedByteOfAPairDescriptorThatIsSetIsAnInvalidField()
    {
        int[] reservedInDescriptor = [0, 6, 7, 8, 14, 15];
        Random random = new(11);
        byte[] parameter = new byte[PairList.GetEncodedLength(40)];
        for (int i = 0; i < 2000; i++)
        {
            WirePair[] pairs = RandomPairs(random, random.Next(1, 40));
            CopyManagementRequest request = CopyManagementRequest.ForAtomicSplit(pairs, SplitMechanism.Freeze, readWrite: false);
            Assert.That(request.TryWrite(parameter, out int written, out string? reason), Is.True, () => reason ?? string.Empty);
            int descriptor = random.Next(pairs.Length);
            int offset = PairList.HeaderLength + (descriptor * PairList.DescriptorLength) + reservedInDescriptor[random.Next(reservedInDescriptor.Length)];
            parameter[offset] = (byte)random.Next(1, 256);
            string Label() => "case " + i + ": byte " + offset + " set to 0x" + parameter[offset].ToString("X2", System.Globalization.CultureInfo.InvariantCulture);
            Assert.That(CopyManagementRequest.TryDecode(request.ToCdb(), parameter.AsSpan(0, written), out _, out CopyManagementError error), Is.False, Label);
            Assert.That(error.Sense == SenseData.InvalidFieldInParameterList, Is.True, () => Label() + ": answered " + error);
            Assert.That(error.Reason.Contains("pair descriptor " + descriptor + ": reserved byte", StringComparison.Ordinal) && error.Reason.Contains("offset " + offset + ")", StringComparison.Ordinal), Is.True, () => Label() + ": the reason points at the byte: " + error.Reason);
        }
    }

    private static TestCaseData Case(string name, string opcodeHex, string parameterHex, SenseData sense, string reasonPart)
    {
        return new TestCaseData(opcodeHex, parameterHex, sense, reasonPart).SetName("{m}(" + name + ")");
    }

    private static bool SamePairs(IReadOnlyList<WirePair> actual, IReadOnlyList<WirePair> expected)
    {
        if (actual.Count != expected.Count)
        {
            return false;
        }

        for (int i = 0; i < actual.Count; i++)
        {
            if (actual[i] != expected[i])
            {
                return false;
            }
        }

        return true;
    }

    private static string Repeat(string text, int times)
    {
        string repeated = string.Empty;
        for (int i = 0; i < times; i++)
        {
            repeated += text;
        }

        return repeated;
    }

    private static string Hex(string spaced)
    {
        return spaced.Replace(" ", string.Empty, StringComparison.Ordinal);
    }

    private static (byte[] Cdb, byte[] Parameter) Encode(CopyManagementRequest request)
    {
        byte[] cdb = new byte[CopyManagementCdb.Length];
        Assert.That(request.ToCdb().TryWrite(cdb), Is.True, "the CDB of " + request + " encodes");
        byte[] parameter = new byte[request.GetParameterListLength()];
        Assert.That(request.TryWrite(parameter, out int written, out string? reason), Is.True, reason);
        Assert.That(written, Is.EqualTo(parameter.Length), "the whole parameter list is written");
        return (cdb, parameter);
    }

    private static CopyManagementRequest Decode(byte[] cdbBytes, byte[] parameter)
    {
        Assert.That(CopyManagementCdb.TryRead(cdbBytes, out CopyManagementCdb cdb, out string? reason), Is.True, reason);
        Assert.That(CopyManagementRequest.TryDecode(cdb, parameter, out CopyManagementRequest request, out CopyManagementError error), Is.True, error.ToString());
        return request;
    }

    private static void AssertRefused(CopyManagementRequest request, string reasonPart)
    {
        byte[] parameter = new byte[256];
        Assert.That(request.TryWrite(parameter, out int written, out string? reason), Is.False, request + " is refused");
        Assert.That(reason, Does.Contain(reasonPart), "the reason names the problem");
        Assert.That(written, Is.Zero, "nothing counted as written");
        Assert.That(parameter, Is.All.Zero, "a refused request writes nothing");
    }

    private static CopyManagementRequest RandomRequest(Random random)
    {
        CopyManagementOpcode[] opcodes =
        [
            CopyManagementOpcode.PairCreate, CopyManagementOpcode.PairSplit, CopyManagementOpcode.PairResync,
            CopyManagementOpcode.PairRestore, CopyManagementOpcode.PairSwapResync, CopyManagementOpcode.PairDelete,
            CopyManagementOpcode.PairSuspendByError, CopyManagementOpcode.NameMirrors, CopyManagementOpcode.AtomicSplit,
            CopyManagementOpcode.AtomicSplitByName,
        ];
        CopyManagementOpcode opcode = opcodes[random.Next(opcodes.Length)];
        SplitMechanism mechanism = (SplitMechanism)random.Next(3);
        bool readWrite = random.Next(2) == 1;

        // Mostly short lists, now and then a long one, so the count's two bytes are exercised too.
        int count = random.Next(20) == 0 ? random.Next(41, 300) : random.Next(0, 41);
        return opcode switch
        {
            CopyManagementOpcode.PairSplit => CopyManagementRequest.ForPairSplit(RandomPairs(random, 1)[0], readWrite),
            CopyManagementOpcode.NameMirrors => CopyManagementRequest.ForNameMirrors(RandomName(random), RandomPairs(random, count)),
            CopyManagementOpcode.AtomicSplit => CopyManagementRequest.ForAtomicSplit(RandomPairs(random, Math.Max(1, count)), mechanism, readWrite),
            CopyManagementOpcode.AtomicSplitByName => CopyManagementRequest.ForAtomicSplitByName(RandomName(random), mechanism, readWrite),
            _ => CopyManagementRequest.ForPair(opcode, RandomPairs(random, 1)[0]),
        };
    }

    private static WirePair[] RandomPairs(Random random, int count)
    {
        WirePair[] pairs = new WirePair[count];
        for (int i = 0; i < count; i++)
        {
            pairs[i] = new WirePair(RandomVolume(random), RandomVolume(random));
        }

        return pairs;
    }

    private static WireVolumeId RandomVolume(Random random)
    {
        // The edges of both fields as often as the middle.
        uint portId = random.Next(4) switch
        {
            0 => 0,
            1 => PortId.MaxValue,
            _ => (uint)random.Next((int)PortId.MaxValue + 1),
        };
        ushort lun = random.Next(4) switch
        {
            0 => 0,
            1 => ushort.MaxValue,
            _ => (ushort)random.Next(ushort.MaxValue + 1),
        };
        return new WireVolumeId(new PortId(portId), lun);
    }

    private static string RandomName(Random random)
    {
        char[] name = new char[random.Next(1, MirrorNameBlock.MaxNameLength + 1)];
        for (int i = 0; i < name.Length; i++)
        {
            name[i] = (char)random.Next(0x21, 0x7F);
        }

        return new string(name);
    }
}
