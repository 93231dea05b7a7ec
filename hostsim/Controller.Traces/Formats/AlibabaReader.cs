// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Traces.Formats;

/// <summary>
/// Alibaba block traces 2020 (io_traces.csv): <c>device_id,opcode,offset,length,timestamp</c>, opcode <c>R</c> or
/// <c>W</c>, offset and length in bytes, timestamp in microseconds. The published file has no header; a first line
/// that names the columns is read as one.
/// </summary>
public sealed class AlibabaReader : LineTraceReader
{
    private const string Layout = "device_id,opcode,offset,length,timestamp";

    /// <summary>Initializes a reader.</summary>
    /// <param name="text">The lines.</param>
    /// <param name="file">The file's name, for messages.</param>
    public AlibabaReader(TextReader text, string file)
        : base(text, file)
    {
    }

    /// <inheritdoc/>
    protected override bool TryParse(string line, out TraceRecord record)
    {
        record = default;
        if (LineNumber == 1 && line.StartsWith("device_id,", StringComparison.Ordinal))
        {
            return false;
        }

        string[] fields = line.Split(',');
        ExpectFields(fields, 5, Layout);
        _ = Integer(fields[0], "device_id");
        TraceOperation operation = fields[1] switch
        {
            "R" => TraceOperation.Read,
            "W" => TraceOperation.Write,
            _ => Unknown(fields[1]),
        };
        long offset = Integer(fields[2], "offset");
        long length = Integer(fields[3], "length");
        long time = Nanoseconds(Integer(fields[4], "timestamp"), 1000, "timestamp");
        record = new TraceRecord(time, fields[0], operation, offset, length, LineNumber);
        return true;
    }

    private TraceOperation Unknown(string opcode)
    {
        Bad("opcode '" + opcode + "' is neither R nor W");
        return default;
    }
}
