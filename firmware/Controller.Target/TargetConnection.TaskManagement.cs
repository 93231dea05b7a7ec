// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Addressing;
using Controller.Firmware.Volumes;
using Controller.Target.Scsi;
using Controller.Wire;
using Controller.Wire.Bls;
using Controller.Wire.Transport;

namespace Controller.Target;

/// <summary>
/// Aborting commands (docs/protocol.md, "Aborts and task management"): ABTS for one exchange (BA_ACC or BA_RJT), the
/// task management functions of FCP_CMND (ABORT TASK SET, CLEAR TASK SET, LOGICAL UNIT RESET, TARGET RESET) with the
/// unit attentions SAM-5 gives them, an overlapped command (an OX_ID reused while outstanding) and the implicit
/// logout of a nexus logged in again.
/// </summary>
/// <remarks>
/// An abort claims a command with one compare-and-swap on its state (<see cref="ScsiExchange.TryClaimForAbort"/>),
/// from this connection's reader or from another connection's (a CLEAR TASK SET, a reset, an implicit logout). The
/// claimed command leaves the OX_ID table at once; it sends nothing more: a command parked for write data is freed
/// (its data is never applied; later FCP_DATA is discarded), one queued to send is dropped by the writer, and one on
/// an MP is dropped when the MP answers (a write already handed to its MP still lands: it was being applied).
/// </remarks>
public sealed partial class TargetConnection
{
    private const ushort UnassignedExchangeId = 0xFFFF;

    /// <summary>The controller's FC Fabric Entity WWN in the FCIP Special Frame: the node name its PLOGI accepts carry.</summary>
    public static readonly ulong ControllerFabricName = Controller.Wire.Els.ElsPayload.PortNameFor(0) & ~0xFFFFFFUL;

    /// <summary>
    /// Aborts every live command of this connection that <paramref name="match"/> selects. Safe from any thread.
    /// </summary>
    /// <param name="match">Which commands.</param>
    /// <param name="nexuses">When given, receives the I_T nexus of each command aborted.</param>
    /// <returns>How many were aborted.</returns>
    internal int AbortTasks(Func<ScsiExchange, bool> match, List<long>? nexuses)
    {
        // Every exchange of the connection, not the OX_ID table (the reader's alone): one in the table is live.
        int aborted = 0;
        ScsiExchange[] all = _pool.All(out int count);
        for (int i = 0; i < count; i++)
        {
            ScsiExchange exchange = all[i];

            // The state first, then the fields: if the command ends and the object is reused meanwhile, the
            // generation in the state no longer matches and the claim fails.
            long seen = exchange.State;
            if (!ScsiExchange.IsLive(seen) || !match(exchange))
            {
                continue;
            }

            long nexus = LogicalUnitReservations.Nexus(exchange.InitiatorId, exchange.TargetId);
            if (TryAbort(exchange, seen))
            {
                aborted++;
                nexuses?.Add(nexus);
            }
        }

        return aborted;
    }

    private bool TryAbort(ScsiExchange exchange, long seen)
    {
        // The claim takes the command out of the OX_ID table too (its state word's in-table bit).
        if (!exchange.TryClaimForAbort(seen, out bool reclaimed))
        {
            return false;
        }

        LeaveOutstanding();
        if (reclaimed)
        {
            // It was parked for write data, which nobody else hands on: the writer frees it (after any FCP_XFER_RDY it is still writing).
            Post(exchange);
        }

        return true;
    }

    // FC-FS basic link service ABTS: the initiator gives up one exchange (a command that timed out). BA_ACC when
    // the exchange is open here (aborted: no FCP_RSP or data follows), BA_RJT invalid OX_ID-RX_ID combination when
    // not (never started, already answered, another port's; the RX_ID must be 0xFFFF or the one this target gave).
    private void OnAbortSequence(in FcFrameHeader header)
    {
        ushort exchangeId = header.OriginatorExchangeId;
        ScsiExchange? exchange = _exchanges.Find(exchangeId);
        long seen = exchange?.State ?? 0;
        bool ours = exchange is not null && exchange.InitiatorId == header.SourceId && exchange.TargetId == header.DestinationId
            && (header.ResponderExchangeId == UnassignedExchangeId || header.ResponderExchangeId == exchangeId);
        Span<byte> payload = stackalloc byte[BasicAccept.Length];
        if (ours && TryAbort(exchange!, seen))
        {
            ConnectionLog.ExchangeAborted(Logger, Peer, header.SourceId, exchangeId);
            BasicAccept.WholeExchange(exchangeId, exchangeId).TryWrite(payload);
            SendBasicReply(header, FcRoutingControl.BasicAccept, payload[..BasicAccept.Length].ToArray());
            return;
        }

        ConnectionLog.AbortOfUnknownExchange(Logger, Peer, header.SourceId, exchangeId, header.ResponderExchangeId);
        BasicReject.NoSuchExchange.TryWrite(payload);
        SendBasicReply(header, FcRoutingControl.BasicReject, payload[..BasicReject.Length].ToArray());
    }

