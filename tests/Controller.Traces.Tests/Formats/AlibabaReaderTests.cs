// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Traces.Formats;

namespace Controller.Traces.Tests.Formats;

/// <summary>Alibaba block traces 2020 (from its published README: schema device_id,opcode,offset,length,timestamp_us; lines written here).</summary>
public sealed class AlibabaReaderTests
{
    [Test]
    public void RowsAreDeviceOpcodeOffsetLengthAndMicroseconds()
    {
        using AlibabaReader reader = new(new StringReader("0,R,126703644672,4096,1577808000000626\n7,W,0,512,1577808000000700\n"), "io_traces.csv");

        List<TraceRecord> records = TraceAssert.ReadAll(reader);

        Assert.That(records, Is.EqualTo(new[]
        {
            new TraceRecord(1_577_808_000_000_626_000, "0", TraceOperation.Read, 126_703_644_672, 4096, 1),
            new TraceRecord(1_577_808_000_000_700_000, "7", TraceOperation.Write, 0, 512, 2),
        }), "the README's example row and a write");
    }

    [Test]
    public void AHeaderNamingTheColumnsIsPassedOver()
    {
        using AlibabaReader reader = new(new StringReader("device_id,opcode,offset,length,timestamp\n0,W,0,512,1\n"), "io_traces.csv");

        Assert.That(TraceAssert.ReadAll(reader), Has.Count.EqualTo(1), "one row after the header");
    }

    [TestCase("0,X,0,512,1\n", "opcode 'X' is neither R nor W")]
    [TestCase("0,R,0,512\n", "4 fields where 5 are expected")]
    [TestCase("zero,R,0,512,1\n", "device_id 'zero'")]
    public void AMalformedRowIsRefusedWithItsProblem(string row, string problem)
    {
        TraceFormatException bad = TraceAssert.Bad(row, (text, file) => new AlibabaReader(text, file));

        Assert.That(bad.Message, Does.StartWith("sample.trace:1: ").And.Contain(problem), "file:line: problem");
    }
}
