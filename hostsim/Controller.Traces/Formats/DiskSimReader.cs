// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Traces.Formats;

/// <summary>
/// DiskSim ASCII as MQSim's traces use it: <c>arrival_time_ns devno start_sector size_sectors type</c>, sectors of
/// 512 bytes, type 0 a write and 1 a read (DiskSim's flags word, whose bit 0 means read). Arrival times may carry a
/// fraction of a nanosecond, which is dropped.
/// </summary>
public sealed class DiskSimReader : LineTraceReader
{
    private const string Layout = "arrival_time_ns devno start_sector size_sectors type";

    /// <summary>Initializes a reader.</summary>
    /// <param name="text">The lines.</param>
    /// <param name="file">The file's name, for messages.</param>
    public DiskSimReader(TextReader text, string file)
        : base(text, file)
    {
    }

    /// <inheritdoc/>
    protected override bool TryParse(string line, out TraceRecord record)
    {
        string[] fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        ExpectFields(fields, 5, Layout);
        double arrival = Number(fields[0], "arrival_time_ns");
        if (arrival >= long.MaxValue)
        {
            Bad("arrival_time_ns '" + fields[0] + "' is too large to be a time");
        }

        _ = Integer(fields[1], "devno");
        long sector = Integer(fields[2], "start_sector");
        long sectors = Integer(fields[3], "size_sectors");
        long type = Integer(fields[4], "type");
        if (type > 1)
        {
            Bad("type '" + fields[4] + "' is neither 0 (write) nor 1 (read)");
        }

        if (sector > long.MaxValue / 512 || sectors > int.MaxValue / 512)
        {
            Bad("start_sector or size_sectors is beyond what a 512-byte-sector device can hold");
        }

        record = new TraceRecord((long)arrival, fields[1], type == 1 ? TraceOperation.Read : TraceOperation.Write, sector * 512, sectors * 512, LineNumber);
        return true;
    }
}
