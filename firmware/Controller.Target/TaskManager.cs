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
/// The task manager of one connection (SAM-5's name for the server that carries out task management): ABTS for one
/// exchange (BA_ACC or BA_RJT), the task management functions of FCP_CMND (ABORT TASK SET, CLEAR TASK SET, LOGICAL
/// UNIT RESET, TARGET RESET) with the unit attentions SAM-5 gives them, and an overlapped command (an OX_ID reused
/// while outstanding); docs/protocol.md, "Aborts and task management".
/// </summary>
/// <remarks>
/// <para>
/// An abort claims a command with one compare-and-swap on its state (<see cref="ScsiExchange.TryClaimForAbort"/>,
/// through <see cref="TargetConnection.TryAbort"/> and <see cref="TargetConnection.AbortTasks"/>), from this
/// connection's reader or from another connection's (a CLEAR TASK SET, a reset, an implicit logout). The claimed
/// command leaves the OX_ID table at once; it sends nothing more: a command parked for write data is freed (its data
/// is never applied; later FCP_DATA is discarded), one queued to send is dropped by the writer, and one on an MP is
/// dropped when the MP answers (a write already handed to its MP still lands: it was being applied).
/// </para>
/// <para>
/// A separate owner from <see cref="TargetConnection"/> because it holds no state of its own and is never on the
/// command path: the connection's reader hands it an ABTS, a task management function or an overlapped OX_ID, and it
/// reaches the commands (this connection's, and through <see cref="NexusTable"/> every other connection's) only by
/// the connection's abort claim, which is all the connection has to give away. Called on this connection's reader only.
/// </para>
/// </remarks>
internal sealed class TaskManager
{
    private const ushort UnassignedExchangeId = 0xFFFF;

    private readonly TargetConnection _connection;
    private readonly ControllerFrontEnd _frontEnd;
    private readonly ExchangeTable _exchanges;
    private readonly FrameOutbox _outbox;

    /// <summary>Initializes the task manager of <paramref name="connection"/>.</summary>
    /// <param name="connection">The connection whose reader calls it.</param>
    /// <param name="frontEnd">The controller's port front (the nexuses, the unit attentions, the reservations).</param>
    /// <param name="exchanges">The connection's OX_ID table (the reader's).</param>
    /// <param name="outbox">The connection's sender, for the BA_ACC and BA_RJT.</param>
    public TaskManager(TargetConnection connection, ControllerFrontEnd frontEnd, ExchangeTable exchanges, FrameOutbox outbox)
    {
        _connection = connection;
        _frontEnd = frontEnd;
        _exchanges = exchanges;
        _outbox = outbox;
    }

    /// <summary>
    /// Answers an FC-FS basic link service ABTS: the initiator gives up one exchange (a command that timed out). BA_ACC
    /// when the exchange is open here (aborted: no FCP_RSP or data follows), BA_RJT invalid OX_ID-RX_ID combination
    /// when not (never started, already answered, another port's; the RX_ID must be 0xFFFF or the one this target gave).
    /// </summary>
    /// <param name="header">The ABTS frame's header.</param>
    public void OnAbortSequence(in FcFrameHeader header)
    {
        ushort exchangeId = header.OriginatorExchangeId;
        ScsiExchange? exchange = _exchanges.Find(exchangeId);
        long seen = exchange?.State ?? 0;
        bool ours = exchange is not null && exchange.InitiatorId == header.SourceId && exchange.TargetId == header.DestinationId
            && (header.ResponderExchangeId == UnassignedExchangeId || header.ResponderExchangeId == exchangeId);
        Span<byte> payload = stackalloc byte[BasicAccept.Length];
        if (ours && _connection.TryAbort(exchange!, seen))
        {
            ConnectionLog.ExchangeAborted(_connection.Logger, _connection.Peer, header.SourceId, exchangeId);
            BasicAccept.WholeExchange(exchangeId, exchangeId).TryWrite(payload);
            SendBasicReply(header, FcRoutingControl.BasicAccept, payload[..BasicAccept.Length].ToArray());
            return;
        }

        ConnectionLog.AbortOfUnknownExchange(_connection.Logger, _connection.Peer, header.SourceId, exchangeId, header.ResponderExchangeId);
        BasicReject.NoSuchExchange.TryWrite(payload);
        SendBasicReply(header, FcRoutingControl.BasicReject, payload[..BasicReject.Length].ToArray());
    }

