// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Testing;
using Controller.Wire.Pcap;

namespace Controller.Wire.Tests.Pcap;

public sealed class PcapWriterTests
{
    // Little-endian nanosecond magic, version 2.4, thiszone 0, sigfigs 0, snaplen 65535, link type 224.
    private const string GoldenGlobalHeader = "4D3CB2A1" + "0200" + "0400" + "00000000" + "00000000" + "FFFF0000" + "E0000000";

    // 1 700 000 000 s (0x6553F100) and 123 456 789 ns (0x075BCD15), little-endian; captured and original length 56.
    private const string GoldenRecordHeader = "00F15365" + "15CD5B07" + "38000000" + "38000000";

    private const long GoldenTimestamp = 1_700_000_000_123_456_789;

    [Test]
    public void TheGlobalHeaderIsWrittenAtConstructionByteForByte()
    {
        using MemoryStream stream = new();
        using PcapWriter writer = new(stream, leaveOpen: true);
        Assert.That(Convert.ToHexString(stream.ToArray()), Is.EqualTo(GoldenGlobalHeader), "nanosecond magic, 2.4, snaplen 65535, LINKTYPE_FC_2, all little-endian");
    }

    [Test]
    public void OneRecordIsItsHeaderAndTheFrameByteForByte()
    {
        byte[] frame = FcpFrames.Write16Command();
        using MemoryStream stream = new();
        using (PcapWriter writer = new(stream, leaveOpen: true))
        {
            writer.WriteFrame(GoldenTimestamp, frame);
            Assert.That(writer.RecordsWritten, Is.EqualTo(1), "one frame written");
        }

        Assert.That(Convert.ToHexString(stream.ToArray()), Is.EqualTo(GoldenGlobalHeader + GoldenRecordHeader + FcpFrames.Write16CommandHex),
            "the record is seconds, nanoseconds, two equal lengths, then the FC-2 frame with no SOF, EOF or CRC");
    }

    [Test]
    public void WritingARecordAllocatesNothing()
    {
        byte[] frame = FcpFrames.Write16Command();
        using MemoryStream stream = new(capacity: 1 << 20);
        using PcapWriter writer = new(stream, leaveOpen: true);
        writer.WriteFrame(0, frame);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int n = 1; n <= 1000; n++)
        {
            writer.WriteFrame(n, frame);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(allocated, Is.Zero, "a record header is stackalloc'ed and the frame goes straight to the stream");
    }

    [TestCase(-1L)]
    [TestCase(long.MinValue)]
    [TestCase(4_294_967_296_000_000_000L)]
    [TestCase(long.MaxValue)]
    public void ATimestampTheRecordHeaderCannotHoldIsRefused(long timestamp)
    {
        using PcapWriter writer = new(new MemoryStream());
        ArgumentOutOfRangeException? thrown = Assert.Throws<ArgumentOutOfRangeException>(() => writer.WriteFrame(timestamp, FcpFrames.Write16Command()), "seconds are an unsigned 32-bit field");
        Assert.That(thrown!.Message, Does.Contain("1970 to 2106"), "the message gives the range");
        Assert.That(writer.RecordsWritten, Is.Zero, "nothing written");
    }

    [Test]
    public void TheLastNanosecondOf2106IsWritten()
    {
        using MemoryStream stream = new();
        using (PcapWriter writer = new(stream, leaveOpen: true))
        {
            writer.WriteFrame(4_294_967_295_999_999_999L, FcpFrames.Write16Command());
        }

        Assert.That(Convert.ToHexString(stream.ToArray(), 24, 8), Is.EqualTo("FFFFFFFF" + "FFC99A3B"), "seconds 0xFFFFFFFF, nanoseconds 999 999 999");
    }

    [TestCase(0)]
    [TestCase(23)]
    [TestCase(65536)]
    public void AFrameWithoutAWholeHeaderOrLongerThanTheSnapshotLengthIsRefused(int length)
    {
        using MemoryStream stream = new();
        using PcapWriter writer = new(stream, leaveOpen: true);
        ArgumentException? thrown = Assert.Throws<ArgumentException>(() => writer.WriteFrame(0, new byte[length]), "a record must start with an FC header and fit the snaplen");
        Assert.That(thrown!.Message, Does.Contain(length + " bytes"), "the message gives the length");
        Assert.That(stream.Length, Is.EqualTo(PcapFormat.GlobalHeaderLength), "nothing written after the global header");
    }

    [Test]
    public void DisposingClosesTheStreamUnlessToldToLeaveItOpen()
    {
        MemoryStream owned = new();
        new PcapWriter(owned).Dispose();
        Assert.That(owned.CanWrite, Is.False, "the writer owns the stream by default");

        using MemoryStream kept = new();
        PcapWriter writer = new(kept, leaveOpen: true);
        writer.Dispose();
        writer.Dispose();
        Assert.That(kept.CanWrite, Is.True, "leaveOpen keeps the stream; a second Dispose does nothing");
        Assert.Throws<ObjectDisposedException>(() => writer.WriteFrame(0, FcpFrames.Write16Command()), "no record after Dispose");
        Assert.Throws<ObjectDisposedException>(writer.Flush, "no flush after Dispose");
    }

    [Test]
    public void AStreamThatCannotBeWrittenIsRefused()
    {
        using MemoryStream readOnly = new(new byte[8], writable: false);
        Assert.Throws<ArgumentException>(() => new PcapWriter(readOnly), "the global header could not be written");
    }

    [Test]
    public void TsharkDecodesAWrite16CommandFromTheTrace()
    {
        string directory = Path.Combine(Path.GetTempPath(), "controller-pcap-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            string path = Path.Combine(directory, "write16.pcap");
            using (PcapWriter writer = new(File.Create(path)))
            {
                writer.WriteFrame(GoldenTimestamp, FcpFrames.Write16Command());
            }

            string[] lines = Tshark.Read(path);
            Assert.That(lines, Has.Length.EqualTo(1), "one frame, one line: " + string.Join(" | ", lines));
            string line = lines[0];
            Assert.That(line, Does.Contain("SCSI: Write(16) LUN: 0x01"), "FC -> FCP -> SCSI decoded: " + line);
            Assert.That(line, Does.Contain("(LBA: 16, Len: 8)"), "the CDB's fields: " + line);
            Assert.That(line, Does.Contain("01.02.00"), "the S_ID: " + line);
            Assert.That(line, Does.Contain("40.01.04"), "the D_ID: " + line);
            Assert.That(line, Does.Contain("FCP 56 "), "the record holds the 56-byte frame and nothing else: " + line);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
