// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Wire.CopyManagement;
using Controller.Wire.Scsi;

namespace Controller.Traces;

/// <summary>
/// One FCP exchange of a trace: the command an initiator sent to a LUN of a target port, the data it wrote, and
/// (when the trace recorded it) the target's answer. Exchanges are numbered from 1 in the order of their FCP_CMND
/// frames: the trace's one global order across every LUN and port.
/// </summary>
public sealed class TraceExchange
{
    /// <summary>Initializes an exchange from its command.</summary>
    /// <param name="number">Its number in the trace, from 1.</param>
    /// <param name="commandRecord">The pcap record number of its FCP_CMND frame.</param>
    /// <param name="timeNanoseconds">The FCP_CMND's time stamp.</param>
    /// <param name="initiatorPortId">The initiator (S_ID of the command).</param>
    /// <param name="volume">The target port (D_ID) and LUN.</param>
    /// <param name="cdb">The CDB.</param>
    /// <param name="writeData">True when the command writes data (WRDATA).</param>
    /// <param name="readData">True when it reads data (RDDATA).</param>
    /// <param name="dataLength">FCP_DL.</param>
    public TraceExchange(long number, long commandRecord, long timeNanoseconds, int initiatorPortId, TraceVolume volume, byte[] cdb, bool writeData, bool readData, uint dataLength)
    {
        Number = number;
        CommandRecord = commandRecord;
        TimeNanoseconds = timeNanoseconds;
        InitiatorPortId = initiatorPortId;
        Volume = volume;
        Cdb = cdb;
        WriteData = writeData;
        ReadData = readData;
        DataLength = dataLength;
        IsBlockCommand = BlockCdb.TryReadRange(cdb, out long lba, out uint blocks, out bool isWrite);
        Lba = lba;
        Blocks = blocks;
        IsWrite = IsBlockCommand && isWrite;
        if (!IsBlockCommand && CopyManagementCdb.TryRead(cdb, out CopyManagementCdb copyManagement, out _))
        {
            CopyManagement = copyManagement;
        }
    }

    /// <summary>Gets the exchange's number in the trace, from 1.</summary>
    public long Number { get; }

    /// <summary>Gets the pcap record number of its FCP_CMND (Wireshark's frame number).</summary>
    public long CommandRecord { get; }

    /// <summary>Gets the FCP_CMND's time stamp, in nanoseconds.</summary>
    public long TimeNanoseconds { get; }

    /// <summary>Gets the initiator's port ID.</summary>
    public int InitiatorPortId { get; }

    /// <summary>Gets the target port and LUN.</summary>
    public TraceVolume Volume { get; }

    /// <summary>Gets the CDB.</summary>
    public byte[] Cdb { get; }

    /// <summary>Gets whether the command writes data.</summary>
    public bool WriteData { get; }

    /// <summary>Gets whether the command reads data.</summary>
    public bool ReadData { get; }

    /// <summary>Gets FCP_DL: the bytes the command transfers.</summary>
    public uint DataLength { get; }

    /// <summary>Gets whether the CDB is a READ or WRITE (10 or 16) with a block range (<see cref="Lba"/>, <see cref="Blocks"/>).</summary>
    public bool IsBlockCommand { get; }

    /// <summary>Gets whether the CDB is a WRITE.</summary>
    public bool IsWrite { get; }

    /// <summary>Gets the CDB of a copy-management command (docs/protocol.md: PAIR CREATE, ATOMIC SPLIT, PAIR STATUS, ...), or null.</summary>
    public CopyManagementCdb? CopyManagement { get; }

    /// <summary>Gets whether the command is PAIR STATUS: its answer is the Copy Management Table, kept whole.</summary>
    public bool IsPairStatus => CopyManagement is { Opcode: CopyManagementOpcode.PairStatus };

    /// <summary>Gets the first block of a READ or WRITE.</summary>
    public long Lba { get; }

    /// <summary>Gets the blocks of a READ or WRITE.</summary>
    public uint Blocks { get; }

    /// <summary>Gets the data the initiator sent (FCP_DATA frames), or null when the trace carries none (an imported trace).</summary>
    public byte[]? DataOut { get; internal set; }

    /// <summary>Gets the target's answer, or null when the trace did not record one.</summary>
    public RecordedResponse? Response { get; internal set; }

    /// <summary>Gets the pcap record number of the FCP_RSP, or 0.</summary>
    public long ResponseRecord { get; internal set; }

    /// <summary>
    /// Gets whether, in the recording, a command that touched the same blocks of the same LUN (one of the two a write)
    /// was outstanding at the same time. Its read data then depended on the target's order, not the trace's, so a
    /// replay does not compare it.
    /// </summary>
    public bool OverlappedInRecording { get; internal set; }

    /// <summary>Tells whether two exchanges touch common blocks of the same LUN, one of them writing.</summary>
    /// <param name="other">The other exchange.</param>
    /// <returns>True when they conflict: their order decides the data.</returns>
    public bool ConflictsWith(TraceExchange other)
    {
        return IsBlockCommand && other.IsBlockCommand && (IsWrite || other.IsWrite) && Volume == other.Volume
            && Lba < other.Lba + other.Blocks && other.Lba < Lba + Blocks;
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        return "exchange " + Number + " (frame " + CommandRecord + ", " + Volume + (IsBlockCommand ? (IsWrite ? " WRITE" : " READ") + " LBA " + Lba + " + " + Blocks : CopyManagement is CopyManagementCdb copyManagement ? " " + CopyManagementOpcodes.GetName(copyManagement.Opcode) : " opcode 0x" + Cdb[0].ToString("X2", System.Globalization.CultureInfo.InvariantCulture)) + ")";
    }
}
