// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using Controller.Firmware.Addressing;
using Controller.Firmware.Volumes;
using Controller.Wire;
using Controller.Wire.CopyManagement;
using Controller.Wire.RemoteCopy;

namespace Controller.Target.Scsi;

/// <summary>
/// The SCSI command set of the target: checks each command (LUN, reservation, CDB fields, FCP data direction
/// and length) before any data moves, then answers it at once (inquiry data, capacity, reservations, copy
/// management) or hands it to the MP that owns its LDEV (reads and writes).
/// </summary>
/// <remarks>
/// Runs on the connection's reader. Immediate commands are control plane; reads and writes allocate nothing
/// (the exchange is pooled, the data buffer rented).
/// </remarks>
internal sealed partial class ScsiCommandSet
{
    // CONTROL byte bit 2 (SAM-5): NACA.
    private const byte NormalAcaBit = 0x04;

    private readonly ControllerFrontEnd _frontEnd;
    private readonly CopyManagementCommands _copyManagement;
    private readonly RemoteCopyCommands _remoteCopy;

    public ScsiCommandSet(ControllerFrontEnd frontEnd)
    {
        _frontEnd = frontEnd;
        _copyManagement = new CopyManagementCommands(frontEnd);
        _remoteCopy = new RemoteCopyCommands(frontEnd);
    }

    public void Execute(ScsiExchange exchange, Login login, TargetConnection connection)
    {
        byte opcode = exchange.Cdb[0];
        if (exchange.DataLength > _frontEnd.Options.MaxTransferBytes)
        {
            Refuse(exchange, connection, SenseData.InvalidFieldInCdb, "FCP_DL of " + exchange.DataLength + " bytes exceeds the largest transfer, " + _frontEnd.Options.MaxTransferBytes);
            return;
        }

        // The remote-copy link addresses volumes by the port map, not by host groups: it is not a host.
        if (RemoteCopyOpcode.IsRemoteCopy(opcode))
        {
            _remoteCopy.Execute(exchange, login, connection, this);
            return;
        }

        // NACA (CONTROL bit 2) asks for ACA, which this target never establishes (INQUIRY: NormACA 0): SAM-5 5.9.
        int control = ScsiOpcode.ControlByteOffset(opcode);
        if (control >= 0 && (exchange.Cdb[control] & NormalAcaBit) != 0)
        {
            Refuse(exchange, connection, SenseData.InvalidFieldInCdb, "NACA set in the CONTROL byte of 0x" + opcode.ToString("X2", CultureInfo.InvariantCulture) + " (NormACA is not supported)");
            return;
        }

        // Commands that need no logical unit behind the LUN.
        if (opcode == ScsiOpcode.ReportLuns)
        {
            ReportLuns(exchange, login, connection);
            return;
        }

        LunAccess access = login.Port.Resolve(login.Initiator, new Lun(exchange.Lun), out LdevId ldevId);
        Ldev? ldev = access == LunAccess.Granted ? _frontEnd.Subsystem.FindLdev(ldevId) : null;
        if (opcode == ScsiOpcode.Inquiry)
        {
            Inquiry(exchange, login, ldev, connection);
            return;
        }

        if (ldev is null && opcode == ScsiOpcode.RequestSense)
        {
            // SPC-4 6.29: REQUEST SENSE to a LUN with no logical unit is GOOD, with the sense data saying so.
            RespondWithSense(exchange, connection, SenseData.LogicalUnitNotSupported);
            return;
        }

        if (ldev is null)
        {
            Refuse(exchange, connection, SenseData.LogicalUnitNotSupported, "LUN 0x" + exchange.Lun.ToString("X4", CultureInfo.InvariantCulture) + " is " + (access == LunAccess.NotVisible ? "not in the host group of " + login.Initiator : "not mapped on port " + login.Port.PortId));
            return;
        }

        exchange.Ldev = ldev;
        long nexus = LogicalUnitReservations.Nexus(exchange.InitiatorId, exchange.TargetId);
        if (_frontEnd.UnitAttentions.TryTake(nexus, ldev.Id, out SenseData attention))
        {
            // SAM-5 5.14: reported once, on the nexus's next command to the unit (REQUEST SENSE: as its data).
            if (opcode == ScsiOpcode.RequestSense)
            {
                RespondWithSense(exchange, connection, attention);
            }
            else
            {
                Refuse(exchange, connection, attention, "unit attention pending for this I_T nexus on LDEV " + ldev.Id);
            }

            return;
        }

        LogicalUnitReservations reservations = _frontEnd.ReservationsOf(ldev.Id);
        if (reservations.Conflicts(nexus, opcode))
        {
            exchange.Answer(FcpResponse.ReservationConflict);
            Respond(exchange, connection);
            return;
        }

        switch (opcode)
        {
            case ScsiOpcode.TestUnitReady:
                Good(exchange, connection);
                break;
            case ScsiOpcode.RequestSense:
                RequestSense(exchange, connection);
                break;
            case ScsiOpcode.Read10:
            case ScsiOpcode.Read16:
            case ScsiOpcode.Write10:
            case ScsiOpcode.Write16:
                ReadOrWrite(exchange, login, connection);
                break;
            case ScsiOpcode.SynchronizeCache10:
            case ScsiOpcode.SynchronizeCache16:
                SynchronizeCache(exchange, connection);
                break;
            case ScsiOpcode.ReadCapacity10:
                ReadCapacity10(exchange, connection);
                break;
            case ScsiOpcode.ServiceActionIn16:
                ReadCapacity16(exchange, connection);
                break;
            case ScsiOpcode.ModeSense6:
            case ScsiOpcode.ModeSense10:
                ModeSense(exchange, connection);
                break;
            case ScsiOpcode.Reserve6:
                Reserve(exchange, reservations, nexus, connection);
                break;
            case ScsiOpcode.Release6:
                reservations.Release(nexus);
                Good(exchange, connection);
                break;
            case ScsiOpcode.PersistentReserveIn:
                PersistentReserveIn(exchange, reservations, connection);
                break;
            case ScsiOpcode.PersistentReserveOut:
                StartDataOut(exchange, login, connection, 24);
                break;
            default:
                if (CopyManagementOpcodes.IsCopyManagement(opcode))
                {
                    _copyManagement.Execute(exchange, login, connection, this);
                }
                else
                {
                    Refuse(exchange, connection, ScsiSense.InvalidOpcode, "operation code 0x" + opcode.ToString("X2", CultureInfo.InvariantCulture) + " is not supported");
                }

                break;
        }
    }

