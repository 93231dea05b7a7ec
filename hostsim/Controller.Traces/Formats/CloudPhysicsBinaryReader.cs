// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using System.Globalization;

namespace Controller.Traces.Formats;

/// <summary>
/// CloudPhysics vSCSI binary, version 1: 32-byte little-endian records
/// <c>{u32 sn; u32 len; u32 nSG; u16 cmd; u16 ver; u64 lbn; u64 ts_us}</c> with <c>ver &gt;&gt; 8 == 1</c>: the serial
/// number, the length in bytes, the scatter-gather count, the SCSI opcode, the version, the first 512-byte block and
/// the time in microseconds. Messages number records from 1 where the text formats number lines.
/// </summary>
public sealed class CloudPhysicsBinaryReader : TraceReader
{
    /// <summary>The length of one record.</summary>
    public const int RecordLength = 32;

    private readonly Stream _stream;
    private readonly byte[] _record = new byte[RecordLength];
    private long _number;

    /// <summary>Initializes a reader.</summary>
    /// <param name="stream">The file.</param>
    /// <param name="file">The file's name, for messages.</param>
    public CloudPhysicsBinaryReader(Stream stream, string file)
        : base(file)
    {
        _stream = stream;
    }

    /// <inheritdoc/>
    public override bool TryRead(out TraceRecord record)
    {
        record = default;
        int read = _stream.ReadAtLeast(_record, RecordLength, throwOnEndOfStream: false);
        if (read == 0)
        {
            return false;
        }

        _number++;
        if (read < RecordLength)
        {
            throw new TraceFormatException(File, _number, "truncated record: " + read + " of " + RecordLength + " bytes");
        }

        ReadOnlySpan<byte> bytes = _record;
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]);
        ushort opcode = BinaryPrimitives.ReadUInt16LittleEndian(bytes[12..]);
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(bytes[14..]);
        ulong lbn = BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]);
        ulong microseconds = BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]);
        if (version >> 8 != 1)
        {
            throw new TraceFormatException(File, _number, "version 0x" + version.ToString("x4", CultureInfo.InvariantCulture) + " is not vSCSI version 1 (ver >> 8 == 1)");
        }

        if (opcode > 0xFF || !ScsiOperations.TryMap(opcode, out TraceOperation operation))
        {
            throw new TraceFormatException(File, _number, "cmd 0x" + opcode.ToString("x2", CultureInfo.InvariantCulture) + " is not a READ, WRITE or SYNCHRONIZE CACHE");
        }

        if (lbn > long.MaxValue / 512 || microseconds > long.MaxValue / 1000)
        {
            throw new TraceFormatException(File, _number, "lbn or ts_us is too large");
        }

        bool flush = operation == TraceOperation.Flush;
        record = new TraceRecord((long)microseconds * 1000, CloudPhysicsCsvReader.Device, operation, flush ? 0 : (long)lbn * 512, flush ? 0 : length, _number);
        return true;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stream.Dispose();
        }
    }
}
