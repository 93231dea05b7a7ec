// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Traces.Formats;

namespace Controller.Traces.Tests.Formats;

public sealed class DiskSimReaderTests
{
    [Test]
    public void FieldsAreNanosecondsDeviceSectorSizeAndTypeWithOneARead()
    {
        using DiskSimReader reader = new(new StringReader("938513000 4 264719034 16 0\n\n11413000.5   0  657728  16  1\n"), "t.trace");

        List<TraceRecord> records = TraceAssert.ReadAll(reader);

        Assert.That(records, Is.EqualTo(new[]
        {
            new TraceRecord(938_513_000, "4", TraceOperation.Write, 264_719_034L * 512, 16 * 512, 1),
            new TraceRecord(11_413_000, "0", TraceOperation.Read, 657_728L * 512, 16 * 512, 3),
        }), "type 0 is a write and 1 a read; sectors are 512 bytes; a fraction of a nanosecond is dropped");
    }

    [TestCase("1 2 3 4\n", "4 fields where 5 are expected")]
    [TestCase("1 2 3 4 2\n", "type '2' is neither 0 (write) nor 1 (read)")]
    [TestCase("1 x 3 4 0\n", "devno 'x'")]
    [TestCase("1 2 3 -4 0\n", "size_sectors '-4'")]
    [TestCase("soon 2 3 4 0\n", "arrival_time_ns 'soon'")]
    public void AMalformedLineIsRefusedWithItsProblem(string line, string problem)
    {
        TraceFormatException bad = TraceAssert.Bad(line, (text, file) => new DiskSimReader(text, file));

        Assert.That(bad.Message, Does.StartWith("sample.trace:1: ").And.Contain(problem), "file:line: problem");
    }
}
