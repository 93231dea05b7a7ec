// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using Controller.Firmware.Volumes;
using Controller.Wire;

namespace Controller.Target.Scsi;

/// <summary>READ and WRITE (10 and 16) and SYNCHRONIZE CACHE: the media commands, carried out by the LDEV's MP.</summary>
internal sealed partial class ScsiCommandSet
{
    private const int BlockSize = 512;

    // CDB byte 1: FUA in WRITE(10/16), IMMED in SYNCHRONIZE CACHE(10/16).
    private const byte ForceUnitAccessBit = 0x08;
    private const byte ImmediateBit = 0x02;

    private void ReadOrWrite(ScsiExchange exchange, bool write)
    {
        ReadOnlySpan<byte> cdb = exchange.Cdb;
        bool sixteen = cdb[0] is ScsiOpcode.Read16 or ScsiOpcode.Write16;
        ulong lba = sixteen ? BinaryPrimitives.ReadUInt64BigEndian(cdb[2..]) : BinaryPrimitives.ReadUInt32BigEndian(cdb[2..]);
        uint blocks = sixteen ? BinaryPrimitives.ReadUInt32BigEndian(cdb[10..]) : BinaryPrimitives.ReadUInt16BigEndian(cdb[7..]);
        Ldev ldev = exchange.Ldev!;
        if (lba > (ulong)ldev.BlockCount || blocks > (ulong)ldev.BlockCount - lba)
        {
            exchange.Refuse(SenseData.LbaOutOfRange, "LBA " + lba + " + " + blocks + " blocks is beyond the " + ldev.BlockCount + " blocks of LDEV " + ldev.Id);
            return;
        }

        long bytes = (long)blocks * BlockSize;
        if (bytes > _frontEnd.Options.MaxTransferBytes)
        {
            exchange.Refuse(SenseData.InvalidFieldInCdb, "transfer of " + blocks + " blocks exceeds the largest transfer, " + _frontEnd.Options.MaxTransferBytes + " bytes");
            return;
        }

        // FCP-4 lets FCP_DL differ from the CDB's length (residuals); this target asks them to agree, as every
        // real initiator sends them, and refuses a mismatch before any data moves.
        if (bytes != exchange.DataLength || (bytes > 0 && (write ? !exchange.WriteData : !exchange.ReadData)))
        {
            exchange.Refuse(SenseData.InvalidFieldInCdb, (write ? "write" : "read") + " of " + bytes + " bytes with FCP_DL " + exchange.DataLength + (exchange.WriteData ? " WRDATA" : exchange.ReadData ? " RDDATA" : " and no data direction"));
            return;
        }

        if (blocks == 0)
        {
            exchange.Good();
            return;
        }

        if (write)
        {
            // Decoded once: the write goes on from these when its data has arrived.
            exchange.Lba = (long)lba;

            // FUA (byte 1 bit 3, SBC-3 5.39/5.41): GOOD only once the data is on stable storage, whatever WCE says.
            exchange.ForceUnitAccess = (cdb[1] & ForceUnitAccessBit) != 0;
            exchange.MoveTo(ExchangePhase.Submitted);
            exchange.RequestData((int)bytes);
            return;
        }

        byte[] buffer = exchange.RentData((int)bytes);
        exchange.MoveTo(ExchangePhase.Submitted);
        Submit(exchange, new BlockCommand(BlockCommandKind.Read, ldev, (long)lba, new ArraySegment<byte>(buffer, 0, (int)bytes), exchange, 0));
    }

    private void SubmitWrite(ScsiExchange exchange)
    {
        Submit(exchange, new BlockCommand(BlockCommandKind.Write, exchange.Ldev!, exchange.Lba, new ArraySegment<byte>(exchange.Data!, 0, exchange.DataLength), exchange, 0, exchange.ForceUnitAccess));
    }

    private void Submit(ScsiExchange exchange, in BlockCommand command)
    {
        if (!_frontEnd.Subsystem.TrySubmit(command))
        {
            // The MPs are full: back-pressure to the initiator, never an unbounded buffer.
            exchange.RespondStatus(FcpResponse.TaskSetFull);
        }
    }

    // SYNCHRONIZE CACHE(10/16), SBC-3 5.22/5.23: the range is checked like a read's, then the command goes to the
    // LDEV's MP like every media command, so it follows every write queued before it; the MP hands it to the LDEV's
    // group commit, which answers after a sync covering those writes (at once on RAM, which has nothing to sync, and
    // at once when no write came since the last sync). The sync always covers the whole LDEV: a range only narrows
    // what must be synced, and fdatasync has no range. IMMED: GOOD as soon as the CDB is checked and the sync queued.
    private void SynchronizeCache(ScsiExchange exchange)
    {
        ReadOnlySpan<byte> cdb = exchange.Cdb;
        bool sixteen = cdb[0] == ScsiOpcode.SynchronizeCache16;
        ulong lba = sixteen ? BinaryPrimitives.ReadUInt64BigEndian(cdb[2..]) : BinaryPrimitives.ReadUInt32BigEndian(cdb[2..]);
        uint blocks = sixteen ? BinaryPrimitives.ReadUInt32BigEndian(cdb[10..]) : BinaryPrimitives.ReadUInt16BigEndian(cdb[7..]);
        Ldev ldev = exchange.Ldev!;
        ulong capacity = (ulong)ldev.BlockCount;

        // NUMBER OF LOGICAL BLOCKS 0 means from LBA to the last block, so LBA itself must exist.
        if (lba >= capacity || blocks > capacity - lba)
        {
            exchange.Refuse(SenseData.LbaOutOfRange, "SYNCHRONIZE CACHE of LBA " + lba + " + " + blocks + " blocks is beyond the " + ldev.BlockCount + " blocks of LDEV " + ldev.Id);
            return;
        }

        if (exchange.DataLength != 0)
        {
            exchange.Refuse(SenseData.InvalidFieldInCdb, "SYNCHRONIZE CACHE moves no data; the FCP_CMND says FCP_DL " + exchange.DataLength);
            return;
        }

        bool immediate = (cdb[1] & ImmediateBit) != 0;
        exchange.MoveTo(ExchangePhase.Submitted);
        if (!immediate)
        {
            Submit(exchange, new BlockCommand(BlockCommandKind.Synchronize, ldev, (long)lba, default, exchange, 0));
            return;
        }

        // The sync runs on with no one waiting for its answer. A failed sync is sticky (GroupCommit): every later
        // FUA write, write-through write and SYNCHRONIZE CACHE of the LDEV answers MEDIUM ERROR.
        if (_frontEnd.Subsystem.TrySubmit(new BlockCommand(BlockCommandKind.Synchronize, ldev, (long)lba, default, UnansweredCompletion.Instance, 0)))
        {
            exchange.Good();
        }
        else
        {
            exchange.RespondStatus(FcpResponse.TaskSetFull);
        }
    }
}
