// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using Controller.Addressing;
using Controller.Wire.CopyManagement;

namespace Controller.Wire.RemoteCopy;

/// <summary>
/// The 32-byte split block that follows the RC PAIR CONTROL header for the cross-subsystem split messages (kinds 6-9)
/// and a no-copy create (kind 1 with an origin): bytes 0-3 the coordinator's SERIAL, 4-7 the SPLIT number, byte 8 the
/// MECHANISM (1 freeze, 2 sequence cut), byte 9 SPLIT MODE (1 read/write), 10-11 reserved, 12-15 the HOLD TIMEOUT in
/// milliseconds, 16-23 the SPLIT TIME (nanoseconds since 1970), 24-27 the ORIGIN's port ID and 28-29 its LUN (the
/// P-VOL a no-copy create's new P-VOL was split from), byte 30 bit 0 ORIGIN PRESENT, 31 reserved. Big-endian.
/// </summary>
/// <param name="Serial">The coordinating subsystem's serial number.</param>
/// <param name="SplitId">The split's number there.</param>
/// <param name="Mechanism">1 freeze, 2 sequence cut (0 for a create).</param>
/// <param name="SplitMode">1 when the S-VOLs become read/write.</param>
/// <param name="HoldTimeoutMilliseconds">The longest the peer may hold.</param>
/// <param name="SplitTimeNanoseconds">The split time, nanoseconds since 1970-01-01 UTC.</param>
/// <param name="Origin">The origin P-VOL of a no-copy create, or null.</param>
public readonly record struct SplitBlock(int Serial, int SplitId, byte Mechanism, byte SplitMode, uint HoldTimeoutMilliseconds, long SplitTimeNanoseconds, WireVolumeId? Origin)
{
    /// <summary>The block's length.</summary>
    public const int Length = 32;

    /// <summary>Encodes the block.</summary>
    /// <param name="destination">At least 32 bytes.</param>
    public void Write(Span<byte> destination)
    {
        destination[..Length].Clear();
        BinaryPrimitives.WriteInt32BigEndian(destination, Serial);
        BinaryPrimitives.WriteInt32BigEndian(destination[4..], SplitId);
        destination[8] = Mechanism;
        destination[9] = SplitMode;
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], HoldTimeoutMilliseconds);
        BinaryPrimitives.WriteInt64BigEndian(destination[16..], SplitTimeNanoseconds);
        if (Origin is WireVolumeId origin)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[24..], origin.PortId.Value);
            BinaryPrimitives.WriteUInt16BigEndian(destination[28..], origin.Lun);
            destination[30] = 1;
        }
    }

    /// <summary>Decodes the block.</summary>
    /// <param name="source">At least 32 bytes.</param>
    /// <param name="value">The fields.</param>
    /// <param name="reason">Why not, when false.</param>
    /// <returns>False when short, a mechanism or mode is undefined, the origin's port ID is wider than 24 bits, or reserved bits are set.</returns>
    public static bool TryRead(ReadOnlySpan<byte> source, out SplitBlock value, out string? reason)
    {
        value = default;
        if (source.Length < Length)
        {
            reason = "split block of " + source.Length + " bytes, not 32";
            return false;
        }

        byte mechanism = source[8];
        byte mode = source[9];
        int originPort = BinaryPrimitives.ReadInt32BigEndian(source[24..]);
        if (mechanism > 2 || mode > 1 || source[10] != 0 || source[11] != 0 || (source[30] & ~1) != 0 || source[31] != 0 || originPort is < 0 or > FcFrameHeader.MaxPortId)
        {
            reason = "split block: mechanism " + mechanism + ", split mode " + mode + ", an origin port over 24 bits or a reserved byte set";
            return false;
        }

        WireVolumeId? origin = (source[30] & 1) != 0 ? new WireVolumeId(PortId.FromBytes(source[25], source[26], source[27]), BinaryPrimitives.ReadUInt16BigEndian(source[28..])) : null;
        value = new SplitBlock(BinaryPrimitives.ReadInt32BigEndian(source), BinaryPrimitives.ReadInt32BigEndian(source[4..]), mechanism, mode, BinaryPrimitives.ReadUInt32BigEndian(source[12..]), BinaryPrimitives.ReadInt64BigEndian(source[16..]), origin);
        reason = null;
        return true;
    }
}
