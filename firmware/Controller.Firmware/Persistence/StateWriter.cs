// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Controller.Addressing;

namespace Controller.Firmware.Persistence;

/// <summary>Little-endian fields into a record's payload (the state files' one byte order).</summary>
internal static class StateWriter
{
    public static void U8(ArrayBufferWriter<byte> writer, byte value)
    {
        writer.GetSpan(1)[0] = value;
        writer.Advance(1);
    }

    public static void U16(ArrayBufferWriter<byte> writer, ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(writer.GetSpan(2), value);
        writer.Advance(2);
    }

    public static void U32(ArrayBufferWriter<byte> writer, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(writer.GetSpan(4), value);
        writer.Advance(4);
    }

    public static void I64(ArrayBufferWriter<byte> writer, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(writer.GetSpan(8), value);
        writer.Advance(8);
    }

    // A short text: one length byte (at most 255 bytes of UTF-8), then the bytes.
    public static void Text(ArrayBufferWriter<byte> writer, string? value)
    {
        if (value is null)
        {
            U8(writer, 0xFF);
            return;
        }

        int length = Encoding.UTF8.GetByteCount(value);
        if (length >= 0xFF)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(value), "a text of " + length + " bytes is longer than a state record holds");
        }

        U8(writer, (byte)length);
        Encoding.UTF8.GetBytes(value, writer.GetSpan(length));
        writer.Advance(length);
    }
}
