// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using Controller.Addressing;
using Controller.Firmware.Addressing;
using Controller.Firmware.Volumes;
using Controller.Wire;

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

    /// <summary>Checks a new command and carries it out or hands it on (the reader, once per FCP_CMND).</summary>
    public void Execute(ScsiExchange exchange)
    {
        Login login = exchange.Login!;
        byte opcode = exchange.Cdb[0];
        ScsiOpcodeTable.Entry entry = ScsiOpcodeTable.Of(opcode);
        exchange.Kind = entry.Kind;
        if (exchange.DataLength > _frontEnd.Options.MaxTransferBytes)
        {
            exchange.Refuse(SenseData.InvalidFieldInCdb, "FCP_DL of " + exchange.DataLength + " bytes exceeds the largest transfer, " + _frontEnd.Options.MaxTransferBytes);
            return;
        }

        // The remote-copy link addresses volumes by the port map, not by host groups: it is not a host.
        if (entry.Kind == ScsiCommandKind.RemoteCopy)
        {
            _remoteCopy.Execute(exchange);
            return;
        }

        // NACA (CONTROL bit 2) asks for ACA, which this target never establishes (INQUIRY: NormACA 0): SAM-5 5.9.
        if (entry.ControlOffset >= 0 && (exchange.Cdb[entry.ControlOffset] & NormalAcaBit) != 0)
        {
            exchange.Refuse(SenseData.InvalidFieldInCdb, "NACA set in the CONTROL byte of 0x" + opcode.ToString("X2", CultureInfo.InvariantCulture) + " (NormACA is not supported)");
            return;
        }

        // Commands that need no logical unit behind the LUN.
        if (entry.Kind == ScsiCommandKind.ReportLuns)
        {
            ReportLuns(exchange, login);
            return;
        }

        LunAccess access = login.Port.Resolve(login.Initiator, new Lun(exchange.Lun), out LdevId ldevId);
        Ldev? ldev = access == LunAccess.Granted ? _frontEnd.Subsystem.FindLdev(ldevId) : null;
        if (entry.Kind == ScsiCommandKind.Inquiry)
        {
            Inquiry(exchange, login, ldev);
            return;
        }

        if (ldev is null && entry.Kind == ScsiCommandKind.RequestSense)
        {
            // SPC-4 6.29: REQUEST SENSE to a LUN with no logical unit is GOOD, with the sense data saying so.
            RespondWithSense(exchange, SenseData.LogicalUnitNotSupported);
            return;
        }

        if (ldev is null)
        {
            exchange.Refuse(SenseData.LogicalUnitNotSupported, "LUN 0x" + exchange.Lun.ToString("X4", CultureInfo.InvariantCulture) + " is " + (access == LunAccess.NotVisible ? "not in the host group of " + login.Initiator : "not mapped on port " + login.Port.PortId));
            return;
        }

        exchange.Ldev = ldev;
        long nexus = LogicalUnitReservations.Nexus(exchange.InitiatorId, exchange.TargetId);
        if (_frontEnd.UnitAttentions.TryTake(nexus, ldev.Id, out SenseData attention))
        {
            // SAM-5 5.14: reported once, on the nexus's next command to the unit (REQUEST SENSE: as its data).
            if (entry.Kind == ScsiCommandKind.RequestSense)
            {
                RespondWithSense(exchange, attention);
            }
            else
            {
                exchange.Refuse(attention, "unit attention pending for this I_T nexus on LDEV " + ldev.Id);
            }

            return;
        }

        LogicalUnitReservations reservations = _frontEnd.ReservationsOf(ldev.Id);
        if (reservations.Conflicts(nexus, opcode))
        {
            exchange.RespondStatus(FcpResponse.ReservationConflict);
            return;
        }

        // Dense kinds: a jump table.
        switch (entry.Kind)
        {
            case ScsiCommandKind.TestUnitReady:
                exchange.Good();
                break;
            case ScsiCommandKind.RequestSense:
                RequestSense(exchange);
                break;
            case ScsiCommandKind.Read:
            case ScsiCommandKind.Write:
                ReadOrWrite(exchange, entry.Kind == ScsiCommandKind.Write);
                break;
            case ScsiCommandKind.SynchronizeCache:
                SynchronizeCache(exchange);
                break;
            case ScsiCommandKind.ReadCapacity10:
                ReadCapacity10(exchange);
                break;
            case ScsiCommandKind.ServiceActionIn16:
                ReadCapacity16(exchange);
                break;
            case ScsiCommandKind.ModeSense:
                ModeSense(exchange);
                break;
            case ScsiCommandKind.Reserve6:
                Reserve(exchange, reservations, nexus);
                break;
            case ScsiCommandKind.Release6:
                reservations.Release(nexus);
                exchange.Good();
                break;
            case ScsiCommandKind.PersistentReserveIn:
                PersistentReserveIn(exchange, reservations);
                break;
            case ScsiCommandKind.PersistentReserveOut:
                exchange.RequestData(24);
                break;
            case ScsiCommandKind.CopyManagement:
                _copyManagement.Execute(exchange);
                break;
            default:
                exchange.Refuse(ScsiSense.InvalidOpcode, "operation code 0x" + opcode.ToString("X2", CultureInfo.InvariantCulture) + " is not supported");
                break;
        }
    }

    /// <summary>All the write data of a data-out command has arrived: carry it out (by the kind decided when it started).</summary>
    public void OnDataOut(ScsiExchange exchange)
    {
        // The data phase is over: from here the command owns the exchange until it posts the answer. A later
        // FCP_DATA must find it expecting no data (discarded, class 3), never still receiving: an atomic split
        // answers from an MP when it ends, and a DATA PHASE ERROR answered meanwhile posted the exchange while it was
        // still running, so the split's answer posted it again after the writer had returned it to the pool (the
        // send queue lost frames and the connection stopped answering: found by hostsim fuzz).
        exchange.MoveTo(ExchangePhase.Submitted);
        switch (exchange.Kind)
        {
            case ScsiCommandKind.Write:
                SubmitWrite(exchange);
                break;
            case ScsiCommandKind.PersistentReserveOut:
                PersistentReserveOut(exchange);
                break;
            case ScsiCommandKind.RemoteCopy:
                _remoteCopy.OnDataOut(exchange);
                break;
            default:
                _copyManagement.OnDataOut(exchange);
                break;
        }
    }
}