    /// <summary>
    /// SAM-5 5.10.2: an overlapped command (an OX_ID still outstanding) aborts the commands of its I_T nexus on the
    /// logical unit, and the first command of that OX_ID wherever it is; the new one is answered 0B/4E/00 by the caller.
    /// </summary>
    /// <param name="header">The new command's header.</param>
    /// <param name="first">The outstanding command of the same OX_ID.</param>
    /// <param name="lun">The new command's logical unit.</param>
    /// <returns>How many commands were aborted.</returns>
    public int AbortOverlapped(in FcFrameHeader header, ScsiExchange first, ushort lun)
    {
        int aborted = _connection.TryAbort(first, first.State) ? 1 : 0;
        PortId initiator = header.SourceId;
        PortId target = header.DestinationId;
        return aborted + _connection.AbortTasks(exchange => exchange.InitiatorId == initiator && exchange.TargetId == target && exchange.Lun == lun, null);
    }

    /// <summary>
    /// Carries out an FCP-4 task management function: the answer is an FCP_RSP with RSP_CODE 00 (done), 04 (not
    /// supported) or 09 (no such logical unit). Each function's effects, SAM-5 7: see the class remarks and docs/protocol.md.
    /// </summary>
    /// <param name="header">The FCP_CMND's header.</param>
    /// <param name="login">The process login it came on.</param>
    /// <param name="command">The FCP_CMND (its task management flags are set).</param>
    /// <returns>The FCP_RSP's RSP_CODE.</returns>
    public byte OnTaskManagement(in FcFrameHeader header, Login login, in FcpCommand command)
    {
        byte flags = command.TaskManagement;
        string name = FcpTaskManagement.NameOf(flags);
        PortId initiator = header.SourceId;
        PortId target = header.DestinationId;
        ushort lun = command.Lun;
        long requester = LogicalUnitReservations.Nexus(initiator, target);
        if (flags == FcpTaskManagement.TargetReset)
        {
            List<Ldev> units = LdevsOf(login.Port);
            int count = ResetUnits(units, UnitAttentions.TargetReset);
            ConnectionLog.TargetReset(_connection.Logger, _connection.Peer, name, initiator, target, units.Count, count);
            return FcpResponse.TaskManagementComplete;
        }

        if (flags is not (FcpTaskManagement.AbortTaskSet or FcpTaskManagement.ClearTaskSet or FcpTaskManagement.LogicalUnitReset))
        {
            ConnectionLog.TaskManagementNotSupported(_connection.Logger, _connection.Peer, name, initiator);
            return FcpResponse.TaskManagementNotSupported;
        }

        LunAccess access = login.Port.Resolve(login.Initiator, new Lun(lun), out LdevId ldevId);
        Ldev? ldev = access == LunAccess.Granted ? _frontEnd.Subsystem.FindLdev(ldevId) : null;
        if (ldev is null)
        {
            ConnectionLog.TaskManagementNoUnit(_connection.Logger, _connection.Peer, name, initiator, lun);
            return FcpResponse.IncorrectLogicalUnit;
        }

        int aborted;
        switch (flags)
        {
            case FcpTaskManagement.AbortTaskSet:
                aborted = _connection.AbortTasks(exchange => exchange.InitiatorId == initiator && exchange.TargetId == target && exchange.Lun == lun, null);
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

        ConnectionLog.TaskManagementDone(_connection.Logger, _connection.Peer, name, initiator, lun, ldev.Id, aborted);
        return FcpResponse.TaskManagementComplete;
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
        HashSet<TargetConnection> connections = [_connection];
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
}
