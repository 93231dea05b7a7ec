// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Wire.CopyManagement;

namespace Controller.Wire.Tests.CopyManagement;

public sealed class PairStatusDataTests
{
    // A valid PAIR row (entry 1, 0x400104/0x0001 -> 0x400104/0x0002, 100 %, never split, no name), split after its
    // entry ID so that a test can change the byte above the P-VOL's port ID.
    private const string RestOfOneRow = "0001" + "0000" + "00400104" + "0002" + "000200006400" + "000000000000000000000000000000000000000000000000" + "0000000000000000000000000000000000000000000000000000000000000000" + "0000000000000007" + "0000000000000007";
    private const string OneRow = "00000001" + "00400104" + RestOfOneRow;

    private static readonly PairStatusRow[] ThreeRows =
    [
        new(1, new WireVolumeId(new PortId(0x400104), 1), new WireVolumeId(new PortId(0x400104), 2), 0, 2, 0, 0, 100, 0, 0, 0, "AUXSET1") { CopiedTracks = 4096, CopyTotalTracks = 4096 },
        new(2, new WireVolumeId(new PortId(0x400104), 4), new WireVolumeId(new PortId(0x421014), 5), 0, 3, 1, 0, 100, 41, 1_767_225_600_000_000_000, 12, "AUXSET1") { CopiedTracks = 7, CopyTotalTracks = 7 },
        new(3, new WireVolumeId(new PortId(0x400104), 1), new WireVolumeId(new PortId(0x400104), 3), 0, 1, 0, 1, PairStatusRow.PercentUnknown, 0, 0, 4096, string.Empty) { CopiedTracks = 100, CopyTotalTracks = 0 },
    ];

    // Allocation length -> bytes returned, rows returned. The header always counts three rows.
    [TestCase(0u, 0, 0)]
    [TestCase(4u, 4, 0)]
    [TestCase(8u, 8, 0)]
    [TestCase(103u, 8, 0)]
    [TestCase(104u, 104, 1)]
    [TestCase(199u, 104, 1)]
    [TestCase(200u, 200, 2)]
    [TestCase(295u, 200, 2)]
    [TestCase(296u, 296, 3)]
    [TestCase(4096u, 296, 3)]
    [TestCase(uint.MaxValue, 296, 3)]
    public void TheAllocationLengthCutsTheDataAtWholeRows(uint allocationLength, int expectedBytes, int expectedRows)
    {
        byte[] buffer = new byte[512];
        buffer.AsSpan().Fill(0xEE);
        Assert.That(PairStatusData.GetTransferLength(ThreeRows.Length, allocationLength), Is.EqualTo(expectedBytes), "the transfer length for " + allocationLength);
        Assert.That(PairStatusData.TryWrite(ThreeRows, allocationLength, buffer, out int written, out string? reason), Is.True, reason);
        Assert.That(written, Is.EqualTo(expectedBytes), "bytes returned for an allocation length of " + allocationLength);
        Assert.That(buffer[written], Is.EqualTo(0xEE), "nothing written past the returned bytes");

        if (written < PairStatusData.HeaderLength)
        {
            Assert.That(buffer.AsSpan(0, written).ToArray(), Is.EqualTo(Convert.FromHexString("0000012000030060").AsSpan(0, written).ToArray()), "the header cut short");
            Assert.That(PairStatusData.TryRead(buffer.AsSpan(0, written), out _, out _, out reason), Is.False, "a cut header cannot be read");
            Assert.That(reason, Does.Contain("shorter than its 8-byte header"), "the reason says why");
            return;
        }

        Assert.That(Convert.ToHexString(buffer, 0, 8), Is.EqualTo("0000012000030060"), "ROW DATA LENGTH 288 (3 x 96) and 3 rows of 96 bytes, whatever was cut");
        Assert.That(PairStatusData.TryRead(buffer.AsSpan(0, written), out PairStatusRow[] rows, out int totalRows, out reason), Is.True, reason);
        Assert.That(rows, Is.EqualTo(ThreeRows.AsSpan(0, expectedRows).ToArray()), "the rows that fit, in order");
        Assert.That(totalRows, Is.EqualTo(3), "the header still counts every row");
        Assert.That(rows.Length < totalRows, Is.EqualTo(expectedRows < 3), "truncated exactly when rows are missing");
        Assert.That(PairStatusData.GetLength(totalRows), Is.EqualTo(296), "the allocation length to ask again with");
    }

