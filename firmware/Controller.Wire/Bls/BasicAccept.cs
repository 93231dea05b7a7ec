// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;

namespace Controller.Wire.Bls;

/// <summary>
/// The BA_ACC payload (FC-FS-3, basic link services), 12 bytes: SEQ_ID validity (0x80 valid, 0x00 invalid), the
/// SEQ_ID of the last deliverable sequence, 2 reserved bytes, the OX_ID and RX_ID of the aborted exchange, the low and
/// the high SEQ_CNT. This target aborts whole exchanges, so it answers SEQ_ID invalid and the range 0x0000-0xFFFF:
/// every sequence of the exchange is discarded (what Linux libfc answers too).
/// </summary>
/// <param name="SequenceIdValid">Whether <paramref name="SequenceId"/> names the last deliverable sequence.</param>
/// <param name="SequenceId">The last deliverable sequence, when valid.</param>
/// <param name="OriginatorExchangeId">The aborted exchange's OX_ID.</param>
/// <param name="ResponderExchangeId">The aborted exchange's RX_ID.</param>
/// <param name="LowSequenceCount">The lowest SEQ_CNT aborted.</param>
/// <param name="HighSequenceCount">The highest SEQ_CNT aborted.</param>
public readonly record struct BasicAccept(bool SequenceIdValid, byte SequenceId, ushort OriginatorExchangeId, ushort ResponderExchangeId, ushort LowSequenceCount, ushort HighSequenceCount)
{
    /// <summary>The payload's length.</summary>
    public const int Length = 12;

    private const byte Valid = 0x80;

    /// <summary>The answer for an exchange aborted whole: SEQ_ID invalid, SEQ_CNT 0x0000-0xFFFF.</summary>
    /// <param name="originatorExchangeId">The OX_ID.</param>
    /// <param name="responderExchangeId">The RX_ID.</param>
    /// <returns>The payload.</returns>
    public static BasicAccept WholeExchange(ushort originatorExchangeId, ushort responderExchangeId)
    {
        return new BasicAccept(false, 0, originatorExchangeId, responderExchangeId, 0x0000, 0xFFFF);
    }

    /// <summary>Decodes a BA_ACC payload.</summary>
    /// <param name="payload">The frame's payload.</param>
    /// <param name="accept">The payload.</param>
    /// <returns>False when shorter than 12 bytes or the validity byte is neither 0x00 nor 0x80.</returns>
    public static bool TryRead(ReadOnlySpan<byte> payload, out BasicAccept accept)
    {
        accept = default;
        if (payload.Length < Length || payload[0] is not (0x00 or Valid))
        {
            return false;
        }

        accept = new BasicAccept(payload[0] == Valid, payload[1], BinaryPrimitives.ReadUInt16BigEndian(payload[4..]), BinaryPrimitives.ReadUInt16BigEndian(payload[6..]), BinaryPrimitives.ReadUInt16BigEndian(payload[8..]), BinaryPrimitives.ReadUInt16BigEndian(payload[10..]));
        return true;
    }

    /// <summary>Encodes the payload.</summary>
    /// <param name="destination">At least <see cref="Length"/> bytes.</param>
    /// <returns>False when the destination is short.</returns>
    public bool TryWrite(Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            return false;
        }

        destination[..Length].Clear();
        destination[0] = SequenceIdValid ? Valid : (byte)0;
        destination[1] = SequenceId;
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], OriginatorExchangeId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], ResponderExchangeId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], LowSequenceCount);
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], HighSequenceCount);
        return true;
    }
}