    /// <summary>All the write data of a data-out command has arrived: carry it out.</summary>
    public void OnDataOut(ScsiExchange exchange, TargetConnection connection)
    {
        // The data phase is over: from here the command owns the exchange until it posts the answer. A later
        // FCP_DATA must find it expecting no data (discarded, class 3), never still receiving: an atomic split
        // answers from an MP when it ends, and a DATA PHASE ERROR answered meanwhile posted the exchange while it was
        // still running, so the split's answer posted it again after the writer had returned it to the pool (the
        // send queue lost frames and the connection stopped answering: found by hostsim fuzz).
        exchange.Phase = ExchangePhase.Submitted;
        switch (exchange.Cdb[0])
        {
            case ScsiOpcode.Write10:
            case ScsiOpcode.Write16:
                SubmitWrite(exchange, connection);
                break;
            case ScsiOpcode.PersistentReserveOut:
                PersistentReserveOut(exchange, connection);
                break;
            case RemoteCopyOpcode.UpdateCopy:
            case RemoteCopyOpcode.PairControl:
            case RemoteCopyOpcode.Authenticate:
                _remoteCopy.OnDataOut(exchange, connection, this);
                break;
            default:
                _copyManagement.OnDataOut(exchange, connection, this);
                break;
        }
    }

    /// <summary>
    /// Asks for a data-out command's data: FCP_XFER_RDY for all of it, or nothing when first burst was
    /// negotiated (the data follows the command). FCP_DL must equal <paramref name="expected"/> and WRDATA be set.
    /// </summary>
    public void StartDataOut(ScsiExchange exchange, Login login, TargetConnection connection, int expected)
    {
        if (expected == 0)
        {
            OnDataOut(exchange, connection);
            return;
        }

        if (!exchange.WriteData || exchange.DataLength != expected)
        {
            Refuse(exchange, connection, SenseData.InvalidFieldInCdb, "command 0x" + exchange.Cdb[0].ToString("X2", CultureInfo.InvariantCulture) + " moves " + expected + " bytes out; the FCP_CMND says " + (exchange.WriteData ? "WRDATA" : "no WRDATA") + " with FCP_DL " + exchange.DataLength);
            return;
        }

        exchange.RentData(expected);
        if (login.FirstBurst)
        {
            if (!exchange.TryMoveUnlessAborted(ExchangePhase.ReceivingData))
            {
                // Another connection's task management function aborted it meanwhile: the writer frees it.
                connection.Post(exchange);
            }

            return;
        }

        exchange.Phase = ExchangePhase.TransferReady;
        connection.Post(exchange);
    }

    public void Good(ScsiExchange exchange, TargetConnection connection)
    {
        exchange.Answer(FcpResponse.Good);
        Respond(exchange, connection);
    }

    public void Refuse(ScsiExchange exchange, TargetConnection connection, SenseData sense, string reason)
    {
        ConnectionLog.CheckCondition(connection.Logger, connection.Peer, sense, exchange.Cdb[0], exchange.OriginatorExchangeId, reason);
        exchange.Answer(FcpResponse.CheckCondition, sense);
        Respond(exchange, connection);
    }

    public void RespondWithData(ScsiExchange exchange, TargetConnection connection, int length)
    {
        if (exchange.WriteData)
        {
            Refuse(exchange, connection, SenseData.InvalidFieldInCdb, "a data-in command sent with WRDATA");
            return;
        }

        exchange.AnswerWithData(length);
        Respond(exchange, connection);
    }

    public void Respond(ScsiExchange exchange, TargetConnection connection)
    {
        exchange.Phase = ExchangePhase.Responding;
        connection.Post(exchange);
    }
}
