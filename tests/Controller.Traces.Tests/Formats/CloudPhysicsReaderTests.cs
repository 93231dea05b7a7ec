// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using Controller.Traces.Formats;

namespace Controller.Traces.Tests.Formats;

public sealed class CloudPhysicsReaderTests
{
    [Test]
    public void CsvOpcodesMapToReadsWritesAndFlushes()
    {
        using CloudPhysicsCsvReader reader = new(new StringReader("version,time,op,size,lbn\n1,10,2a,512,7\n1,11,88,4096,8\n1,12,35,0,0\n"), "c.csv");

        List<TraceRecord> records = TraceAssert.ReadAll(reader);

        Assert.That(records, Is.EqualTo(new[]
        {
            new TraceRecord(10_000_000_000, CloudPhysicsCsvReader.Device, TraceOperation.Write, 7 * 512, 512, 2),
            new TraceRecord(11_000_000_000, CloudPhysicsCsvReader.Device, TraceOperation.Read, 8 * 512, 4096, 3),
            new TraceRecord(12_000_000_000, CloudPhysicsCsvReader.Device, TraceOperation.Flush, 0, 0, 4),
        }), "2a WRITE(10), 88 READ(16), 35 SYNCHRONIZE CACHE(10); time in seconds");
    }

    [TestCase("1,10,2a,512,7\n", 1, "the header 'version,time,op,size,lbn' is expected first")]
    [TestCase("version,time,op,size,lbn\n1,10,12,36,0\n", 2, "op 0x12 is not a READ, WRITE or SYNCHRONIZE CACHE")]
    [TestCase("version,time,op,size,lbn\n1,10,zz,512,0\n", 2, "op 'zz' is not a SCSI opcode in hex")]
    [TestCase("version,time,op,size,lbn\n1,10,2a,512\n", 2, "4 fields where 5 are expected")]
    public void AMalformedCsvLineIsRefusedWithItsProblem(string text, long line, string problem)
    {
        TraceFormatException bad = TraceAssert.Bad(text, (reader, file) => new CloudPhysicsCsvReader(reader, file));

        Assert.That(bad.Message, Does.StartWith("sample.trace:" + line + ": ").And.Contain(problem), "file:line: problem");
    }

    [Test]
    public void BinaryRecordsAreThirtyTwoLittleEndianBytes()
    {
        byte[] file = [.. Record(0x2A, 0x0100, lbn: 42_932_745, length: 512, microseconds: 5_633_898_368_802), .. Record(0x28, 0x0100, lbn: 9, length: 4096, microseconds: 5_633_898_611_441)];
        using CloudPhysicsBinaryReader reader = new(new MemoryStream(file), "c.vscsi");

        List<TraceRecord> records = TraceAssert.ReadAll(reader);

        Assert.That(records, Is.EqualTo(new[]
        {
            new TraceRecord(5_633_898_368_802_000, CloudPhysicsCsvReader.Device, TraceOperation.Write, 42_932_745L * 512, 512, 1),
            new TraceRecord(5_633_898_611_441_000, CloudPhysicsCsvReader.Device, TraceOperation.Read, 9 * 512, 4096, 2),
        }), "cmd, lbn, len and ts_us as the record layout places them");
    }

    [Test]
    public void ABinaryRecordOfAnotherVersionOrTruncatedIsRefusedByItsNumber()
    {
        byte[] file = [.. Record(0x2A, 0x0100, 1, 512, 1), .. Record(0x2A, 0x0200, 1, 512, 2), .. Record(0x2A, 0x0100, 1, 512, 3).AsSpan(0, 20)];
        using CloudPhysicsBinaryReader reader = new(new MemoryStream(file), "c.vscsi");

        Assert.That(reader.TryRead(out _), Is.True, "the first record is version 1");
        TraceFormatException version = Assert.Throws<TraceFormatException>(() => reader.TryRead(out _))!;
        Assert.That(version.Message, Is.EqualTo("c.vscsi:2: version 0x0200 is not vSCSI version 1 (ver >> 8 == 1)"), "record 2 is version 2");
        TraceFormatException truncated = Assert.Throws<TraceFormatException>(() => reader.TryRead(out _))!;
        Assert.That(truncated.Message, Is.EqualTo("c.vscsi:3: truncated record: 20 of 32 bytes"), "record 3 is cut short");
        Assert.That(reader.TryRead(out _), Is.False, "then the file ends");
    }

    private static byte[] Record(ushort opcode, ushort version, long lbn, uint length, long microseconds)
    {
        byte[] record = new byte[CloudPhysicsBinaryReader.RecordLength];
        BinaryPrimitives.WriteUInt32LittleEndian(record, 0x800000F4);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(12), opcode);
        BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(14), version);
        BinaryPrimitives.WriteInt64LittleEndian(record.AsSpan(16), lbn);
        BinaryPrimitives.WriteInt64LittleEndian(record.AsSpan(24), microseconds);
        return record;
    }
}
