// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using Controller.Addressing;

namespace Controller.Wire;

/// <summary>
/// The 24-byte FC-2 frame header (FC-FS): six big-endian words. Word 0: R_CTL, D_ID; word 1: CS_CTL, S_ID;
/// word 2: TYPE, F_CTL; word 3: SEQ_ID, DF_CTL, SEQ_CNT; word 4: OX_ID, RX_ID; word 5: the parameter (the
/// relative offset of FCP_DATA). Port IDs are the 24-bit addresses of docs/architecture.md, "Wire format" (0x400104 is domain
/// 0x40, area 0x01, port 0x04). Read and written on spans, no allocation.
/// </summary>
public readonly record struct FcFrameHeader
{
    /// <summary>The header's length in bytes.</summary>
    public const int Length = 24;

    /// <summary>TYPE of an FCP frame (SCSI FCP).</summary>
    public const byte TypeFcp = 0x08;

    /// <summary>TYPE of extended link services (PLOGI, PRLI, LOGO and their replies).</summary>
    public const byte TypeEls = 0x01;

    /// <summary>TYPE of basic link services (ABTS, BA_ACC, BA_RJT): FC-FS, TYPE 0x00.</summary>
    public const byte TypeBasicLinkService = 0x00;

    /// <summary>The largest port ID (24 bits).</summary>
    public const int MaxPortId = 0xFFFFFF;

    /// <summary>Gets the routing control (<see cref="FcRoutingControl"/>).</summary>
    public byte RoutingControl { get; init; }

    /// <summary>Gets the destination port ID (D_ID).</summary>
    public PortId DestinationId { get; init; }

    /// <summary>Gets the class-specific control / priority byte.</summary>
    public byte ClassControl { get; init; }

    /// <summary>Gets the source port ID (S_ID).</summary>
    public PortId SourceId { get; init; }

    /// <summary>Gets the data structure type (<see cref="TypeFcp"/> for FCP).</summary>
    public byte Type { get; init; }

    /// <summary>Gets the frame control bits (24 bits).</summary>
    public int FrameControl { get; init; }

    /// <summary>Gets the sequence ID.</summary>
    public byte SequenceId { get; init; }

    /// <summary>Gets the data field control.</summary>
    public byte DataFieldControl { get; init; }

    /// <summary>Gets the frame's count within its sequence.</summary>
    public ushort SequenceCount { get; init; }

    /// <summary>Gets the originator exchange ID: one command's exchange.</summary>
    public ushort OriginatorExchangeId { get; init; }

    /// <summary>Gets the responder exchange ID (0xFFFF until the responder assigns one).</summary>
    public ushort ResponderExchangeId { get; init; }

    /// <summary>Gets the parameter word (the relative offset of FCP_DATA).</summary>
    public uint Parameter { get; init; }

    /// <summary>Reads a header from the first 24 bytes of a frame.</summary>
    /// <param name="source">The frame.</param>
    /// <param name="header">The header read.</param>
    /// <returns>False when fewer than 24 bytes are given (a truncated frame).</returns>
    public static bool TryRead(ReadOnlySpan<byte> source, out FcFrameHeader header)
    {
        if (source.Length < Length)
        {
            header = default;
            return false;
        }

        header = new FcFrameHeader
        {
            RoutingControl = source[0],
            DestinationId = ReadPortId(source[1..]),
            ClassControl = source[4],
            SourceId = ReadPortId(source[5..]),
            Type = source[8],
            FrameControl = ReadUInt24(source[9..]),
            SequenceId = source[12],
            DataFieldControl = source[13],
            SequenceCount = BinaryPrimitives.ReadUInt16BigEndian(source[14..]),
            OriginatorExchangeId = BinaryPrimitives.ReadUInt16BigEndian(source[16..]),
            ResponderExchangeId = BinaryPrimitives.ReadUInt16BigEndian(source[18..]),
            Parameter = BinaryPrimitives.ReadUInt32BigEndian(source[20..]),
        };
        return true;
    }

    /// <summary>Writes the header into the first 24 bytes of a frame.</summary>
    /// <param name="destination">At least 24 bytes.</param>
    /// <returns>
    /// False when the destination is too short or F_CTL does not fit in 24 bits (D_ID and S_ID always fit: a
    /// <see cref="PortId"/> refuses more than 24 bits when it is made).
    /// </returns>
    public bool TryWrite(Span<byte> destination)
    {
        if (destination.Length < Length || (uint)FrameControl > 0xFFFFFF)
        {
            return false;
        }

        destination[0] = RoutingControl;
        WritePortId(destination[1..], DestinationId);
        destination[4] = ClassControl;
        WritePortId(destination[5..], SourceId);
        destination[8] = Type;
        WriteUInt24(destination[9..], FrameControl);
        destination[12] = SequenceId;
        destination[13] = DataFieldControl;
        BinaryPrimitives.WriteUInt16BigEndian(destination[14..], SequenceCount);
        BinaryPrimitives.WriteUInt16BigEndian(destination[16..], OriginatorExchangeId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[18..], ResponderExchangeId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], Parameter);
        return true;
    }

    private static PortId ReadPortId(ReadOnlySpan<byte> source)
    {
        return PortId.FromBytes(source[0], source[1], source[2]);
    }

    private static void WritePortId(Span<byte> destination, PortId value)
    {
        destination[0] = value.Domain;
        destination[1] = value.Area;
        destination[2] = value.Port;
    }

    private static int ReadUInt24(ReadOnlySpan<byte> source)
    {
        return (source[0] << 16) | (source[1] << 8) | source[2];
    }

    private static void WriteUInt24(Span<byte> destination, int value)
    {
        destination[0] = (byte)(value >> 16);
        destination[1] = (byte)(value >> 8);
        destination[2] = (byte)value;
    }
}
