// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using System.Text;

namespace Controller.Firmware.Persistence;

/// <summary>
/// Little-endian fields out of a record's payload. A payload too short for what is read sets <see cref="Short"/> and
/// reads zeros from then on, so a decoder reads every field and checks once at the end.
/// </summary>
internal ref struct StateReader
{
    private ReadOnlySpan<byte> _rest;

    public StateReader(ReadOnlySpan<byte> payload)
    {
        _rest = payload;
        Short = false;
    }

    public bool Short { get; private set; }

    public readonly int Remaining => _rest.Length;

    public byte U8()
    {
        return Take(1) is { IsEmpty: false } bytes ? bytes[0] : (byte)0;
    }

    public ushort U16()
    {
        return Take(2) is { IsEmpty: false } bytes ? BinaryPrimitives.ReadUInt16LittleEndian(bytes) : (ushort)0;
    }

    public uint U32()
    {
        return Take(4) is { IsEmpty: false } bytes ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : 0;
    }

    public long I64()
    {
        return Take(8) is { IsEmpty: false } bytes ? BinaryPrimitives.ReadInt64LittleEndian(bytes) : 0;
    }

    public string? Text()
    {
        byte length = U8();
        if (length == 0xFF)
        {
            return null;
        }

        ReadOnlySpan<byte> bytes = Take(length);
        return Short ? null : Encoding.UTF8.GetString(bytes);
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (Short || _rest.Length < count)
        {
            Short = true;
            return default;
        }

        ReadOnlySpan<byte> taken = _rest.Slice(0, count);
        _rest = _rest.Slice(count);
        return taken;
    }
}
