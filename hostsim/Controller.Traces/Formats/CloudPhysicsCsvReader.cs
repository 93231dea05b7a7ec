// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;

namespace Controller.Traces.Formats;

/// <summary>
/// CloudPhysics vSCSI CSV (as libCacheSim redistributes it): the header <c>version,time,op,size,lbn</c>, then one
/// command per line: the record version, the time in seconds, the SCSI opcode in hex (<c>2a</c> WRITE(10),
/// <c>28</c> READ(10)), the size in bytes and the first 512-byte block. The trace names no device: every command is
/// on device <see cref="Device"/>, as in the binary form.
/// </summary>
public sealed class CloudPhysicsCsvReader : LineTraceReader
{
    /// <summary>The device name of every command of a vSCSI trace (one virtual disk per file).</summary>
    public const string Device = "vscsi";

    private const string Header = "version,time,op,size,lbn";
    private bool _headerSeen;

    /// <summary>Initializes a reader.</summary>
    /// <param name="text">The lines.</param>
    /// <param name="file">The file's name, for messages.</param>
    public CloudPhysicsCsvReader(TextReader text, string file)
        : base(text, file)
    {
    }

    /// <inheritdoc/>
    protected override bool TryParse(string line, out TraceRecord record)
    {
        record = default;
        if (!_headerSeen)
        {
            _headerSeen = true;
            if (line != Header)
            {
                Bad("the header '" + Header + "' is expected first, not '" + line + "'");
            }

            return false;
        }

        string[] fields = line.Split(',');
        ExpectFields(fields, 5, Header);
        _ = Integer(fields[0], "version");
        double seconds = Number(fields[1], "time");
        if (!int.TryParse(fields[2], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int opcode) || opcode > 0xFF)
        {
            Bad("op '" + fields[2] + "' is not a SCSI opcode in hex (2a, 28, ...)");
        }

        if (!ScsiOperations.TryMap(opcode, out TraceOperation operation))
        {
            Bad("op 0x" + opcode.ToString("x2", CultureInfo.InvariantCulture) + " is not a READ, WRITE or SYNCHRONIZE CACHE");
        }

        long size = Integer(fields[3], "size");
        long lbn = Integer(fields[4], "lbn");
        if (seconds * 1e9 >= long.MaxValue || lbn > long.MaxValue / 512)
        {
            Bad("time or lbn is too large");
        }

        record = new TraceRecord((long)Math.Round(seconds * 1e9), Device, operation, operation == TraceOperation.Flush ? 0 : lbn * 512, operation == TraceOperation.Flush ? 0 : size, LineNumber);
        return true;
    }
}
