// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Controller.Addressing;

namespace Controller.Wire.CopyManagement;

/// <summary>
/// One 96-byte row of the PAIR STATUS data (docs/protocol.md): a Copy Management Table row as the wire carries it.
/// A target from before the copy counts (bytes 80-95) sent 80-byte rows; <see cref="TryRead(ReadOnlySpan{byte}, int, out PairStatusRow, out string?)"/>
/// still reads them, with the counts null (not known).
/// Enumerated fields are bytes with the values of the firmware's enums (type: 0 LOCAL, 1 REMOTE; state: 0 SMPL,
/// 1 COPY, 2 PAIR, 3 PSUS, 4 PSUE, 5 COPY(RS), 6 RCPY; split mode: 0 read-only, 1 read/write), so the codec
/// needs nothing but the BCL.
/// </summary>
/// <param name="EntryId">The row's entry ID.</param>
/// <param name="PVol">The P-VOL.</param>
/// <param name="SVol">The S-VOL.</param>
/// <param name="Type">The mirror type: 0 LOCAL, 1 REMOTE.</param>
/// <param name="State">The pair state: 0 SMPL to 6 RCPY.</param>
/// <param name="SplitMode">0 read-only, 1 read/write.</param>
/// <param name="MirrorUnit">The P-VOL's mirror unit, 0 to 2.</param>
/// <param name="Percent">The copy's progress, 0 to 100, or <see cref="PercentUnknown"/>.</param>
/// <param name="SplitSequence">The write sequence number of the last split (0 when never split).</param>
/// <param name="SplitTimeNanoseconds">The time of the last split in nanoseconds since the Unix epoch (0 when never split).</param>
/// <param name="DifferentialTracks">The tracks that differ (the P-side and S-side bitmaps united).</param>
/// <param name="MirrorName">The mirror name the pair belongs to; empty (or null) when none.</param>
public readonly record struct PairStatusRow(
    uint EntryId,
    WireVolumeId PVol,
    WireVolumeId SVol,
    byte Type,
    byte State,
    byte SplitMode,
    byte MirrorUnit,
    byte Percent,
    ulong SplitSequence,
    long SplitTimeNanoseconds,
    ulong DifferentialTracks,
    string MirrorName)
{
    /// <summary>The row's length.</summary>
    public const int Length = 96;

    /// <summary>The row's length from a target before the copy counts: the same first 80 bytes, no counts.</summary>
    public const int LengthWithoutCopyCounts = 80;

    /// <summary>The <see cref="Percent"/> of a pair whose progress is not known.</summary>
    public const byte PercentUnknown = 0xFF;

    /// <summary>The largest <see cref="Type"/> (REMOTE).</summary>
    public const byte MaxType = 1;

    /// <summary>The largest <see cref="State"/> (RCPY).</summary>
    public const byte MaxState = 6;

    /// <summary>The largest <see cref="SplitMode"/> (read/write).</summary>
    public const byte MaxSplitMode = 1;

    /// <summary>A bit of <see cref="Flags"/>: this subsystem holds the pair's S-VOL (the row is a remote pair's secondary side): the attribute of the local volume.</summary>
    public const byte SecondaryFlag = 0x01;

    /// <summary>A bit of <see cref="Flags"/>: a determining pair (seed 002).</summary>
    public const byte DeterminingFlag = 0x02;

    /// <summary>The largest <see cref="MirrorUnit"/>: a P-VOL has three local mirrors, 0-2.</summary>
    public const byte MaxMirrorUnit = 2;

    private const int NameOffset = 48;

    /// <summary>Gets the FLAGS (byte 23): <see cref="SecondaryFlag"/>, <see cref="DeterminingFlag"/>; the other bits are 0.</summary>
    public byte Flags { get; init; }

    /// <summary>
    /// Gets the tracks the pair's last copy (initial copy, resync, restore, swap resync) has copied and landed so far
    /// (bytes 80-87): the whole count once it completed, 0 when the pair never copied; null in an 80-byte row.
    /// </summary>
    public ulong? CopiedTracks { get; init; }

    /// <summary>
    /// Gets the tracks the last copy's set started with (bytes 88-95; R0-8's count of a resync): 0 while the set is
    /// being built or when the pair never copied; null in an 80-byte row.
    /// </summary>
    public ulong? CopyTotalTracks { get; init; }

    /// <summary>Gets whether the row is the secondary's: the local volume of the pair is its S-VOL.</summary>
    public bool IsSecondary => (Flags & SecondaryFlag) != 0;

    /// <summary>Gets whether the row is a determining pair's.</summary>
    public bool IsDetermining => (Flags & DeterminingFlag) != 0;

    /// <summary>Decodes a 96-byte row.</summary>
    /// <param name="source">At least 96 bytes; the row is the first 96.</param>
    /// <param name="row">The row.</param>
    /// <param name="reason">Why not, when false.</param>
    /// <returns>False for a short source, a reserved byte that is not zero, a field outside its values, or a name that is not printable ASCII followed by zeros only.</returns>
    public static bool TryRead(ReadOnlySpan<byte> source, out PairStatusRow row, out string? reason)
    {
        return TryRead(source, Length, out row, out reason);
    }

    /// <summary>Decodes a row of the length the PAIR STATUS header gives: 96, or 80 from a target before the copy counts.</summary>
    /// <param name="source">At least <paramref name="rowLength"/> bytes; the row is the first <paramref name="rowLength"/>.</param>
    /// <param name="rowLength"><see cref="Length"/> or <see cref="LengthWithoutCopyCounts"/>.</param>
    /// <param name="row">The row; its copy counts are null for an 80-byte row.</param>
    /// <param name="reason">Why not, when false.</param>
    /// <returns>False for another row length, a short source, a reserved byte that is not zero, a field outside its values, or a name that is not printable ASCII followed by zeros only.</returns>
    public static bool TryRead(ReadOnlySpan<byte> source, int rowLength, out PairStatusRow row, out string? reason)
    {
        row = default;
        if (rowLength is not (Length or LengthWithoutCopyCounts))
        {
            reason = "PAIR STATUS row length is " + rowLength + ", neither 96 nor 80";
            return false;
        }

        if (source.Length < rowLength)
        {
            reason = "PAIR STATUS row of " + source.Length + " bytes, shorter than " + rowLength;
            return false;
        }

        // Reserved: 4 (above the P-VOL's port ID), 10-11, 12 (above the S-VOL's port ID), 23.
        int reserved = source[4] != 0 ? 4 : source[10] != 0 ? 10 : source[11] != 0 ? 11 : source[12] != 0 ? 12 : (source[23] & ~(SecondaryFlag | DeterminingFlag)) != 0 ? 23 : -1;
        if (reserved >= 0)
        {
            reason = "PAIR STATUS row: reserved byte " + reserved + " is 0x" + Hex(source[reserved]) + ", not 0";
            return false;
        }

        byte type = source[18];
        byte state = source[19];
        byte splitMode = source[20];
        byte mirrorUnit = source[21];
        byte percent = source[22];
        reason = CheckFields(type, state, splitMode, mirrorUnit, percent);
        if (reason is not null)
        {
            return false;
        }

        ReadOnlySpan<byte> nameField = source.Slice(NameOffset, MirrorNameBlock.MaxNameLength);
        int nameLength = nameField.IndexOf((byte)0);
        nameLength = nameLength < 0 ? nameField.Length : nameLength;
        for (int i = 0; i < nameLength; i++)
        {
            if (!MirrorNameBlock.IsNameCharacter((char)nameField[i]))
            {
                reason = "PAIR STATUS row: mirror name byte " + i + " is 0x" + Hex(nameField[i]) + ", not printable ASCII 0x21-0x7E";
                return false;
            }
        }

        if (nameField[nameLength..].ContainsAnyExcept((byte)0))
        {
            reason = "PAIR STATUS row: mirror name padding after " + nameLength + " characters is not zero";
            return false;
        }

        row = new PairStatusRow(
            BinaryPrimitives.ReadUInt32BigEndian(source),
            new WireVolumeId(PortId.FromBytes(source[5], source[6], source[7]), BinaryPrimitives.ReadUInt16BigEndian(source[8..])),
            new WireVolumeId(PortId.FromBytes(source[13], source[14], source[15]), BinaryPrimitives.ReadUInt16BigEndian(source[16..])),
            type,
            state,
            splitMode,
            mirrorUnit,
            percent,
            BinaryPrimitives.ReadUInt64BigEndian(source[24..]),
            BinaryPrimitives.ReadInt64BigEndian(source[32..]),
            BinaryPrimitives.ReadUInt64BigEndian(source[40..]),
            nameLength == 0 ? string.Empty : Encoding.ASCII.GetString(nameField[..nameLength]))
        {
            Flags = source[23],
            CopiedTracks = rowLength == Length ? BinaryPrimitives.ReadUInt64BigEndian(source[80..]) : null,
            CopyTotalTracks = rowLength == Length ? BinaryPrimitives.ReadUInt64BigEndian(source[88..]) : null,
        };
        reason = null;
        return true;
    }

    /// <summary>Encodes the row.</summary>
    /// <param name="destination">At least 96 bytes.</param>
    /// <returns>False (nothing written) for a short destination, a field outside its values, copy counts not set, or a mirror name that is not a valid name (empty is fine).</returns>
    public bool TryWrite(Span<byte> destination)
    {
        return TryWrite(destination, out _);
    }

    /// <summary>Encodes the row, saying why not.</summary>
    /// <param name="destination">At least 96 bytes.</param>
    /// <param name="reason">Why not, when false.</param>
    /// <returns>False (nothing written) for a short destination, a field outside its values, copy counts not set, or a mirror name that is not a valid name (empty is fine).</returns>
    public bool TryWrite(Span<byte> destination, out string? reason)
    {
        if (destination.Length < Length)
        {
            reason = "a PAIR STATUS row needs 96 bytes, the buffer has " + destination.Length;
            return false;
        }

        // A 96-byte row always carries the counts: writing 0 for "not known" would show a count nobody measured.
        if (CopiedTracks is not ulong copied || CopyTotalTracks is not ulong copyTotal)
        {
            reason = "PAIR STATUS row " + EntryId + ": the copy counts (tracks copied, copy total) are not set";
            return false;
        }

        reason = CheckFields(Type, State, SplitMode, MirrorUnit, Percent);
        if (reason is not null)
        {
            return false;
        }

        if (!string.IsNullOrEmpty(MirrorName) && !MirrorNameBlock.IsValidName(MirrorName, out reason))
        {
            reason = "PAIR STATUS row " + EntryId + ": " + reason;
            return false;
        }

        // Clearing first gives the reserved bytes and the name's padding their zeros.
        destination[..Length].Clear();
        BinaryPrimitives.WriteUInt32BigEndian(destination, EntryId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], PVol.PortId.Value);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], PVol.Lun);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], SVol.PortId.Value);
        BinaryPrimitives.WriteUInt16BigEndian(destination[16..], SVol.Lun);
        destination[18] = Type;
        destination[19] = State;
        destination[20] = SplitMode;
        destination[21] = MirrorUnit;
        destination[22] = Percent;
        destination[23] = Flags;
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], SplitSequence);
        BinaryPrimitives.WriteInt64BigEndian(destination[32..], SplitTimeNanoseconds);
        BinaryPrimitives.WriteUInt64BigEndian(destination[40..], DifferentialTracks);
        string name = MirrorName ?? string.Empty;
        for (int i = 0; i < name.Length; i++)
        {
            destination[NameOffset + i] = (byte)name[i];
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination[80..], copied);
        BinaryPrimitives.WriteUInt64BigEndian(destination[88..], copyTotal);
        return true;
    }

    // The enumerated fields' ranges, shared by both directions so that what one writes the other reads.
    private static string? CheckFields(byte type, byte state, byte splitMode, byte mirrorUnit, byte percent)
    {
        if (type > MaxType)
        {
            return "PAIR STATUS row: type " + type + " is neither 0 (LOCAL) nor 1 (REMOTE)";
        }

        if (state > MaxState)
        {
            return "PAIR STATUS row: state " + state + " is outside 0 (SMPL) to 6 (RCPY)";
        }

        if (splitMode > MaxSplitMode)
        {
            return "PAIR STATUS row: split mode " + splitMode + " is neither 0 (read-only) nor 1 (read/write)";
        }

        if (mirrorUnit > MaxMirrorUnit)
        {
            return "PAIR STATUS row: mirror unit " + mirrorUnit + " is outside 0-2";
        }

        if (percent > 100 && percent != PercentUnknown)
        {
            return "PAIR STATUS row: copy progress " + percent + " is neither 0-100 nor 0xFF (not known)";
        }

        return null;
    }

    private static string Hex(byte value)
    {
        return value.ToString("X2", CultureInfo.InvariantCulture);
    }
}
