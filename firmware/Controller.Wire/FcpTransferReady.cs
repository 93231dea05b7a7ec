// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;

namespace Controller.Wire;

/// <summary>
/// The FCP_XFER_RDY information unit (FCP-4), 12 bytes: the target asks for a burst of write data at a relative
/// offset (DATA_RO, BURST_LEN, 4 reserved bytes).
/// </summary>
/// <param name="RelativeOffset">Where in the command's data the burst starts.</param>
/// <param name="BurstLength">How many bytes the initiator may send now.</param>
public readonly record struct FcpTransferReady(uint RelativeOffset, uint BurstLength)
{
    /// <summary>The IU's length.</summary>
    public const int Length = 12;

    /// <summary>Decodes an FCP_XFER_RDY payload.</summary>
    /// <param name="payload">The payload.</param>
    /// <param name="transferReady">The IU.</param>
    /// <returns>False when shorter than 12 bytes or asking for no data.</returns>
    public static bool TryRead(ReadOnlySpan<byte> payload, out FcpTransferReady transferReady)
    {
        transferReady = default;
        if (payload.Length < Length)
        {
            return false;
        }

        transferReady = new FcpTransferReady(BinaryPrimitives.ReadUInt32BigEndian(payload), BinaryPrimitives.ReadUInt32BigEndian(payload[4..]));
        return transferReady.BurstLength != 0;
    }

    /// <summary>Encodes the IU.</summary>
    /// <param name="destination">At least 12 bytes.</param>
    /// <returns>False when the destination is short or the burst is empty.</returns>
    public bool TryWrite(Span<byte> destination)
    {
        if (destination.Length < Length || BurstLength == 0)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination, RelativeOffset);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], BurstLength);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], 0);
        return true;
    }
}
