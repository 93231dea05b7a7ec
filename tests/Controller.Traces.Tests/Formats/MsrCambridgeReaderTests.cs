// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Traces.Formats;

namespace Controller.Traces.Tests.Formats;

/// <summary>SNIA MSR Cambridge CSV, from its published definition (no sample file is redistributable: lines written here).</summary>
public sealed class MsrCambridgeReaderTests
{
    // 128166372003061629 FILETIME ticks is 2007-02-22 (the MSR traces' week); the Unix epoch is 116444736000000000.
    private const string Sample = "Timestamp,Hostname,DiskNumber,Type,Offset,Size,ResponseTime\n128166372003061629,hm,1,Read,3154496000,4096,20213\n128166372004000000,hm,0,Write,512,1024,100\n";

    [Test]
    public void RowsBecomeIoOnHostSlashDiskWithFiletimeTicksFromTheUnixEpoch()
    {
        using MsrCambridgeReader reader = new(new StringReader(Sample), "hm_1.csv");

        List<TraceRecord> records = TraceAssert.ReadAll(reader);

        Assert.That(records, Is.EqualTo(new[]
        {
            new TraceRecord((128_166_372_003_061_629 - 116_444_736_000_000_000) * 100, "hm/1", TraceOperation.Read, 3_154_496_000, 4096, 2),
            new TraceRecord((128_166_372_004_000_000 - 116_444_736_000_000_000) * 100, "hm/0", TraceOperation.Write, 512, 1024, 3),
        }), "Timestamp in 100-ns ticks, Offset and Size in bytes, the device is Hostname/DiskNumber");
        Assert.That(reader.IgnoredLines, Is.EqualTo(1), "the column names are a header");
    }

    [TestCase("128166372003061629,hm,1,Trim,0,4096,1\n", "Type 'Trim' is neither Read nor Write")]
    [TestCase("128166372003061629,hm,1,Read,0,4096\n", "6 fields where 7 are expected")]
    [TestCase("100,hm,1,Read,0,4096,1\n", "Timestamp 100 is before 1970")]
    [TestCase("128166372003061629,,1,Read,0,4096,1\n", "Hostname is empty")]
    public void AMalformedRowIsRefusedWithItsProblem(string row, string problem)
    {
        TraceFormatException bad = TraceAssert.Bad(row, (text, file) => new MsrCambridgeReader(text, file));

        Assert.That(bad.Message, Does.StartWith("sample.trace:1: ").And.Contain(problem), "file:line: problem");
    }
}
