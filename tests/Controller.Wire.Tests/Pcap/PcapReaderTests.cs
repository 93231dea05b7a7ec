// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using Controller.Wire.Pcap;

namespace Controller.Wire.Tests.Pcap;

public sealed class PcapReaderTests
{
    private const long MaxTimestamp = 4_294_967_295_999_999_999L;

    // Global header, then record 1 (24-byte frame) at offset 24, record 2 (32-byte frame) at offset 64; 112 bytes.
    private const int Record1Offset = PcapFormat.GlobalHeaderLength;
    private const int Record2Offset = Record1Offset + PcapFormat.RecordHeaderLength + 24;
    private const int SmallFileLength = Record2Offset + PcapFormat.RecordHeaderLength + 32;

    [Test]
    public void FramesWrittenReadBackWithTheirTimestamps()
    {
        int[] lengths = [24, 56, FcipEncapsulation.MaxFcFrameLength, 5000, 60_000, 56];
        long[] timestamps = [0, 1, 1_700_000_000_123_456_789, 1_700_000_000_999_999_999, 1_700_000_001_000_000_000, MaxTimestamp];
        byte[][] frames = new byte[lengths.Length][];
        using MemoryStream stream = new();
        using (PcapWriter writer = new(stream, leaveOpen: true))
        {
            for (int i = 0; i < frames.Length; i++)
            {
                frames[i] = new byte[lengths[i]];
                new Random(i).NextBytes(frames[i]);
                writer.WriteFrame(timestamps[i], frames[i]);
            }
        }

        stream.Position = 0;
        using PcapReader reader = new(stream);
        Assert.That((reader.LinkType, reader.SnapLength, reader.IsNanosecond), Is.EqualTo((PcapFormat.LinkTypeFc2, PcapFormat.DefaultSnapLength, true)), "the writer's global header");
        for (int i = 0; i < frames.Length; i++)
        {
            Assert.That(reader.TryReadNext(out PcapRecord record), Is.True, "record " + (i + 1) + " is there");
            Assert.That(record.Number, Is.EqualTo(i + 1), "records count from 1");
            Assert.That(record.TimestampNanoseconds, Is.EqualTo(timestamps[i]), "record " + record.Number + "'s time stamp to the nanosecond");
            Assert.That(record.OriginalLength, Is.EqualTo(lengths[i]), "record " + record.Number + " was not cut");
            Assert.That(record.Frame.ToArray(), Is.EqualTo(frames[i]), "record " + record.Number + "'s frame, byte for byte");
        }

        Assert.That(reader.TryReadNext(out _), Is.False, "a clean end of file after the last record");
        Assert.That(reader.TryReadNext(out _), Is.False, "and it stays at the end");
    }

    [TestCase(false, false, TestName = "A little-endian microsecond file reads correctly")]
    [TestCase(false, true, TestName = "A little-endian nanosecond file reads correctly")]
    [TestCase(true, false, TestName = "A big-endian microsecond file reads correctly")]
    [TestCase(true, true, TestName = "A big-endian nanosecond file reads correctly")]
    public void AFileInEitherByteOrderAndEitherResolutionReadsCorrectly(bool bigEndian, bool nanosecond)
    {
        byte[] first = FcpFrames.Write16Command();
        byte[] cut = new byte[64];
        new Random(3).NextBytes(cut);
        uint fraction = nanosecond ? 123_456_789u : 123_456u;
        byte[] file = HandBuilt(bigEndian, nanosecond ? PcapFormat.MagicNanoseconds : PcapFormat.MagicMicroseconds, snapLength: 64, linkType: 224,
            Record(1_700_000_000, fraction, first, (uint)first.Length),
            Record(1_700_000_002, 0, cut, 2136));

        using PcapReader reader = new(new MemoryStream(file));
        Assert.That((reader.LinkType, reader.SnapLength, reader.IsNanosecond), Is.EqualTo((224, 64, nanosecond)), "the global header in the file's byte order");

        Assert.That(reader.TryReadNext(out PcapRecord record), Is.True, "record 1 is there");
        long expected = 1_700_000_000_000_000_000 + (nanosecond ? 123_456_789 : 123_456_000);
        Assert.That(record.TimestampNanoseconds, Is.EqualTo(expected), "microseconds are scaled up to nanoseconds");
        Assert.That(record.Frame.ToArray(), Is.EqualTo(first), "the frame's bytes are data: never swapped");
        Assert.That(record.OriginalLength, Is.EqualTo(56), "record 1's original length");

        Assert.That(reader.TryReadNext(out record), Is.True, "record 2 is there");
        Assert.That(record.TimestampNanoseconds, Is.EqualTo(1_700_000_002_000_000_000), "record 2's time stamp");
        Assert.That((record.Frame.Length, record.OriginalLength), Is.EqualTo((64, 2136)), "a frame cut to the snapshot length keeps its original length");
        Assert.That(record.Frame.ToArray(), Is.EqualTo(cut), "the captured part");
        Assert.That(reader.TryReadNext(out _), Is.False, "a clean end of file");
    }