    private void SendBasicReply(in FcFrameHeader request, byte routingControl, byte[] payload)
    {
        FcFrameHeader header = new()
        {
            RoutingControl = routingControl,
            DestinationId = request.SourceId,
            SourceId = request.DestinationId,
            Type = FcFrameHeader.TypeBasicLinkService,
            FrameControl = FcFrameControl.BasicReply,
            SequenceId = request.SequenceId,
            OriginatorExchangeId = request.OriginatorExchangeId,
            ResponderExchangeId = request.OriginatorExchangeId,
        };
        _outbox.Post(new SingleFrameSource(header, payload));
    }

    // SAM-5 5.10.2: an overlapped command (an OX_ID still outstanding) aborts the commands of its I_T nexus on the
    // logical unit, and the first command of that OX_ID wherever it is; the new one is answered 0B/4E/00 by the caller.
    private int AbortOverlapped(in FcFrameHeader header, ScsiExchange first, ushort lun)
    {
        int aborted = TryAbort(first, first.State) ? 1 : 0;
        int initiator = header.SourceId;
        int target = header.DestinationId;
        return aborted + AbortTasks(exchange => exchange.InitiatorId == initiator && exchange.TargetId == target && exchange.Lun == lun, null);
    }

    // FCP-4 task management: the answer is an FCP_RSP with RSP_CODE 00 (done), 04 (not supported) or 09 (no such
    // logical unit). Each function's effects, SAM-5 7: see the class remarks and docs/protocol.md.
    private byte OnTaskManagement(in FcFrameHeader header, Login login, in FcpCommand command)
    {
        byte flags = command.TaskManagement;
        string name = FcpTaskManagement.NameOf(flags);
        int initiator = header.SourceId;
        int target = header.DestinationId;
        ushort lun = command.Lun;
        long requester = LogicalUnitReservations.Nexus(initiator, target);
        if (flags == FcpTaskManagement.TargetReset)
        {
            List<Ldev> units = LdevsOf(login.Port);
            int count = ResetUnits(units, UnitAttentions.TargetReset);
            ConnectionLog.TargetReset(Logger, Peer, name, initiator, target, units.Count, count);
            return FcpResponse.TaskManagementComplete;
        }

        if (flags is not (FcpTaskManagement.AbortTaskSet or FcpTaskManagement.ClearTaskSet or FcpTaskManagement.LogicalUnitReset))
        {
            ConnectionLog.TaskManagementNotSupported(Logger, Peer, name, initiator);
            return FcpResponse.TaskManagementNotSupported;
        }

        LunAccess access = login.Port.Resolve(login.Initiator, new Lun(lun), out LdevId ldevId);
        Ldev? ldev = access == LunAccess.Granted ? _frontEnd.Subsystem.FindLdev(ldevId) : null;
        if (ldev is null)
        {
            ConnectionLog.TaskManagementNoUnit(Logger, Peer, name, initiator, lun);
            return FcpResponse.IncorrectLogicalUnit;
        }

        int aborted;
        switch (flags)
        {
            case FcpTaskManagement.AbortTaskSet:
                aborted = AbortTasks(exchange => exchange.InitiatorId == initiator && exchange.TargetId == target && exchange.Lun == lun, null);
                break;
            case FcpTaskManagement.ClearTaskSet:
                List<long> hit = [];
                aborted = AbortEverywhere(exchange => ReferenceEquals(exchange.Ldev, ldev), hit);
                foreach (long nexus in hit)
                {
                    // SAM-5 5.6 (TAS 0): the other nexuses whose commands were aborted learn it on their next command.
                    if (nexus != requester)
                    {
                        _frontEnd.UnitAttentions.Establish(nexus, ldev.Id, UnitAttentions.CommandsCleared);
                    }
                }

                break;
            default:
                aborted = ResetUnits([ldev], UnitAttentions.LogicalUnitReset);
                break;
        }

        ConnectionLog.TaskManagementDone(Logger, Peer, name, initiator, lun, ldev.Id, aborted);
        return FcpResponse.TaskManagementComplete;
    }

