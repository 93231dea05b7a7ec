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

    public static TraceFormatException Bad<TReader>(string text, Func<TextReader, string, TReader> create)
        where TReader : TraceReader
    {
        using TReader reader = create(new StringReader(text), "sample.trace");
        return Assert.Throws<TraceFormatException>(() => ReadAll(reader))!;
    }
}
