// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Traces.Formats;

namespace Controller.Traces.Tests.Formats;

/// <summary>blkparse default output, written from blkparse(1) (specs/blkparse.1): its example line and the per-action layouts.</summary>
public sealed class BlkparseReaderTests
{
    private const string Sample = """
          8,0    3        1     0.000000000   697  G   W 223490 + 8 [kjournald]
          8,0    3        2     0.000001829   697  P   N [kjournald]
          8,0    3        3     0.000007396   697  Q   W 223490 + 8 [kjournald]
          8,0    3        4     0.000011503   697  D   W 223490 + 8 [kjournald]
          8,0    0        5     0.000521008     0  C   W 223490 + 8 [0]
          8,16   1        6     1.250000000  1020  D   R 4096 + 16 [dd]
          8,0    1        7     1.500000000  1020  D  FN [kworker/1:1H]
          8,0    1        8     1.600000000  1020  D   R 36 (12 00 00 00 24 00) [sg_inq]
        CPU0 (8,0):
         Reads Queued:           0,        0KiB  Writes Queued:           1,        4KiB
        Total (8,0):
         Reads Queued:           0,        0KiB  Writes Queued:           1,        4KiB
        Throughput (R/W): 0KiB/s / 7KiB/s
        """;

    [Test]
    public void TheIssuedEventsWithARangeAreTheIoAndTheSummaryIsPassedOver()
    {
        using BlkparseReader reader = new(new StringReader(Sample), "sda.txt");

        List<TraceRecord> records = TraceAssert.ReadAll(reader);

        Assert.That(records, Is.EqualTo(new[]
        {
            new TraceRecord(11_503, "8,0", TraceOperation.Write, 223_490L * 512, 8 * 512, 4),
            new TraceRecord(1_250_000_000, "8,16", TraceOperation.Read, 4096L * 512, 16 * 512, 6),
        }), "only D events with 'sector + blocks' are I/O; a D without data ('FN' has no range here) and a pass-through payload are not");
        Assert.That(reader.IgnoredLines, Is.EqualTo(11), "G, P, Q, C, the range-less D events and the statistics carry no new I/O");
    }

    [Test]
    public void AFlushWithARangeOfNoBlocksIsAFlush()
    {
        using BlkparseReader reader = new(new StringReader("  8,0    1        7     1.500000000  1020  D  FWS 0 + 0 [jbd2/sda1-8]\n"), "sda.txt");

        Assert.That(TraceAssert.ReadAll(reader), Is.EqualTo(new[] { new TraceRecord(1_500_000_000, "8,0", TraceOperation.Flush, 0, 0, 1) }), "FWS with no blocks is a preflush, not a write");
    }

    [TestCase("  8,0    3        4     0.000011503   697  D   DS 223490 + 8 [fstrim]\n", "RWBS 'DS' is a discard")]
    [TestCase("  8,0    3        4     0.0000115   697  D   W 223490 + 8 [x]\n", "time '0.0000115' is not seconds.nanoseconds")]
    [TestCase("  sda    3        4     0.000011503   697  D   W 223490 + 8 [x]\n", "'sda' is not a device major,minor")]
    [TestCase("  8,0    3        4     0.000011503   697  D   N 223490 + 8 [x]\n", "RWBS 'N' is neither a read (R), a write (W) nor a flush (F)")]
    [TestCase("  8,0    3\n", "2 fields")]
    public void AMalformedEventIsRefusedWithItsProblem(string line, string problem)
    {
        TraceFormatException bad = TraceAssert.Bad(line, (text, file) => new BlkparseReader(text, file));

        Assert.That(bad.Message, Does.StartWith("sample.trace:1: ").And.Contain(problem), "file:line: problem");
    }
}
