// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Wire.CopyManagement;

namespace Controller.Wire.Tests.CopyManagement;

public sealed class PairStatusRowTests
{
    // A PSUS pair split read/write on mirror unit 2, written field by field from the row table of docs/protocol.md.
    private const string GoldenRow =
        "00000007" + // entry ID
        "00" + "400104" + "0001" + "0000" + // reserved, P-VOL port ID and LUN, reserved
        "00" + "400104" + "0002" + // reserved, S-VOL port ID and LUN
        "00" + "03" + "01" + "02" + "64" + "00" + // LOCAL, PSUS, read/write, unit 2, 100 %, reserved
        "0102030405060708" + // split sequence number
        "18867251EDFA0000" + // split time: 2026-01-01T00:00:00Z in nanoseconds since the Unix epoch
        "0000000000000010" + // differential tracks
        "41555853455431" + "00000000000000000000000000000000000000000000000000" + // "AUXSET1", zero padded to 32
        "0000000100000002" + // tracks copied by the last copy (past 32 bits: the field is 8 bytes)
        "0000000100000003"; // the last copy's total tracks

    private static readonly PairStatusRow Golden = new(
        EntryId: 7,
        PVol: new WireVolumeId(new PortId(0x400104), 1),
        SVol: new WireVolumeId(new PortId(0x400104), 2),
        Type: 0,
        State: 3,
        SplitMode: 1,
        MirrorUnit: 2,
        Percent: 100,
        SplitSequence: 0x0102030405060708,
        SplitTimeNanoseconds: 1_767_225_600_000_000_000,
        DifferentialTracks: 16,
        MirrorName: "AUXSET1")
    {
        CopiedTracks = 0x0000000100000002,
        CopyTotalTracks = 0x0000000100000003,
    };

    public static IEnumerable<TestCaseData> RoundTripRows()
    {
        yield return new TestCaseData(Golden).SetName("{m}(the golden PSUS row)");
        yield return new TestCaseData(Golden with { State = 1, Percent = PairStatusRow.PercentUnknown, SplitSequence = 0, SplitTimeNanoseconds = 0, MirrorName = string.Empty }).SetName("{m}(a COPY row with unknown progress and no name)");
        yield return new TestCaseData(new PairStatusRow(uint.MaxValue, new WireVolumeId(new PortId(0xFFFFFF), 0xFFFF), new WireVolumeId(new PortId(0xFFFFFF), 0xFFFF), 1, 6, 1, 2, 0, ulong.MaxValue, long.MaxValue, ulong.MaxValue, new string('~', 32)) { CopiedTracks = ulong.MaxValue, CopyTotalTracks = ulong.MaxValue }).SetName("{m}(every field at its largest)");
        yield return new TestCaseData(new PairStatusRow(0, default, default, 0, 0, 0, 0, 0, 0, 0, 0, string.Empty) { CopiedTracks = 0, CopyTotalTracks = 0 }).SetName("{m}(every field zero)");
        yield return new TestCaseData(Golden with { Flags = PairStatusRow.SecondaryFlag | PairStatusRow.DeterminingFlag }).SetName("{m}(a determining pair's secondary row)");
    }

    public static IEnumerable<TestCaseData> MalformedRows()
    {
        yield return Case("reserved byte 4", 4, 0x01, "reserved byte 4 is 0x01");
        yield return Case("reserved byte 10", 10, 0x80, "reserved byte 10 is 0x80");
        yield return Case("reserved byte 11", 11, 0x01, "reserved byte 11 is 0x01");
        yield return Case("reserved byte 12", 12, 0x40, "reserved byte 12 is 0x40");
        yield return Case("reserved byte 23", 23, 0xFF, "reserved byte 23 is 0xFF");
        yield return Case("an undefined flag in byte 23", 23, 0x04, "reserved byte 23 is 0x04");
        yield return Case("type 2", 18, 2, "type 2 is neither 0 (LOCAL) nor 1 (REMOTE)");
        yield return Case("state 7", 19, 7, "state 7 is outside 0 (SMPL) to 6 (RCPY)");
        yield return Case("split mode 2", 20, 2, "split mode 2 is neither");
        yield return Case("mirror unit 3", 21, 3, "mirror unit 3 is outside 0-2");
        yield return Case("progress 101 %", 22, 101, "copy progress 101 is neither 0-100 nor 0xFF");
        yield return Case("progress 0xFE", 22, 0xFE, "copy progress 254");
        yield return Case("a space in the name", 48 + 3, 0x20, "mirror name byte 3 is 0x20");
        yield return Case("a byte after the name's end", 48 + 8, 0x41, "mirror name padding after 7 characters is not zero");
        yield return Case("the last name byte after the end", 79, 0x01, "padding after 7 characters");
    }

    [Test]
    public void TheGoldenRowEncodesByteForByte()
    {
        byte[] bytes = new byte[PairStatusRow.Length];
        Assert.That(Golden.TryWrite(bytes, out string? reason), Is.True, reason);
        Assert.That(Convert.ToHexString(bytes), Is.EqualTo(GoldenRow), "the 96-byte row at the offsets of docs/protocol.md");
        Assert.That(PairStatusRow.TryRead(Convert.FromHexString(GoldenRow), out PairStatusRow row, out reason), Is.True, reason);
        Assert.That(row, Is.EqualTo(Golden), "and it decodes back");
    }

