// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Traces.Formats;
using Controller.Wire.Pcap;

namespace Controller.Traces.Tests;

/// <summary>Helpers: read every record of a reader, import into memory, read a pcap's frames back.</summary>
internal static class TraceAssert
{
    public static List<TraceRecord> ReadAll(TraceReader reader)
    {
        List<TraceRecord> records = [];
        while (reader.TryRead(out TraceRecord record))
        {
            records.Add(record);
        }

        return records;
    }

    public static (ImportSummary Summary, List<(long Time, byte[] Frame)> Frames) Import(string path, TraceFormat format, DeviceMap? map = null, bool skipBad = false)
    {
        using TraceReader reader = TraceFormats.Open(path, format);
        return Import(reader, format, map, skipBad);
    }

    public static (ImportSummary Summary, List<(long Time, byte[] Frame)> Frames) Import(TraceReader reader, TraceFormat format, DeviceMap? map = null, bool skipBad = false)
    {
        using MemoryStream pcap = new();
        ImportSummary summary;
        using (PcapWriter writer = new(pcap, leaveOpen: true))
        {
            summary = new TraceImporter(map ?? DeviceMap.Automatic(), skipBad: skipBad).Import(reader, format, writer);
        }

        pcap.Position = 0;
        List<(long, byte[])> frames = [];
        using PcapReader frameReader = new(pcap, leaveOpen: true);
        while (frameReader.TryReadNext(out PcapRecord record))
        {
            frames.Add((record.TimestampNanoseconds, record.Frame.ToArray()));
        }

        return (summary, frames);
    }

    /// <summary>Two imports of one trace (CSV and binary) hold the same frames, their times within the CSV's one-second resolution.</summary>
    public static void SameCommandStreams(List<(long Time, byte[] Frame)> csv, List<(long Time, byte[] Frame)> binary)
    {
        Assert.That(binary, Has.Count.EqualTo(csv.Count), "the two files hold the same number of commands");
        for (int i = 0; i < csv.Count; i++)
        {
            if (!csv[i].Frame.AsSpan().SequenceEqual(binary[i].Frame))
            {
                Assert.Fail("command " + (i + 1) + " differs between the CSV and the binary import");
            }

            // The CSV keeps whole seconds of the binary's microseconds: the times agree to within a second.
            if (Math.Abs(csv[i].Time - binary[i].Time) >= 1_000_000_000L)
            {
                Assert.Fail("time of command " + (i + 1) + " differs by a second or more: CSV " + csv[i].Time + " ns, binary " + binary[i].Time + " ns");
            }
        }
    }

    public static TraceFormatException Bad<TReader>(string text, Func<TextReader, string, TReader> create)
        where TReader : TraceReader
    {
        using TReader reader = create(new StringReader(text), "sample.trace");
        return Assert.Throws<TraceFormatException>(() => ReadAll(reader))!;
    }
}
