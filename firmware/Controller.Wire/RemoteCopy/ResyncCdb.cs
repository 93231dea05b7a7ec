// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using Controller.Addressing;
using Controller.Wire.CopyManagement;

namespace Controller.Wire.RemoteCopy;

/// <summary>
/// The 16-byte CDB of RC RESYNC (data-in): byte 0 = 0xE2; bytes 1-3 the P-VOL's port ID, 4-5 its LUN; bytes 6-9 the
/// ALLOCATION LENGTH (the bitmap's bytes: one bit per track); bytes 10-15 reserved. The S-VOL is the FCP_CMND's LUN
/// behind the frame's D_ID. The answer is the S side's differential bitmap, track 0 in bit 0 of byte 0. RC READ
/// BITMAP (0xE3) has the same CDB.
/// </summary>
/// <param name="PVol">The P-VOL.</param>
/// <param name="AllocationLength">The bytes the primary expects.</param>
public readonly record struct ResyncCdb(WireVolumeId PVol, uint AllocationLength)
{
    /// <summary>The CDB's length.</summary>
    public const int Length = 16;

    /// <summary>Gets the opcode: <see cref="RemoteCopyOpcode.Resync"/> or <see cref="RemoteCopyOpcode.ReadBitmap"/>.</summary>
    public byte Opcode { get; init; } = RemoteCopyOpcode.Resync;

    /// <summary>Encodes the CDB.</summary>
    /// <param name="destination">At least 16 bytes.</param>
    public void Write(Span<byte> destination)
    {
        destination[..Length].Clear();
        destination[0] = Opcode;
        destination[1] = PVol.PortId.Domain;
        destination[2] = PVol.PortId.Area;
        destination[3] = PVol.PortId.Port;
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], PVol.Lun);
        BinaryPrimitives.WriteUInt32BigEndian(destination[6..], AllocationLength);
    }

    /// <summary>Decodes the CDB.</summary>
    /// <param name="cdb">The CDB.</param>
    /// <param name="value">The fields.</param>
    /// <param name="reason">Why not, when false.</param>
    /// <returns>False for a short CDB, another opcode or reserved bytes set.</returns>
    public static bool TryRead(ReadOnlySpan<byte> cdb, out ResyncCdb value, out string? reason)
    {
        value = default;
        if (cdb.Length < Length || cdb[0] is not (RemoteCopyOpcode.Resync or RemoteCopyOpcode.ReadBitmap))
        {
            reason = "not an RC RESYNC or RC READ BITMAP CDB of 16 bytes";
            return false;
        }

        for (int i = 10; i < Length; i++)
        {
            if (cdb[i] != 0)
            {
                reason = "RC RESYNC: reserved byte " + i + " is not 0";
                return false;
            }
        }

        PortId port = PortId.FromBytes(cdb[1], cdb[2], cdb[3]);
        value = new ResyncCdb(new WireVolumeId(port, BinaryPrimitives.ReadUInt16BigEndian(cdb[4..])), BinaryPrimitives.ReadUInt32BigEndian(cdb[6..])) { Opcode = cdb[0] };
        reason = null;
        return true;
    }
}