    [Test]
    public void AnEmptyTableIsAHeaderOfZeros()
    {
        byte[] buffer = new byte[16];
        Assert.That(PairStatusData.TryWrite([], 1024, buffer, out int written, out string? reason), Is.True, reason);
        Assert.That(Convert.ToHexString(buffer, 0, written), Is.EqualTo("0000000000000060"), "no rows, row length 96");
        Assert.That(PairStatusData.TryRead(buffer.AsSpan(0, written), out PairStatusRow[] rows, out int total, out reason), Is.True, reason);
        Assert.That((rows.Length, total), Is.EqualTo((0, 0)), "no rows, not truncated");
    }

    [Test]
    public void ABadRowIsRefusedEvenPastTheAllocationLength()
    {
        PairStatusRow[] rows = [ThreeRows[0], ThreeRows[1], ThreeRows[2] with { State = 42 }];
        byte[] buffer = new byte[512];
        Assert.That(PairStatusData.TryWrite(rows, 104, buffer, out int written, out string? reason), Is.False, "row 2 is bad, though only row 0 would be sent");
        Assert.That(reason, Does.Contain("PAIR STATUS row 2:").And.Contain("state 42"), "the reason names the row and the field");
        Assert.That((written, buffer), Is.EqualTo((0, new byte[512])), "a refused table writes nothing");
    }

    [Test]
    public void AShortDestinationIsRefused()
    {
        Assert.That(PairStatusData.TryWrite(ThreeRows, 296, new byte[295], out _, out string? reason), Is.False, "296 bytes to send, 295 of room");
        Assert.That(reason, Does.Contain("PAIR STATUS of 296 bytes does not fit the 295-byte buffer"), "the reason gives both lengths");
    }

    [TestCase("0000012000030051" + OneRow, "row length is 81, neither 96 nor 80")]
    [TestCase("000000A000030060" + OneRow, "ROW DATA LENGTH is 160, not 96 x 3 rows")]
    [TestCase("000000A000030050" + OneRow, "ROW DATA LENGTH is 160, not 80 x 3 rows")]
    [TestCase("0000006000010060" + "00", "1 bytes after the header are not whole 96-byte rows")]
    [TestCase("0000006000010060" + OneRow + "00", "97 bytes after the header are not whole 96-byte rows")]
    [TestCase("0000005000010050" + OneRow, "96 bytes after the header are not whole 80-byte rows")]
    [TestCase("0000000000000060" + OneRow, "holds 1 rows, the header counts 0")]
    [TestCase("0000006000010060" + "00000001" + "01400104" + RestOfOneRow, "row 0: PAIR STATUS row: reserved byte 4")]
    public void MalformedDataIsRefusedWithASpecificReason(string hex, string reasonPart)
    {
        Assert.That(PairStatusData.TryRead(Convert.FromHexString(hex), out PairStatusRow[] rows, out int total, out string? reason), Is.False, hex);
        Assert.That(reason, Does.Contain(reasonPart), "the reason names the field");
        Assert.That((rows.Length, total), Is.EqualTo((0, 0)), "a refused buffer gives no rows");
    }

