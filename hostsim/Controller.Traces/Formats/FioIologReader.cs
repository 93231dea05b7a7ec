// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Traces.Formats;

/// <summary>
/// fio iolog, version 2 and 3 (fio HOWTO, "Trace file format"). The header line names the version. Version 3 lines
/// start with a time stamp in microseconds from the start of the run (fio writes <c>utime_since_now</c>); version 2
/// lines have none, and time advances by the <c>wait</c> actions (microseconds; below 100 discarded, as fio does).
/// File actions (add, open, close) carry no I/O. <c>sync</c> and <c>datasync</c> become flushes; <c>trim</c> is
/// refused (the controller has no UNMAP), and so is version 1.
/// </summary>
public sealed class FioIologReader : LineTraceReader
{
    private const long NanosecondsPerMicrosecond = 1000;
    private int _version;
    private long _waitedNanoseconds;

    /// <summary>Initializes a reader.</summary>
    /// <param name="text">The lines.</param>
    /// <param name="file">The file's name, for messages.</param>
    public FioIologReader(TextReader text, string file)
        : base(text, file)
    {
    }

    /// <summary>Gets the iolog version the header named (2 or 3; 0 before the header is read).</summary>
    public int Version => _version;

    /// <inheritdoc/>
    protected override bool TryParse(string line, out TraceRecord record)
    {
        record = default;
        if (_version == 0)
        {
            _version = line switch
            {
                "fio version 2 iolog" => 2,
                "fio version 3 iolog" => 3,
                _ => 0,
            };
            if (_version == 0)
            {
                Bad("the header 'fio version 2 iolog' or 'fio version 3 iolog' is expected first (version 1 logs are not supported, as fio no longer reads them), not '" + line + "'");
            }

            return false;
        }

        string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int first = _version == 3 ? 1 : 0;
        if (fields.Length != first + 2 && fields.Length != first + 4)
        {
            Bad(fields.Length + " fields: a version " + _version + " line is '" + (_version == 3 ? "timestamp " : string.Empty) + "filename action' or '" + (_version == 3 ? "timestamp " : string.Empty) + "filename action offset length'");
        }

        long time = _version == 3 ? Nanoseconds(Integer(fields[0], "timestamp"), NanosecondsPerMicrosecond, "timestamp") : _waitedNanoseconds;
        string file = fields[first];
        string action = fields[first + 1];
        bool hasRange = fields.Length == first + 4;
        switch (action)
        {
            case "add" or "open" or "close" when !hasRange:
                return false;
            case "wait" when _version == 2 && hasRange:
                long wait = Integer(fields[first + 2], "wait time");
                if (wait >= 100)
                {
                    _waitedNanoseconds = checked(_waitedNanoseconds + Nanoseconds(wait, NanosecondsPerMicrosecond, "wait time"));
                }

                return false;
            case "read" or "write" when hasRange:
                long offset = Integer(fields[first + 2], "offset");
                long length = Integer(fields[first + 3], "length");
                record = new TraceRecord(time, file, action == "read" ? TraceOperation.Read : TraceOperation.Write, offset, length, LineNumber);
                return true;
            case "sync" or "datasync":
                // fio writes the file's last offset and 0 after a sync; a flush has no range.
                record = new TraceRecord(time, file, TraceOperation.Flush, 0, 0, LineNumber);
                return true;
            case "trim":
                Bad("action 'trim' cannot be replayed: the controller has no UNMAP");
                return false;
            default:
                Bad("action '" + action + "' " + (hasRange ? "with" : "without") + " an offset and length is not one of add, open, close (no range), read, write" + (_version == 2 ? ", wait" : string.Empty) + " (with a range), sync, datasync");
                return false;
        }
    }
}
