// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Traces.Formats;

namespace Controller.Traces.Tests.Formats;

public sealed class FioIologReaderTests
{
    [Test]
    public void Version3LinesCarryMicrosecondTimesAndFileActionsCarryNoIo()
    {
        const string Log = "fio version 3 iolog\n25 /dev/sdb add\n416 /dev/sdb open\n423 /dev/sdb read 4096 8192\n500 /dev/sdb write 0 512\n600 /dev/sdb sync 512 0\n700 /dev/sdb close\n";
        using FioIologReader reader = new(new StringReader(Log), "v3.iolog");

        List<TraceRecord> records = TraceAssert.ReadAll(reader);

        Assert.That(records, Is.EqualTo(new[]
        {
            new TraceRecord(423_000, "/dev/sdb", TraceOperation.Read, 4096, 8192, 4),
            new TraceRecord(500_000, "/dev/sdb", TraceOperation.Write, 0, 512, 5),
            new TraceRecord(600_000, "/dev/sdb", TraceOperation.Flush, 0, 0, 6),
        }), "reads, writes and syncs, each at its time stamp in microseconds");
        Assert.That(reader.IgnoredLines, Is.EqualTo(4), "the header and add, open, close carry no I/O");
        Assert.That(reader.Version, Is.EqualTo(3), "the header names version 3");
    }

    [Test]
    public void Version2TimeAdvancesByWaitsAndWaitsBelow100MicrosecondsAreDiscarded()
    {
        const string Log = "fio version 2 iolog\n/f add\n/f open\n/f write 0 4096\n/f wait 50 0\n/f write 4096 4096\n/f wait 1000 0\n/f datasync 0 0\n";
        using FioIologReader reader = new(new StringReader(Log), "v2.iolog");

        List<TraceRecord> records = TraceAssert.ReadAll(reader);

        Assert.That(records.ConvertAll(r => (r.TimeNanoseconds, r.Operation)), Is.EqualTo(new[]
        {
            (0L, TraceOperation.Write), (0L, TraceOperation.Write), (1_000_000L, TraceOperation.Flush),
        }), "a 50 us wait is discarded (fio: below 100), a 1000 us wait moves time on; datasync is a flush");
    }

    [TestCase("fio version 1 iolog\n", 1, "the header 'fio version 2 iolog' or 'fio version 3 iolog' is expected first")]
    [TestCase("0,0,4096\n", 1, "the header")]
    [TestCase("fio version 3 iolog\n10 /f read 0\n", 2, "4 fields")]
    [TestCase("fio version 3 iolog\nten /f read 0 512\n", 2, "timestamp 'ten' is not a non-negative integer")]
    [TestCase("fio version 3 iolog\n10 /f read -1 512\n", 2, "offset '-1'")]
    [TestCase("fio version 3 iolog\n10 /f trim 0 512\n", 2, "action 'trim' cannot be replayed")]
    [TestCase("fio version 3 iolog\n10 /f wait 100 0\n", 2, "action 'wait' with an offset and length is not one of")]
    [TestCase("fio version 2 iolog\n/f frobnicate\n", 2, "action 'frobnicate' without an offset and length")]
    public void AMalformedLineNamesTheFileTheLineAndTheProblem(string log, long line, string problem)
    {
        TraceFormatException bad = TraceAssert.Bad(log, (text, file) => new FioIologReader(text, file));

        Assert.That(bad.File, Is.EqualTo("sample.trace"), "the file is named");
        Assert.That(bad.Line, Is.EqualTo(line), "the line is named");
        Assert.That(bad.Message, Does.StartWith("sample.trace:" + line + ": ").And.Contain(problem), "file:line: problem");
    }
}
