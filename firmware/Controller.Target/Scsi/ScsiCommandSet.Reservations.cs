// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using System.Globalization;
using Controller.Wire;

namespace Controller.Target.Scsi;

/// <summary>RESERVE(6)/RELEASE(6) and PERSISTENT RESERVE IN/OUT (REGISTER, RESERVE, RELEASE, CLEAR, READ KEYS, READ RESERVATION).</summary>
internal sealed partial class ScsiCommandSet
{
    private static void Reserve(ScsiExchange exchange, LogicalUnitReservations reservations, long nexus)
    {
        if (!reservations.Reserve(nexus))
        {
            exchange.RespondStatus(FcpResponse.ReservationConflict);
            return;
        }

        exchange.Good();
    }

    private static void PersistentReserveIn(ScsiExchange exchange, LogicalUnitReservations reservations)
    {
        ReadOnlySpan<byte> cdb = exchange.Cdb;
        int serviceAction = cdb[1] & 0x1F;
        int allocation = BinaryPrimitives.ReadUInt16BigEndian(cdb[7..]);
        if (serviceAction > 1)
        {
            exchange.Refuse(SenseData.InvalidFieldInCdb, "PERSISTENT RESERVE IN service action 0x" + serviceAction.ToString("X2", CultureInfo.InvariantCulture) + " (READ KEYS and READ RESERVATION are supported)");
            return;
        }

        byte[] buffer = exchange.RentData(Math.Max(allocation, 8));
        Span<byte> data = buffer.AsSpan(0, Math.Max(allocation, 8));
        int length = serviceAction == 0 ? reservations.ReadKeys(data) : reservations.ReadReservation(data);
        exchange.RespondWithData(Math.Min(length, allocation));
    }

    private void PersistentReserveOut(ScsiExchange exchange)
    {
        ReadOnlySpan<byte> cdb = exchange.Cdb;
        ReadOnlySpan<byte> parameters = exchange.Data.AsSpan(0, 24);
        byte serviceAction = (byte)(cdb[1] & 0x1F);
        byte type = (byte)(cdb[2] & 0x0F);
        ulong key = BinaryPrimitives.ReadUInt64BigEndian(parameters);
        ulong serviceActionKey = BinaryPrimitives.ReadUInt64BigEndian(parameters[8..]);
        long nexus = LogicalUnitReservations.Nexus(exchange.InitiatorId, exchange.TargetId);
        PersistentReserveOutcome outcome = _frontEnd.ReservationsOf(exchange.Ldev!.Id).PersistentReserveOut(nexus, serviceAction, type, key, serviceActionKey);
        switch (outcome)
        {
            case PersistentReserveOutcome.Good:
                exchange.Good();
                break;
            case PersistentReserveOutcome.Conflict:
                exchange.RespondStatus(FcpResponse.ReservationConflict);
                break;
            case PersistentReserveOutcome.InvalidRelease:
                // 05/26/04 INVALID RELEASE OF PERSISTENT RESERVATION.
                exchange.Refuse(new SenseData(SenseData.IllegalRequest, 0x26, 0x04), "PERSISTENT RESERVE OUT RELEASE with type " + type + ", not the reservation's");
                break;
            default:
                exchange.Refuse(SenseData.InvalidFieldInCdb, "PERSISTENT RESERVE OUT service action " + serviceAction + " type " + type + " (REGISTER, RESERVE, RELEASE, CLEAR of type 1, Write Exclusive, are supported)");
                break;
        }
    }
}