    [Test]
    public void AnyLinkTypeIsReadAndReported()
    {
        byte[] file = HandBuilt(false, PcapFormat.MagicMicroseconds, snapLength: 65535, linkType: 1, Record(1, 2, new byte[14], 14));
        using PcapReader reader = new(new MemoryStream(file));
        Assert.That(reader.LinkType, Is.EqualTo(1), "Ethernet: the caller decides what it can use");
        Assert.That(reader.TryReadNext(out PcapRecord record), Is.True, "the record is there");
        Assert.That(record.TimestampNanoseconds, Is.EqualTo(1_000_002_000), "1 s and 2 us");
    }

    [TestCase(0u)]
    [TestCase(262145u)]
    [TestCase(uint.MaxValue)]
    public void ASnapshotLengthOfZeroOrBeyondTheMaximumReadsAsTheMaximum(uint snapLength)
    {
        byte[] file = HandBuilt(false, PcapFormat.MagicNanoseconds, snapLength, linkType: 224, Record(0, 0, new byte[24], 24));
        using PcapReader reader = new(new MemoryStream(file));
        Assert.That(reader.SnapLength, Is.EqualTo(PcapFormat.MaxSnapLength), "as libpcap reads it");
        Assert.That(reader.TryReadNext(out _), Is.True, "the record is there");
    }

    [Test]
    public void EveryTruncationPointIsNamedInTheError()
    {
        byte[] file = SmallFile();
        Assert.That(file, Has.Length.EqualTo(SmallFileLength), "the layout the expectations below assume");
        for (int length = 0; length < file.Length; length++)
        {
            string prefix = "a file cut to " + length + " bytes";
            if (length is Record1Offset or Record2Offset)
            {
                Assert.That(ReadAll(file.AsSpan(0, length).ToArray()), Is.EqualTo(length == Record1Offset ? 0 : 1), prefix + " ends cleanly between records");
                continue;
            }

            InvalidDataException? thrown = Assert.Throws<InvalidDataException>(() => ReadAll(file.AsSpan(0, length).ToArray()), prefix + " is malformed (and nothing else is thrown)");
            Assert.That(thrown!.Message, Does.Contain(ExpectedTruncation(length)), prefix + ": the problem and where");
        }
    }

