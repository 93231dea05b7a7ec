// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;

namespace Controller.Wire;

/// <summary>
/// The FCP_CMND information unit (FCP-4), 32 bytes: FCP_LUN (8), CRN, task attribute, task management flags,
/// additional CDB length with RDDATA/WRDATA, a 16-byte CDB, FCP_DL (the bytes to transfer). A view on the
/// frame's payload, no copy. LUNs use SAM single-level addressing: peripheral (00 LL) below 256, flat
/// (01xxxxxx LL) up to 0x3FFF.
/// </summary>
public readonly ref struct FcpCommand
{
    /// <summary>The IU's length without additional CDB bytes.</summary>
    public const int Length = 32;

    /// <summary>The largest LUN single-level flat addressing can carry.</summary>
    public const int MaxLun = 0x3FFF;

    private FcpCommand(ushort lun, byte taskAttribute, byte taskManagement, bool readData, bool writeData, ReadOnlySpan<byte> cdb, uint dataLength)
    {
        Lun = lun;
        TaskAttribute = taskAttribute;
        TaskManagement = taskManagement;
        ReadData = readData;
        WriteData = writeData;
        Cdb = cdb;
        DataLength = dataLength;
    }

    /// <summary>Gets the LUN.</summary>
    public ushort Lun { get; }

    /// <summary>Gets the task attribute (0 SIMPLE, 1 HEAD OF QUEUE, 2 ORDERED, 4 ACA, 5 UNTAGGED).</summary>
    public byte TaskAttribute { get; }

    /// <summary>Gets the task management flags (0: an ordinary command).</summary>
    public byte TaskManagement { get; }

    /// <summary>Gets whether data flows to the initiator (RDDATA).</summary>
    public bool ReadData { get; }

    /// <summary>Gets whether data flows to the target (WRDATA).</summary>
    public bool WriteData { get; }

    /// <summary>Gets the 16-byte CDB.</summary>
    public ReadOnlySpan<byte> Cdb { get; }

    /// <summary>Gets FCP_DL: the bytes the command transfers.</summary>
    public uint DataLength { get; }

    /// <summary>Decodes an FCP_CMND payload.</summary>
    /// <param name="payload">The FC frame's payload.</param>
    /// <param name="command">The command.</param>
    /// <param name="reason">Why not, when false.</param>
    /// <returns>False for a short payload, additional CDB bytes (unsupported), both data directions, or a LUN outside single-level addressing.</returns>
    public static bool TryRead(ReadOnlySpan<byte> payload, out FcpCommand command, out string? reason)
    {
        command = default;
        if (payload.Length < Length)
        {
            reason = "FCP_CMND of " + payload.Length + " bytes, shorter than 32";
            return false;
        }

        byte flags = payload[11];
        if ((flags >> 2) != 0)
        {
            reason = "FCP_CMND with " + (flags >> 2) * 4 + " additional CDB bytes: only 16-byte CDBs are supported";
            return false;
        }

        bool read = (flags & 0x02) != 0;
        bool write = (flags & 0x01) != 0;
        if (read && write)
        {
            reason = "FCP_CMND with both RDDATA and WRDATA: bidirectional commands are not supported";
            return false;
        }

        if (!TryReadLun(payload[..8], out ushort lun))
        {
            reason = "FCP_LUN " + Convert.ToHexString(payload[..8]) + " is not single-level peripheral or flat addressing";
            return false;
        }

        command = new FcpCommand(lun, (byte)(payload[9] & 0x07), payload[10], read, write, payload.Slice(12, 16), BinaryPrimitives.ReadUInt32BigEndian(payload[28..]));
        reason = null;
        return true;
    }

    /// <summary>Encodes an FCP_CMND payload.</summary>
    /// <param name="destination">At least 32 bytes.</param>
    /// <param name="lun">The LUN (up to 0x3FFF).</param>
    /// <param name="cdb">The CDB, 6 to 16 bytes (padded with zeros to 16).</param>
    /// <param name="readData">Data to the initiator.</param>
    /// <param name="writeData">Data to the target.</param>
    /// <param name="dataLength">FCP_DL.</param>
    /// <param name="taskAttribute">The task attribute (0 SIMPLE).</param>
    /// <returns>False (nothing written) for a bad LUN, CDB, direction or a short destination.</returns>
    public static bool TryWrite(Span<byte> destination, ushort lun, ReadOnlySpan<byte> cdb, bool readData, bool writeData, uint dataLength, byte taskAttribute = 0)
    {
        if (destination.Length < Length || lun > MaxLun || cdb.Length is < 6 or > 16 || (readData && writeData) || taskAttribute > 7)
        {
            return false;
        }

        destination[..Length].Clear();
        if (lun < 256)
        {
            destination[1] = (byte)lun;
        }
        else
        {
            destination[0] = (byte)(0x40 | (lun >> 8));
            destination[1] = (byte)lun;
        }

        destination[9] = taskAttribute;
        destination[11] = (byte)((readData ? 0x02 : 0) | (writeData ? 0x01 : 0));
        cdb.CopyTo(destination[12..]);
        BinaryPrimitives.WriteUInt32BigEndian(destination[28..], dataLength);
        return true;
    }

    /// <summary>Encodes an FCP_CMND that carries a task management request (no CDB, FCP_DL 0).</summary>
    /// <param name="destination">At least 32 bytes.</param>
    /// <param name="lun">The LUN (up to 0x3FFF).</param>
    /// <param name="flags">One of <see cref="FcpTaskManagement"/>.</param>
    /// <returns>False (nothing written) for a bad LUN, no flag, or a short destination.</returns>
    public static bool TryWriteTaskManagement(Span<byte> destination, ushort lun, byte flags)
    {
        Span<byte> emptyCdb = stackalloc byte[16];
        emptyCdb.Clear();
        if (flags == 0 || !TryWrite(destination, lun, emptyCdb, false, false, 0))
        {
            return false;
        }

        destination[10] = flags;
        return true;
    }

    // Single level: bytes 2-7 zero; byte 0 is 00 (peripheral, bus 0) or 01xxxxxx (flat, LUN high bits).
    private static bool TryReadLun(ReadOnlySpan<byte> fcpLun, out ushort lun)
    {
        lun = 0;
        if (fcpLun[2..].ContainsAnyExcept((byte)0))
        {
            return false;
        }

        byte method = (byte)(fcpLun[0] >> 6);
        if (method == 0 && fcpLun[0] == 0)
        {
            lun = fcpLun[1];
            return true;
        }

        if (method == 1)
        {
            lun = (ushort)(((fcpLun[0] & 0x3F) << 8) | fcpLun[1]);
            return true;
        }

        return false;
    }
}
