// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using Controller.Addressing;
using Controller.Wire.CopyManagement;

namespace Controller.Wire.RemoteCopy;

/// <summary>
/// The 32-byte header of the parameter list of RC PAIR CONTROL (its CDB: byte 0 = 0xE1, bytes 6-9 PARAMETER LIST
/// LENGTH = 32 + the tail, the rest 0). A tail follows for some kinds: NAME MIRRORS (5) a mirror name block and a pair
/// list; the split messages (6-9) a <see cref="SplitBlock"/> and a pair list; a no-copy create (1) a split block
/// naming its origin. Header: byte 0 KIND (1 create, 2 set state, 4 delete, 5-9 as above, 10 pair command), byte 1 STATE
/// (the pair state number of docs/state-tables.md, for set state), byte 2 SPLIT MODE (1 read/write), byte 3 FENCE (0
/// never, 1 data), bytes 4-7 the P-VOL's port ID and 8-9 its LUN, bytes 10-13 the S-VOL's port ID and 14-15 its LUN,
/// bytes 16-23 the P-VOL's capacity in blocks, bytes 24-27 the primary's track size in bytes, byte 28 OPERATION (for a
/// pair command, the firmware's pair operation number: 1 split, 5 swap resync, ...), byte 29 FLAGS (bit 0 DETERMINING,
/// for a create), 30-31 reserved. All big-endian.
/// </summary>
/// <param name="Kind">The message kind.</param>
/// <param name="State">For set state: the state.</param>
/// <param name="SplitMode">For a split: 1 when the S-VOL becomes read/write.</param>
/// <param name="Fence">For a create: the fence level.</param>
/// <param name="PVol">The P-VOL.</param>
/// <param name="SVol">The S-VOL.</param>
/// <param name="BlockCount">For a create: the P-VOL's capacity.</param>
/// <param name="TrackSizeBytes">For a create: the primary's track size.</param>
public readonly record struct PairControlParameters(byte Kind, byte State, byte SplitMode, byte Fence, WireVolumeId PVol, WireVolumeId SVol, long BlockCount, int TrackSizeBytes)
{
    /// <summary>The FLAGS bit of a create of a determining pair (seed 002).</summary>
    public const byte DeterminingFlag = 0x01;

    /// <summary>Gets OPERATION (byte 28): for a pair command (kind 10), the command; else 0.</summary>
    public byte Operation { get; init; }

    /// <summary>Gets FLAGS (byte 29): <see cref="DeterminingFlag"/> for a create; else 0.</summary>
    public byte Flags { get; init; }

    /// <summary>The header's length (the shortest parameter list).</summary>
    public const int Length = 32;

    /// <summary>The longest parameter list: the header and a tail of a name block and a list of 4,096 pairs.</summary>
    public const int MaxListLength = Length + SplitBlock.Length + MirrorNameBlock.MaxLength + PairList.HeaderLength + (4096 * PairList.DescriptorLength);

    /// <summary>The CDB's length.</summary>
    public const int CdbLength = 16;

    /// <summary>Writes the CDB that carries a parameter list.</summary>
    /// <param name="cdb">At least 16 bytes.</param>
    /// <param name="listLength">The parameter list's length (32 and a tail).</param>
    public static void WriteCdb(Span<byte> cdb, int listLength = Length)
    {
        cdb[..CdbLength].Clear();
        cdb[0] = RemoteCopyOpcode.PairControl;
        BinaryPrimitives.WriteUInt32BigEndian(cdb[6..], (uint)listLength);
    }

    /// <summary>Gets the PARAMETER LIST LENGTH of an RC PAIR CONTROL CDB (checked by <see cref="TryCheckCdb"/>).</summary>
    /// <param name="cdb">The CDB.</param>
    /// <returns>The length.</returns>
    public static int ListLengthOf(ReadOnlySpan<byte> cdb)
    {
        return (int)BinaryPrimitives.ReadUInt32BigEndian(cdb[6..]);
    }

    /// <summary>Checks an RC PAIR CONTROL CDB.</summary>
    /// <param name="cdb">The CDB.</param>
    /// <param name="reason">Why not, when false.</param>
    /// <returns>False unless it is 16 bytes, 0xE1, with PARAMETER LIST LENGTH 32 and every other byte 0.</returns>
    public static bool TryCheckCdb(ReadOnlySpan<byte> cdb, out string? reason)
    {
        reason = null;
        if (cdb.Length < CdbLength || cdb[0] != RemoteCopyOpcode.PairControl || BinaryPrimitives.ReadUInt32BigEndian(cdb[6..]) is < Length or > MaxListLength)
        {
            reason = "RC PAIR CONTROL: the CDB must be 0xE1 with a PARAMETER LIST LENGTH of 32 to " + MaxListLength;
            return false;
        }

        for (int i = 1; i < CdbLength; i++)
        {
            if (i is < 6 or > 9 && cdb[i] != 0)
            {
                reason = "RC PAIR CONTROL: reserved byte " + i + " of the CDB is not 0";
                return false;
            }
        }

        return true;
    }

    /// <summary>Encodes the parameter list.</summary>
    /// <param name="destination">At least 32 bytes.</param>
    public void Write(Span<byte> destination)
    {
        destination[..Length].Clear();
        destination[0] = Kind;
        destination[1] = State;
        destination[2] = SplitMode;
        destination[3] = Fence;
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], PVol.PortId.Value);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], PVol.Lun);
        BinaryPrimitives.WriteUInt32BigEndian(destination[10..], SVol.PortId.Value);
        BinaryPrimitives.WriteUInt16BigEndian(destination[14..], SVol.Lun);
        BinaryPrimitives.WriteInt64BigEndian(destination[16..], BlockCount);
        BinaryPrimitives.WriteInt32BigEndian(destination[24..], TrackSizeBytes);
        destination[28] = Operation;
        destination[29] = Flags;
    }

    /// <summary>Decodes the parameter list.</summary>
    /// <param name="source">The data-out bytes.</param>
    /// <param name="value">The fields.</param>
    /// <param name="reason">Why not, when false.</param>
    /// <returns>False for a wrong length, a port ID over 24 bits, a negative capacity or track size, or reserved bytes set.</returns>
    public static bool TryRead(ReadOnlySpan<byte> source, out PairControlParameters value, out string? reason)
    {
        value = default;
        if (source.Length < Length)
        {
            reason = "RC PAIR CONTROL: the parameter list is " + source.Length + " bytes, shorter than its 32-byte header";
            return false;
        }

        int pPort = BinaryPrimitives.ReadInt32BigEndian(source[4..]);
        int sPort = BinaryPrimitives.ReadInt32BigEndian(source[10..]);
        long blocks = BinaryPrimitives.ReadInt64BigEndian(source[16..]);
        int track = BinaryPrimitives.ReadInt32BigEndian(source[24..]);
        if (pPort is < 0 or > FcFrameHeader.MaxPortId || sPort is < 0 or > FcFrameHeader.MaxPortId)
        {
            reason = "RC PAIR CONTROL: a port ID is wider than 24 bits";
            return false;
        }

        if (blocks < 0 || track < 0 || BinaryPrimitives.ReadUInt16BigEndian(source[30..]) != 0)
        {
            reason = "RC PAIR CONTROL: a negative capacity or track size, or reserved bytes 30-31 set";
            return false;
        }

        value = new PairControlParameters(source[0], source[1], source[2], source[3], new WireVolumeId(PortId.FromBytes(source[5], source[6], source[7]), BinaryPrimitives.ReadUInt16BigEndian(source[8..])), new WireVolumeId(PortId.FromBytes(source[11], source[12], source[13]), BinaryPrimitives.ReadUInt16BigEndian(source[14..])), blocks, track)
        {
            Operation = source[28],
            Flags = source[29],
        };
        reason = null;
        return true;
    }
}