    [TestCase(0, "00000000", "global header at byte offset 0: bad magic 0x00000000")]
    [TestCase(0, "A1B2C3D5", "global header at byte offset 0: bad magic 0xA1B2C3D5")]
    [TestCase(0, "0A0D0D0A", "global header at byte offset 0: bad magic 0x0A0D0D0A: this is a pcapng file")]
    [TestCase(4, "0100", "global header at byte offset 0: unsupported version 1.4")]
    [TestCase(Record1Offset + 4, "00CA9A3B", "record 1 at byte offset 24: time stamp fraction 1000000000 is not below 1000000000")]
    [TestCase(Record1Offset + 8, "00000100", "record 1 at byte offset 24: captured length 65536 is larger than the snapshot length 65535")]
    [TestCase(Record1Offset + 8, "19000000", "record 1 at byte offset 24: captured length 25 is larger than the original length 24")]
    [TestCase(Record2Offset + 12, "00000080", "record 2 at byte offset 64: original length 2147483648 is beyond")]
    public void AnInconsistentHeaderIsNamedInTheError(int offset, string bytes, string expected)
    {
        byte[] file = SmallFile();
        Convert.FromHexString(bytes).CopyTo(file, offset);
        InvalidDataException? thrown = Assert.Throws<InvalidDataException>(() => ReadAll(file), "the file is malformed");
        Assert.That(thrown!.Message, Does.StartWith("pcap ").And.Contain(expected), "the record, the offset and the problem");
    }

