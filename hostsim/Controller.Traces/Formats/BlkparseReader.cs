// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Traces.Formats;

/// <summary>
/// blkparse's default text output (blkparse(1), "DEFAULT OUTPUT"): the header <c>%D %2c %8s %5T.%9t %5p %2a %3d</c>
/// (device major,minor; CPU; sequence; seconds.nanoseconds; PID; action; RWBS), then per action. The I/Os are the
/// <c>D</c> (issued to the driver) events with a <c>sector + blocks</c> range: what the device itself was asked,
/// after the block layer merged and split. Every other action (Q, G, I, M, C, P, U, ...) and a D event without a
/// range (a SCSI pass-through payload) carries no new I/O. RWBS: <c>F</c> with no blocks a flush, else <c>W</c> a
/// write and <c>R</c> a read; <c>D</c> (discard) is refused (no UNMAP). The per-CPU and total statistics blkparse prints at the end
/// (from a line starting with <c>CPU</c> or <c>Total</c>) are passed over.
/// </summary>
public sealed class BlkparseReader : LineTraceReader
{
    private const string Layout = "'maj,min cpu sequence seconds.nanoseconds pid action rwbs ...'";
    private bool _inSummary;

    /// <summary>Initializes a reader.</summary>
    /// <param name="text">The lines.</param>
    /// <param name="file">The file's name, for messages.</param>
    public BlkparseReader(TextReader text, string file)
        : base(text, file)
    {
    }

    /// <inheritdoc/>
    protected override bool TryParse(string line, out TraceRecord record)
    {
        record = default;
        if (_inSummary)
        {
            return false;
        }

        string[] fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (!IsDevice(fields[0]))
        {
            if (fields[0].StartsWith("CPU", StringComparison.Ordinal) || fields[0] == "Total")
            {
                _inSummary = true;
                return false;
            }

            Bad("'" + fields[0] + "' is not a device major,minor: an event line is " + Layout);
        }

        if (fields.Length < 7)
        {
            Bad(fields.Length + " fields: an event line is " + Layout);
        }

        long time = Time(fields[3]);
        _ = Integer(fields[2], "sequence");
        string action = fields[5];
        if (action != "D" || fields.Length < 10 || fields[8] != "+")
        {
            return false;
        }

        string rwbs = fields[6];
        long sector = Integer(fields[7], "sector");
        long blocks = Integer(fields[9], "blocks");
        if (sector > long.MaxValue / 512 || blocks > int.MaxValue / 512)
        {
            Bad("sector or blocks is beyond what a 512-byte-sector device can hold");
        }

        TraceOperation operation;
        if (rwbs.Contains('D', StringComparison.Ordinal))
        {
            Bad("RWBS '" + rwbs + "' is a discard, which cannot be replayed: the controller has no UNMAP");
        }

        // A flush of no blocks is a pure (pre)flush, whatever else its RWBS says (FWS: flush, write, sync).
        if (rwbs.Contains('F', StringComparison.Ordinal) && blocks == 0)
        {
            operation = TraceOperation.Flush;
        }
        else if (rwbs.Contains('W', StringComparison.Ordinal))
        {
            operation = TraceOperation.Write;
        }
        else if (rwbs.Contains('R', StringComparison.Ordinal))
        {
            operation = TraceOperation.Read;
        }
        else
        {
            Bad("RWBS '" + rwbs + "' is neither a read (R), a write (W) nor a flush (F)");
            return false;
        }

        record = new TraceRecord(time, fields[0], operation, operation == TraceOperation.Flush ? 0 : sector * 512, blocks * 512, LineNumber);
        return true;
    }

    private static bool IsDevice(string text)
    {
        int comma = text.IndexOf(',', StringComparison.Ordinal);
        return comma > 0 && comma < text.Length - 1 && IsDigits(text.AsSpan(0, comma)) && IsDigits(text.AsSpan(comma + 1));
    }

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    // %5T.%9t: seconds, a point, nine digits of nanoseconds; kept exact (no floating point).
    private long Time(string text)
    {
        int point = text.IndexOf('.', StringComparison.Ordinal);
        if (point <= 0 || text.Length - point - 1 != 9)
        {
            Bad("time '" + text + "' is not seconds.nanoseconds (nine digits after the point)");
        }

        long seconds = Integer(text[..point], "time seconds");
        long nanoseconds = Integer(text[(point + 1)..], "time nanoseconds");
        return Nanoseconds(seconds, 1_000_000_000, "time") + nanoseconds;
    }
}