    [Test]
    public void AnOlderTargetsEightyByteRowsAreReadWithTheCopyCountsNotKnown()
    {
        // Row length 80, ROW DATA LENGTH 80: the row of a target from before the copy counts (bytes 80-95).
        string hex = "0000005000010050" + OneRow[..160];
        Assert.That(PairStatusData.TryRead(Convert.FromHexString(hex), out PairStatusRow[] rows, out int total, out string? reason), Is.True, reason);
        Assert.That((rows.Length, total), Is.EqualTo((1, 1)), "one row of one");
        Assert.That(rows[0].PVol, Is.EqualTo(new WireVolumeId(new PortId(0x400104), 1)), "the 80 bytes decoded as before");
        Assert.That((rows[0].CopiedTracks, rows[0].CopyTotalTracks), Is.EqualTo(((ulong?)null, (ulong?)null)), "the counts not known, not 0");
        Assert.That(PairStatusData.TryRead(Convert.FromHexString("0000006000010060" + OneRow), out rows, out _, out reason), Is.True, reason);
        Assert.That((rows[0].CopiedTracks, rows[0].CopyTotalTracks), Is.EqualTo(((ulong?)7, (ulong?)7)), "a 96-byte row carries them");
    }

    [Test]
    public void RandomTablesRoundTripAtRandomAllocationLengths()
    {
        Random random = new(80);
        byte[] buffer = new byte[PairStatusData.GetLength(24)];
        for (int i = 0; i < 1000; i++)
        {
            PairStatusRow[] table = new PairStatusRow[random.Next(0, 25)];
            for (int r = 0; r < table.Length; r++)
            {
                table[r] = RandomRow(random);
            }

            uint allocation = (uint)random.Next(0, buffer.Length + 100);
            string Label() => "case " + i + ": " + table.Length + " rows, allocation length " + allocation;
            Assert.That(PairStatusData.TryWrite(table, allocation, buffer, out int written, out string? writeReason), Is.True, () => Label() + ": " + writeReason);
            Assert.That(written <= allocation, Is.True, () => Label() + ": never more than the allocation length, " + written + " bytes written");
            if (written < PairStatusData.HeaderLength)
            {
                // Less than the header fits: the bytes sent are the header cut short, and cannot be read as a table.
                Assert.That(written == allocation, Is.True, () => Label() + ": all of the allocation length is used, not " + written + " bytes");
                Assert.That(PairStatusData.TryRead(buffer.AsSpan(0, written), out _, out _, out _), Is.False, () => Label() + ": a cut header cannot be read");
                continue;
            }

            Assert.That(PairStatusData.TryRead(buffer.AsSpan(0, written), out PairStatusRow[] rows, out int total, out string? readReason), Is.True, () => Label() + ": " + readReason);
            Assert.That(total == table.Length, Is.True, () => Label() + ": the header counts every row, not " + total);
            Assert.That(rows.Length == Math.Min(table.Length, (int)((allocation - 8) / PairStatusRow.Length)), Is.True, () => Label() + ": as many whole rows as fit, not " + rows.Length);
            Assert.That(rows.AsSpan().SequenceEqual(table.AsSpan(0, rows.Length)), Is.True, () => Label() + ": a prefix of the table, in order");
        }
    }

    private static PairStatusRow RandomRow(Random random)
    {
        char[] name = new char[random.Next(0, 33)];
        for (int i = 0; i < name.Length; i++)
        {
            name[i] = (char)random.Next(0x21, 0x7F);
        }

        int percent = random.Next(102);
        return new PairStatusRow(
            (uint)random.NextInt64(uint.MaxValue + 1L),
            new WireVolumeId(new PortId((uint)random.Next(0x1000000)), (ushort)random.Next(0x10000)),
            new WireVolumeId(new PortId((uint)random.Next(0x1000000)), (ushort)random.Next(0x10000)),
            (byte)random.Next(2),
            (byte)random.Next(7),
            (byte)random.Next(2),
            (byte)random.Next(3),
            percent == 101 ? PairStatusRow.PercentUnknown : (byte)percent,
            (ulong)random.NextInt64(),
            random.NextInt64(),
            (ulong)random.NextInt64(),
            new string(name))
        {
            CopiedTracks = (ulong)random.NextInt64(),
            CopyTotalTracks = (ulong)random.NextInt64(),
        };
    }
}