    // A logical unit reset of each unit (SAM-5 7.7): every command on it aborted, from every nexus; the SPC-2
    // reservation released (persistent reservations stay); a unit attention for every nexus logged in, the
    // requester's included.
    private int ResetUnits(List<Ldev> units, SenseData attention)
    {
        int aborted = AbortEverywhere(exchange => exchange.Ldev is Ldev ldev && units.Contains(ldev), null);
        List<(long Nexus, TargetConnection Connection)> nexuses = _frontEnd.Nexuses.Snapshot();
        foreach (Ldev unit in units)
        {
            _frontEnd.ReservationsOf(unit.Id).ResetSpc2Reservation();
            foreach ((long nexus, TargetConnection _) in nexuses)
            {
                _frontEnd.UnitAttentions.Establish(nexus, unit.Id, attention);
            }
        }

        return aborted;
    }

    private int AbortEverywhere(Func<ScsiExchange, bool> match, List<long>? nexuses)
    {
        HashSet<TargetConnection> connections = [this];
        foreach ((long _, TargetConnection connection) in _frontEnd.Nexuses.Snapshot())
        {
            connections.Add(connection);
        }

        int aborted = 0;
        foreach (TargetConnection connection in connections)
        {
            aborted += connection.AbortTasks(match, nexuses);
        }

        return aborted;
    }

    private List<Ldev> LdevsOf(TargetPort port)
    {
        List<Ldev> units = [];
        for (int lun = 0; lun <= FcpCommand.MaxLun; lun++)
        {
            if (port.TryGetLdev(new Lun((ushort)lun), out LdevId id) && _frontEnd.Subsystem.FindLdev(id) is Ldev ldev && !units.Contains(ldev))
            {
                units.Add(ldev);
            }
        }

        return units;
    }

    /// <inheritdoc/>
    public void OnSpecialFrame(ReadOnlySpan<byte> specialFrame)
    {
        // RFC 3821 section 7: the acceptor echoes the FSF; it names this controller (its node name) as the destination
        // entity, and sets Ch when the originator had named another one. The originator decides what to do with a
        // changed echo (RFC: it closes the connection); this target serves the connection either way.
        byte[] echo = new byte[FcipSpecialFrame.Length];
        bool changed = FcipSpecialFrame.WriteEcho(specialFrame, ControllerFabricName, echo);
        ConnectionLog.SpecialFrameEchoed(Logger, Peer, System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(specialFrame[FcipSpecialFrame.SourceWorldWideNameOffset..]), changed ? " with this controller's WWN as the destination (Ch set)" : " unchanged");
        _outbox.Post(new RawBytesSource(echo));
    }

    // FC-LS: a PLOGI from a port already logged in (here or on another connection: the same port ID, whatever its
    // port name) logs the old login out implicitly: its open exchanges are aborted and its I_T nexus is lost, which
    // releases the nexus's SPC-2 reservation (SPC-3 5.6.x; persistent reservations stay). The old connection then
    // treats the port as not logged in (a command there is answered LOGO).
    private void LogOutImplicitly(long nexus, int initiator, int target, (TargetConnection Connection, Login Login) old)
    {
        old.Login.ImplicitlyLoggedOut = true;
        int aborted = old.Connection.AbortTasks(exchange => exchange.InitiatorId == initiator && exchange.TargetId == target, null);
        _frontEnd.ReleaseReservationsOf(nexus);
        if (ReferenceEquals(old.Connection, this))
        {
            ConnectionLog.ImplicitLogout(Logger, Peer, initiator, target, aborted);
        }
        else
        {
            ConnectionLog.ImplicitLogoutOfOtherConnection(Logger, Peer, initiator, target, old.Connection.Peer, aborted);
        }
    }
}