    [Test]
    public void ReadingARecordAllocatesNothing()
    {
        using MemoryStream stream = new();
        using (PcapWriter writer = new(stream, leaveOpen: true))
        {
            for (int n = 0; n <= 1000; n++)
            {
                writer.WriteFrame(n, FcpFrames.Write16Command());
            }
        }

        stream.Position = 0;
        using PcapReader reader = new(stream);
        Assert.That(reader.TryReadNext(out _), Is.True, "record 1 is there");
        long before = GC.GetAllocatedBytesForCurrentThread();
        int records = 0;
        while (reader.TryReadNext(out _))
        {
            records++;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(records, Is.EqualTo(1000), "every record read");
        Assert.That(allocated, Is.Zero, "records are views of one reused buffer");
    }

    [Test]
    public void AReaderThatFoundAMalformedRecordStaysStopped()
    {
        byte[] file = SmallFile();
        using PcapReader reader = new(new MemoryStream(file, 0, Record2Offset + 3));
        Assert.That(reader.TryReadNext(out _), Is.True, "record 1 is whole");
        Assert.Throws<InvalidDataException>(() => reader.TryReadNext(out _), "record 2's header is cut");
        InvalidOperationException? thrown = Assert.Throws<InvalidOperationException>(() => reader.TryReadNext(out _), "nothing marks where a next record would start");
        Assert.That(thrown!.Message, Does.Contain("record 2 at byte offset 64"), "the message recalls why");
    }

    [Test]
    public void RandomCorruptionsThrowNothingButInvalidDataException()
    {
        byte[] original = SmallFile();
        Random random = new(11);
        int malformed = 0;
        for (int n = 0; n < 20_000; n++)
        {
            byte[] mutated = (byte[])original.Clone();
            int flips = 1 + random.Next(4);
            for (int f = 0; f < flips; f++)
            {
                mutated[random.Next(mutated.Length)] ^= (byte)(1 + random.Next(255));
            }

            try
            {
                ReadAll(mutated.AsSpan(0, random.Next(mutated.Length + 1)).ToArray());
            }
            catch (InvalidDataException)
            {
                malformed++;
            }
        }

        Assert.That(malformed, Is.GreaterThan(10_000), "most corruptions are caught (the rest hit frame bytes or time stamps)");
    }

    [Test]
    public void OpenReadsAFileAndNamesItInErrors()
    {
        string directory = Path.Combine(Path.GetTempPath(), "controller-pcap-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            string good = Path.Combine(directory, "good.pcap");
            File.WriteAllBytes(good, SmallFile());
            using (PcapReader reader = PcapReader.Open(good))
            {
                Assert.That(reader.TryReadNext(out _) && reader.TryReadNext(out _) && !reader.TryReadNext(out _), Is.True, "two records, then the end");
            }

            string bad = Path.Combine(directory, "bad.pcap");
            File.WriteAllBytes(bad, SmallFile().AsSpan(0, 10).ToArray());
            InvalidDataException? thrown = Assert.Throws<InvalidDataException>(() => PcapReader.Open(bad), "a truncated global header");
            Assert.That(thrown!.Message, Does.StartWith(bad + ": pcap global header at byte offset 0: truncated (10 of 24 bytes)"), "the path starts the message");
            using FileStream exclusive = new(bad, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            Assert.That(exclusive.CanWrite, Is.True, "Open closed the file it could not read");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public void DisposingClosesTheStreamUnlessToldToLeaveItOpen()
    {
        MemoryStream owned = new(SmallFile());
        new PcapReader(owned).Dispose();
        Assert.That(owned.CanRead, Is.False, "the reader owns the stream by default");

        using MemoryStream kept = new(SmallFile());
        PcapReader reader = new(kept, leaveOpen: true);
        reader.Dispose();
        reader.Dispose();
        Assert.That(kept.CanRead, Is.True, "leaveOpen keeps the stream; a second Dispose does nothing");
        Assert.Throws<ObjectDisposedException>(() => reader.TryReadNext(out _), "no record after Dispose");
    }

    // Global header, record 1 (24 bytes, 1 s), record 2 (32 bytes, 2.5 s), as PcapWriter writes them.
    private static byte[] SmallFile()
    {
        using MemoryStream stream = new();
        using (PcapWriter writer = new(stream, leaveOpen: true))
        {
            writer.WriteFrame(1_000_000_000, new byte[24]);
            writer.WriteFrame(2_500_000_000, new byte[32]);
        }

        return stream.ToArray();
    }

    private static string ExpectedTruncation(int length)
    {
        if (length < Record1Offset)
        {
            return "pcap global header at byte offset 0: truncated (" + length + " of 24 bytes)";
        }

        int recordOffset = length < Record2Offset ? Record1Offset : Record2Offset;
        string record = "pcap record " + (recordOffset == Record1Offset ? 1 : 2) + " at byte offset " + recordOffset + ": ";
        int into = length - recordOffset;
        int frameLength = recordOffset == Record1Offset ? 24 : 32;
        return into < PcapFormat.RecordHeaderLength
            ? record + "truncated record header (" + into + " of 16 bytes)"
            : record + "truncated record data (" + (into - PcapFormat.RecordHeaderLength) + " of " + frameLength + " bytes)";
    }

    private static int ReadAll(byte[] file)
    {
        using PcapReader reader = new(new MemoryStream(file));
        int records = 0;
        while (reader.TryReadNext(out _))
        {
            records++;
        }

        return records;
    }

    private static (uint Seconds, uint Fraction, byte[] Data, uint OriginalLength) Record(uint seconds, uint fraction, byte[] data, uint originalLength)
    {
        return (seconds, fraction, data, originalLength);
    }

    // Builds a pcap file field by field, in the byte order asked for, independently of PcapWriter.
    private static byte[] HandBuilt(bool bigEndian, uint magic, uint snapLength, uint linkType, params (uint Seconds, uint Fraction, byte[] Data, uint OriginalLength)[] records)
    {
        using MemoryStream stream = new();
        byte[] word = new byte[4];
        void Write32(uint value)
        {
            if (bigEndian)
            {
                BinaryPrimitives.WriteUInt32BigEndian(word, value);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(word, value);
            }

            stream.Write(word);
        }

        void Write16(ushort value)
        {
            if (bigEndian)
            {
                BinaryPrimitives.WriteUInt16BigEndian(word, value);
            }
            else
            {
                BinaryPrimitives.WriteUInt16LittleEndian(word, value);
            }

            stream.Write(word, 0, 2);
        }

        Write32(magic);
        Write16(2);
        Write16(4);
        Write32(0);
        Write32(0);
        Write32(snapLength);
        Write32(linkType);
        foreach ((uint Seconds, uint Fraction, byte[] Data, uint OriginalLength) record in records)
        {
            Write32(record.Seconds);
            Write32(record.Fraction);
            Write32((uint)record.Data.Length);
            Write32(record.OriginalLength);
            stream.Write(record.Data);
        }

        return stream.ToArray();
    }
}