    [TestCaseSource(nameof(RoundTripRows))]
    public void RowsRoundTrip(PairStatusRow row)
    {
        byte[] bytes = new byte[PairStatusRow.Length];
        Assert.That(row.TryWrite(bytes), Is.True, row.ToString());
        Assert.That(PairStatusRow.TryRead(bytes, out PairStatusRow read, out string? reason), Is.True, reason);
        Assert.That(read, Is.EqualTo(row), "the same row after a round trip");
    }

    [TestCaseSource(nameof(MalformedRows))]
    public void AMalformedRowIsRefusedWithASpecificReason(int offset, byte value, string reasonPart)
    {
        byte[] bytes = Convert.FromHexString(GoldenRow);
        bytes[offset] = value;
        Assert.That(PairStatusRow.TryRead(bytes, out PairStatusRow row, out string? reason), Is.False, "byte " + offset + " = 0x" + value.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        Assert.That(reason, Does.Contain(reasonPart), "the reason names the field");
        Assert.That(row, Is.EqualTo(default(PairStatusRow)), "a refused row gives no value");
    }

    [Test]
    public void AShortRowIsRefused()
    {
        Assert.That(PairStatusRow.TryRead(Convert.FromHexString(GoldenRow).AsSpan(0, 95), out _, out string? reason), Is.False, "95 bytes");
        Assert.That(reason, Does.Contain("95 bytes, shorter than 96"), "the reason gives the length");
        Assert.That(PairStatusRow.TryRead(Convert.FromHexString(GoldenRow).AsSpan(0, 79), PairStatusRow.LengthWithoutCopyCounts, out _, out reason), Is.False, "79 bytes of an 80-byte row");
        Assert.That(reason, Does.Contain("79 bytes, shorter than 80"), "the reason gives the length");
        Assert.That(PairStatusRow.TryRead(Convert.FromHexString(GoldenRow), 88, out _, out reason), Is.False, "a row length of 88");
        Assert.That(reason, Does.Contain("row length is 88, neither 96 nor 80"), "the reason gives the length");
    }

    [Test]
    public void AnOlderTargetsEightyByteRowReadsWithTheCopyCountsNotKnown()
    {
        byte[] bytes = Convert.FromHexString(GoldenRow).AsSpan(0, PairStatusRow.LengthWithoutCopyCounts).ToArray();
        Assert.That(PairStatusRow.TryRead(bytes, PairStatusRow.LengthWithoutCopyCounts, out PairStatusRow row, out string? reason), Is.True, reason);
        Assert.That(row, Is.EqualTo(Golden with { CopiedTracks = null, CopyTotalTracks = null }), "the first 80 bytes as before, the counts null (not known), not 0");
    }

    [Test]
    public void ARowWithoutCopyCountsIsNotWrittenAsZero()
    {
        AssertRefused(Golden with { CopiedTracks = null }, 96, "the copy counts (tracks copied, copy total) are not set");
        AssertRefused(Golden with { CopyTotalTracks = null }, 96, "the copy counts (tracks copied, copy total) are not set");
    }

    [Test]
    public void ARowThatCannotBeEncodedIsRefusedAndNothingIsWritten()
    {
        AssertRefused(Golden, 95, "needs 96 bytes, the buffer has 95");
        AssertRefused(Golden with { Type = 2 }, 96, "type 2");
        AssertRefused(Golden with { State = 9 }, 96, "state 9");
        AssertRefused(Golden with { SplitMode = 3 }, 96, "split mode 3");
        AssertRefused(Golden with { MirrorUnit = 3 }, 96, "mirror unit 3");
        AssertRefused(Golden with { Percent = 200 }, 96, "copy progress 200");
        AssertRefused(Golden with { MirrorName = "AUX SET" }, 96, "character 3 is U+0020");
        AssertRefused(Golden with { MirrorName = new string('A', 33) }, 96, "more than 32");
    }

    [Test]
    public void ANullNameIsWrittenAsNoName()
    {
        byte[] bytes = new byte[PairStatusRow.Length];
        Assert.That((Golden with { MirrorName = null! }).TryWrite(bytes), Is.True, "a row built without a name");
        Assert.That(PairStatusRow.TryRead(bytes, out PairStatusRow row, out string? reason), Is.True, reason);
        Assert.That(row.MirrorName, Is.Empty, "read back as the empty name");
    }

    private static TestCaseData Case(string name, int offset, int value, string reasonPart)
    {
        return new TestCaseData(offset, (byte)value, reasonPart).SetName("{m}(" + name + ")");
    }

    private static void AssertRefused(PairStatusRow row, int bufferLength, string reasonPart)
    {
        byte[] buffer = new byte[bufferLength];
        Assert.That(row.TryWrite(buffer, out string? reason), Is.False, row + " is refused");
        Assert.That(reason, Does.Contain(reasonPart), "the reason names the field");
        Assert.That(buffer, Is.All.Zero, "a refused row writes nothing");
    }
}
