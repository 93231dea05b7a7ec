// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers;
using Controller.Firmware.Addressing;
using Controller.Firmware.Pairs;
using Controller.Firmware.RemoteCopy;

namespace Controller.Firmware.Persistence;

/// <summary>
/// One Copy Management Table row as the state files keep it: everything a restart needs to bring the pair back as it
/// was (the bitmaps travel apart, in <see cref="BitmapRecord"/>). Plain values only, so the codec does not depend on
/// the table's objects.
/// </summary>
public sealed record PairRecord
{
    // The payload's first byte: a decoder refuses a layout it does not know instead of misreading it.
    private const byte Layout = 1;

    /// <summary>Gets the row's entry ID.</summary>
    public required int EntryId { get; init; }

    /// <summary>Gets the P-VOL's address.</summary>
    public required VolumeAddress PVol { get; init; }

    /// <summary>Gets the P-VOL's LDEV in this subsystem (meaningful when it holds the P-VOL).</summary>
    public required LdevId PVolLdev { get; init; }

    /// <summary>Gets the S-VOL's address.</summary>
    public required VolumeAddress SVol { get; init; }

    /// <summary>Gets the S-VOL's LDEV in this subsystem (meaningful when it holds the S-VOL).</summary>
    public required LdevId SVolLdev { get; init; }

    /// <summary>Gets the mirror unit.</summary>
    public int MirrorUnit { get; init; }

    /// <summary>Gets the mirror type.</summary>
    public MirrorType Type { get; init; }

    /// <summary>Gets which volume this subsystem holds.</summary>
    public PairRole Role { get; init; }

    /// <summary>Gets the fence level (remote pairs).</summary>
    public FenceLevel Fence { get; init; }

    /// <summary>Gets, at a secondary, the primary's link identity.</summary>
    public int Peer { get; init; }

    /// <summary>Gets whether the pair is a determining pair.</summary>
    public bool Determining { get; init; }

    /// <summary>Gets the state.</summary>
    public PairState State { get; init; }

    /// <summary>Gets the last split's mode.</summary>
    public SplitMode SplitMode { get; init; }

    /// <summary>Gets whether the last split protected the P-VOL (pairsplit -P).</summary>
    public bool PVolProtected { get; init; }

    /// <summary>Gets the mirror name, if any.</summary>
    public string? MirrorName { get; init; }

    /// <summary>Gets the write sequence number of the last split point (0: never split).</summary>
    public long SplitSequence { get; init; }

    /// <summary>Gets the time of the last split point.</summary>
    public DateTimeOffset? SplitTime { get; init; }

    /// <summary>Gets the atomic split that last split the pair.</summary>
    public SplitIdentity SplitSource { get; init; }

    /// <summary>Gets the cascade's upstream P-VOL at the last atomic split, if any.</summary>
    public VolumeAddress? SplitUpstream { get; init; }

    /// <summary>Appends the record's payload.</summary>
    /// <param name="writer">Where it goes.</param>
    public void Encode(ArrayBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        StateWriter.U8(writer, Layout);
        StateWriter.U32(writer, (uint)EntryId);
        Address(writer, PVol);
        StateWriter.U16(writer, PVolLdev.Value);
        Address(writer, SVol);
        StateWriter.U16(writer, SVolLdev.Value);
        StateWriter.U8(writer, (byte)MirrorUnit);
        StateWriter.U8(writer, (byte)Type);
        StateWriter.U8(writer, (byte)Role);
        StateWriter.U8(writer, (byte)Fence);
        StateWriter.U32(writer, (uint)Peer);
        StateWriter.U8(writer, (byte)((Determining ? 1 : 0) | (PVolProtected ? 2 : 0) | (SplitUpstream is null ? 0 : 4)));
        StateWriter.U8(writer, (byte)State);
        StateWriter.U8(writer, (byte)SplitMode);
        StateWriter.Text(writer, MirrorName);
        StateWriter.I64(writer, SplitSequence);
        StateWriter.I64(writer, SplitTime is DateTimeOffset time ? time.ToUnixTimeMilliseconds() : long.MinValue);
        StateWriter.U32(writer, (uint)SplitSource.Serial);
        StateWriter.U32(writer, (uint)SplitSource.SplitId);
        Address(writer, SplitUpstream ?? default);
    }

    /// <summary>Reads a record's payload.</summary>
    /// <param name="payload">The payload.</param>
    /// <param name="record">The record, when it could be read.</param>
    /// <returns>Null when read; else what is wrong with it.</returns>
    public static string? TryDecode(ReadOnlySpan<byte> payload, out PairRecord? record)
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

        record = new PairRecord
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
