// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers;
using Controller.Addressing;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.RemoteCopy;

namespace Controller.Firmware.Persistence;

/// <summary>A <see cref="PairSnapshot"/> as a state-file record's payload (little-endian, one layout byte first).</summary>
public static class PairSnapshotCodec
{
    // The payload's first byte: a decoder refuses a layout it does not know instead of misreading it.
    private const byte Layout = 1;

    /// <summary>Appends a row's payload.</summary>
    /// <param name="row">The row.</param>
    /// <param name="writer">Where it goes.</param>
    public static void Encode(PairSnapshot row, ArrayBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(writer);
        StateWriter.U8(writer, Layout);
        StateWriter.U32(writer, (uint)row.EntryId);
        Address(writer, row.PVol);
        StateWriter.U16(writer, row.PVolLdev.Value);
        Address(writer, row.SVol);
        StateWriter.U16(writer, row.SVolLdev.Value);
        StateWriter.U8(writer, (byte)row.MirrorUnit);
        StateWriter.U8(writer, (byte)row.Type);
        StateWriter.U8(writer, (byte)row.Role);
        StateWriter.U8(writer, (byte)row.Fence);
        StateWriter.U32(writer, (uint)row.Peer);
        StateWriter.U8(writer, (byte)((row.Determining ? 1 : 0) | (row.PVolProtected ? 2 : 0) | (row.SplitUpstream is null ? 0 : 4) | (row.BitmapsAheadOfCheckpoint ? 8 : 0) | (row.SuspendedWithValidMarks ? 16 : 0)));
        StateWriter.U8(writer, (byte)row.State);
        StateWriter.U8(writer, (byte)row.SplitMode);
        StateWriter.Text(writer, row.MirrorName);
        StateWriter.I64(writer, row.SplitSequence);
        StateWriter.I64(writer, row.SplitTime is DateTimeOffset time ? time.ToUnixTimeMilliseconds() : long.MinValue);
        StateWriter.U32(writer, (uint)row.SplitSource.Serial);
        StateWriter.U32(writer, (uint)row.SplitSource.SplitId);
        Address(writer, row.SplitUpstream ?? default);
    }

    /// <summary>Reads a record's payload.</summary>
    /// <param name="payload">The payload.</param>
    /// <param name="record">The record, when it could be read.</param>
    /// <returns>Null when read; else what is wrong with it.</returns>
    public static string? TryDecode(ReadOnlySpan<byte> payload, out PairSnapshot? record)
    {
        record = null;
        StateReader reader = new(payload);
        byte layout = reader.U8();
        if (layout != Layout)
        {
            return "a pair row of layout " + layout + " (this build reads " + Layout + ")";
        }

        int entryId = (int)reader.U32();
        bool outOfRange = false;
        VolumeAddress pVol = Address(ref reader, ref outOfRange);
        LdevId pVolLdev = new(reader.U16());
        VolumeAddress sVol = Address(ref reader, ref outOfRange);
        LdevId sVolLdev = new(reader.U16());
        int mirrorUnit = reader.U8();
        byte type = reader.U8();
        byte role = reader.U8();
        byte fence = reader.U8();
        int peer = (int)reader.U32();
        byte flags = reader.U8();
        byte state = reader.U8();
        byte splitMode = reader.U8();
        string? mirrorName = reader.Text();
        long splitSequence = reader.I64();
        long splitTime = reader.I64();
        SplitIdentity source = new((int)reader.U32(), (int)reader.U32());
        VolumeAddress upstream = Address(ref reader, ref outOfRange);
        if (reader.Short || reader.Remaining != 0)
        {
            return "a pair row of " + payload.Length + " bytes, not the layout's size";
        }

        if (outOfRange || type > (byte)MirrorType.Remote || role > (byte)PairRole.SVol || fence > (byte)FenceLevel.Data || state > (byte)PairState.Rcpy || splitMode > (byte)SplitMode.ReadWrite || mirrorUnit > 2)
        {
            return "pair row " + entryId + " holds a value out of range";
        }

        record = new PairSnapshot
        {
            EntryId = entryId,
            PVol = pVol,
            PVolLdev = pVolLdev,
            SVol = sVol,
            SVolLdev = sVolLdev,
            MirrorUnit = mirrorUnit,
            Type = (MirrorType)type,
            Role = (PairRole)role,
            Fence = (FenceLevel)fence,
            Peer = peer,
            Determining = (flags & 1) != 0,
            PVolProtected = (flags & 2) != 0,
            BitmapsAheadOfCheckpoint = (flags & 8) != 0,
            SuspendedWithValidMarks = (flags & 16) != 0,
            State = (PairState)state,
            SplitMode = (SplitMode)splitMode,
            MirrorName = mirrorName,
            SplitSequence = splitSequence,
            SplitTime = splitTime == long.MinValue ? null : DateTimeOffset.FromUnixTimeMilliseconds(splitTime),
            SplitSource = source,
            SplitUpstream = (flags & 4) != 0 ? upstream : null,
        };
        return null;
    }

    private static void Address(ArrayBufferWriter<byte> writer, VolumeAddress address)
    {
        StateWriter.U32(writer, address.PortId.Value);
        StateWriter.U16(writer, address.Lun.Value);
    }

    private static VolumeAddress Address(ref StateReader reader, ref bool outOfRange)
    {
        uint port = reader.U32();
        ushort lun = reader.U16();
        outOfRange |= port > PortId.MaxValue;
        return new VolumeAddress(new PortId(Math.Min(port, PortId.MaxValue)), new Lun(lun));
    }
}
