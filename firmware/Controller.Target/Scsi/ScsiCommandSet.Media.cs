// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using Controller.Firmware.Media;
using Controller.Firmware.Volumes;
using Controller.Wire;

namespace Controller.Target.Scsi;

/// <summary>READ and WRITE (10 and 16) and SYNCHRONIZE CACHE: the media commands, carried out by the LDEV's MP.</summary>
internal sealed partial class ScsiCommandSet
{
    private const int BlockSize = 512;

    private void ReadOrWrite(ScsiExchange exchange, Login login, TargetConnection connection)
    {
        ReadOnlySpan<byte> cdb = exchange.Cdb;
        bool sixteen = cdb[0] is ScsiOpcode.Read16 or ScsiOpcode.Write16;
        bool write = cdb[0] is ScsiOpcode.Write10 or ScsiOpcode.Write16;
        ulong lba = sixteen ? BinaryPrimitives.ReadUInt64BigEndian(cdb[2..]) : BinaryPrimitives.ReadUInt32BigEndian(cdb[2..]);
        uint blocks = sixteen ? BinaryPrimitives.ReadUInt32BigEndian(cdb[10..]) : BinaryPrimitives.ReadUInt16BigEndian(cdb[7..]);
        Ldev ldev = exchange.Ldev!;
        if (lba > (ulong)ldev.BlockCount || blocks > (ulong)ldev.BlockCount - lba)
        {
            Refuse(exchange, connection, SenseData.LbaOutOfRange, "LBA " + lba + " + " + blocks + " blocks is beyond the " + ldev.BlockCount + " blocks of LDEV " + ldev.Id);
            return;
        }

        long bytes = (long)blocks * BlockSize;
        if (bytes > _frontEnd.Options.MaxTransferBytes)
        {
            Refuse(exchange, connection, SenseData.InvalidFieldInCdb, "transfer of " + blocks + " blocks exceeds the largest transfer, " + _frontEnd.Options.MaxTransferBytes + " bytes");
            return;
        }

        // FCP-4 lets FCP_DL differ from the CDB's length (residuals); this target asks them to agree, as every
        // real initiator sends them, and refuses a mismatch before any data moves.
        if (bytes != exchange.DataLength || (bytes > 0 && (write ? !exchange.WriteData : !exchange.ReadData)))
        {
            Refuse(exchange, connection, SenseData.InvalidFieldInCdb, (write ? "write" : "read") + " of " + bytes + " bytes with FCP_DL " + exchange.DataLength + (exchange.WriteData ? " WRDATA" : exchange.ReadData ? " RDDATA" : " and no data direction"));
            return;
        }

        if (blocks == 0)
        {
            Good(exchange, connection);
            return;
        }

        if (write)
        {
            exchange.Phase = ExchangePhase.Submitted;
            StartDataOut(exchange, login, connection, (int)bytes);
            return;
        }

        byte[] buffer = exchange.RentData((int)bytes);
        exchange.Phase = ExchangePhase.Submitted;
        Submit(exchange, connection, new BlockCommand(BlockCommandKind.Read, ldev, (long)lba, new ArraySegment<byte>(buffer, 0, (int)bytes), exchange, 0));
    }

    private void SubmitWrite(ScsiExchange exchange, TargetConnection connection)
    {
        ReadOnlySpan<byte> cdb = exchange.Cdb;
        long lba = cdb[0] == ScsiOpcode.Write16 ? (long)BinaryPrimitives.ReadUInt64BigEndian(cdb[2..]) : BinaryPrimitives.ReadUInt32BigEndian(cdb[2..]);
        exchange.Phase = ExchangePhase.Submitted;
        Submit(exchange, connection, new BlockCommand(BlockCommandKind.Write, exchange.Ldev!, lba, new ArraySegment<byte>(exchange.Data!, 0, exchange.DataLength), exchange, 0));
    }

    private void Submit(ScsiExchange exchange, TargetConnection connection, in BlockCommand command)
    {
        if (!_frontEnd.Subsystem.TrySubmit(command))
        {
            // The MPs are full: back-pressure to the initiator, never an unbounded buffer.
            exchange.Answer(FcpResponse.TaskSetFull);
            Respond(exchange, connection);
        }
    }

    private void SynchronizeCache(ScsiExchange exchange, TargetConnection connection)
    {
        // Writes are acknowledged only once on media; flushing the store makes a file store durable too.
        MediaStatus status = exchange.Ldev!.Media.Flush();
        if (status != MediaStatus.Good)
        {
            Refuse(exchange, connection, ScsiSense.ForMedia(status, write: true), "flush of LDEV " + exchange.Ldev.Id + " failed: " + status);
            return;
        }

        Good(exchange, connection);
    }
}
