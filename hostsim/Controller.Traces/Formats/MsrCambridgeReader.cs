// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Traces.Formats;

/// <summary>
/// SNIA MSR Cambridge CSV: <c>Timestamp,Hostname,DiskNumber,Type,Offset,Size,ResponseTime</c>, Timestamp in Windows
/// FILETIME ticks (100 ns since 1601), Type <c>Read</c> or <c>Write</c>, Offset and Size in bytes. The device is
/// <c>Hostname/DiskNumber</c> (e.g. <c>hm/0</c>). A first line that names the columns is read as a header.
/// </summary>
public sealed class MsrCambridgeReader : LineTraceReader
{
    private const string Layout = "Timestamp,Hostname,DiskNumber,Type,Offset,Size,ResponseTime";

    // 1970-01-01 in FILETIME ticks: times are kept from the Unix epoch, so that they fit in nanoseconds.
    private const long UnixEpochTicks = 116_444_736_000_000_000;

    /// <summary>Initializes a reader.</summary>
    /// <param name="text">The lines.</param>
    /// <param name="file">The file's name, for messages.</param>
    public MsrCambridgeReader(TextReader text, string file)
        : base(text, file)
    {
    }

    /// <inheritdoc/>
    protected override bool TryParse(string line, out TraceRecord record)
    {
        record = default;
        if (LineNumber == 1 && line.StartsWith("Timestamp,", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string[] fields = line.Split(',');
        ExpectFields(fields, 7, Layout);
        long ticks = Integer(fields[0], "Timestamp");
        if (ticks < UnixEpochTicks)
        {
            Bad("Timestamp " + fields[0] + " is before 1970 in FILETIME ticks (100 ns since 1601)");
        }

        if (fields[1].Length == 0)
        {
            Bad("Hostname is empty");
        }

        _ = Integer(fields[2], "DiskNumber");
        TraceOperation operation = fields[3] switch
        {
            _ when fields[3].Equals("Read", StringComparison.OrdinalIgnoreCase) => TraceOperation.Read,
            _ when fields[3].Equals("Write", StringComparison.OrdinalIgnoreCase) => TraceOperation.Write,
            _ => Unknown(fields[3]),
        };
        long offset = Integer(fields[4], "Offset");
        long size = Integer(fields[5], "Size");
        _ = Integer(fields[6], "ResponseTime");
        record = new TraceRecord(Nanoseconds(ticks - UnixEpochTicks, 100, "Timestamp"), fields[1] + "/" + fields[2], operation, offset, size, LineNumber);
        return true;
    }

    private TraceOperation Unknown(string type)
    {
        Bad("Type '" + type + "' is neither Read nor Write");
        return default;
    }
}
