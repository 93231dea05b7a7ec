// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Traces.Formats;
using Controller.Wire;

namespace Controller.Traces.Tests;

public sealed class TraceImporterTests
{
    private const string Mixed = "100 0 8 8 0\n200 1 16 8 1\nbroken line\n300 0 3 1 7\n250 1 24 8 0\n";

    [Test]
    public void WithoutSkipBadTheFirstMalformedLineStopsTheImport()
    {
        using DiskSimReader reader = new(new StringReader(Mixed), "mixed.trace");

        TraceFormatException bad = Assert.Throws<TraceFormatException>(() => TraceAssert.Import(reader, TraceFormat.DiskSim))!;

        Assert.That(bad.Message, Is.EqualTo("mixed.trace:3: 2 fields where 5 are expected (arrival_time_ns devno start_sector size_sectors type)"), "the first bad line, by file and line");
    }

    [Test]
    public void WithSkipBadMalformedLinesAreCountedAndLeftOut()
    {
        using DiskSimReader reader = new(new StringReader(Mixed), "mixed.trace");

        (ImportSummary summary, List<(long Time, byte[] Frame)> frames) = TraceAssert.Import(reader, TraceFormat.DiskSim, skipBad: true);

        Assert.That(summary.SkippedBadLines, Is.EqualTo(2), "the broken line and the type-7 line");
        Assert.That(summary.BadLineMessages, Is.EqualTo(new[]
        {
            "mixed.trace:3: 2 fields where 5 are expected (arrival_time_ns devno start_sector size_sectors type)",
            "mixed.trace:4: type '7' is neither 0 (write) nor 1 (read)",
        }), "each skipped line keeps its message");
        Assert.That(frames, Has.Count.EqualTo(3), "the three good lines are imported");
        Assert.That((summary.Reads, summary.Writes), Is.EqualTo((1L, 2L)), "one read, two writes");
    }

    [Test]
    public void TimesStartAtTheFirstIoAndNeverGoBack()
    {
        using DiskSimReader reader = new(new StringReader(Mixed), "mixed.trace");

        (ImportSummary summary, List<(long Time, byte[] Frame)> frames) = TraceAssert.Import(reader, TraceFormat.DiskSim, skipBad: true);

        Assert.That(frames.ConvertAll(f => f.Time), Is.EqualTo(new[] { 0L, 100L, 150L }), "relative to the first I/O (100 ns): 0, 100, 150");
        Assert.That(summary.TimesMovedForward, Is.Zero, "250 after 200 is in order");
    }

    [Test]
    public void ATimeEarlierThanTheOneBeforeIsWrittenAtTheEarlierRecordsTime()
    {
        using DiskSimReader reader = new(new StringReader("500 0 0 8 0\n400 0 8 8 0\n"), "back.trace");

        (ImportSummary summary, List<(long Time, byte[] Frame)> frames) = TraceAssert.Import(reader, TraceFormat.DiskSim);

        Assert.That(frames.ConvertAll(f => f.Time), Is.EqualTo(new[] { 0L, 0L }), "the second record is not written before the first");
        Assert.That(summary.TimesMovedForward, Is.EqualTo(1), "and it is counted");
    }

    [Test]
    public void AnOffsetThatIsNotWholeBlocksIsABadLine()
    {
        using FioIologReader reader = new(new StringReader("fio version 3 iolog\n1 /f write 100 4096\n"), "odd.iolog");

        TraceFormatException bad = Assert.Throws<TraceFormatException>(() => TraceAssert.Import(reader, TraceFormat.FioIolog))!;

        Assert.That(bad.Message, Is.EqualTo("odd.iolog:2: offset 100 and length 4096 must be whole 512-byte blocks"), "the controller's blocks are 512 bytes");
    }

    [Test]
    public void AnExplicitMapRefusesADeviceItDoesNotNameAndPlacesTheOthers()
    {
        Assert.That(DeviceMap.TryParse(["0=0x421014,0x0005"], out DeviceMap map, out string? error), Is.True, error);
        using DiskSimReader reader = new(new StringReader("100 0 8 8 0\n200 1 16 8 1\n"), "two.trace");

        (ImportSummary summary, List<(long Time, byte[] Frame)> frames) = TraceAssert.Import(reader, TraceFormat.DiskSim, map, skipBad: true);

        Assert.That(summary.BadLineMessages, Is.EqualTo(new[] { "two.trace:2: device '1' is not in the device map (--map 1=PORT-ID,LUN)" }), "device 1 is not named");
        Assert.That(FcFrameHeader.TryRead(frames[0].Frame, out FcFrameHeader header), Is.True, "the frame decodes");
        Assert.That(header.DestinationId, Is.EqualTo(new PortId(0x421014)), "device 0 goes to the port the map names");
        Assert.That(FcpCommand.TryRead(frames[0].Frame.AsSpan(FcFrameHeader.Length), out FcpCommand command, out _), Is.True, "the command decodes");
        Assert.That(command.Lun, Is.EqualTo(5), "and to its LUN");
    }

    [Test]
    public void ExchangeIdsCycleWithoutTheUnassignedValue()
    {
        using DiskSimReader reader = new(new StringReader(string.Concat(Enumerable.Repeat("1 0 0 1 1\n", 0x10001))), "many.trace");

        (_, List<(long Time, byte[] Frame)> frames) = TraceAssert.Import(reader, TraceFormat.DiskSim);

        FcFrameHeader.TryRead(frames[0xFFFE].Frame, out FcFrameHeader last);
        FcFrameHeader.TryRead(frames[0xFFFF].Frame, out FcFrameHeader wrapped);
        Assert.That((last.OriginatorExchangeId, wrapped.OriginatorExchangeId), Is.EqualTo(((ushort)0xFFFE, (ushort)0)), "OX_ID 0xFFFF (unassigned) is never used");
    }

    [TestCase("4", "is not DEVICE=PORT-ID,LUN")]
    [TestCase("4=0x400104", "'0x400104' is not PORT-ID,LUN")]
    [TestCase("4=0x400104,0x4000", "volume '0x400104,0x4000': LUN 0x4000 is above 0x3FFF")]
    [TestCase("4=0x1000000,0x0001", "port ID '0x1000000' is over 24 bits; the largest is 0xFFFFFF")]
    public void ABadMapEntryIsRefusedWithItsProblem(string entry, string problem)
    {
        Assert.That(DeviceMap.TryParse([entry], out _, out string? error), Is.False, "refused");
        Assert.That(error, Does.Contain(problem), "and says why");
    }

    [Test]
    public void TwoDevicesOnOneVolumeAreRefused()
    {
        Assert.That(DeviceMap.TryParse(["a=0x400104,0x0001", "b=0x400104,0x0001"], out _, out string? error), Is.False, "refused");
        Assert.That(error, Does.Contain("both mapped to 0x400104,0x0001"), "their blocks would overwrite each other");
    }
}
