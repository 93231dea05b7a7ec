// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Addressing;
using Controller.Target.Scsi;
using Controller.Wire;
using Controller.Wire.Els;
using Controller.Wire.Transport;

namespace Controller.Target;

/// <summary>
/// The N_Port logins of a connection's initiator port (FC-LS): the target ports it is logged in to (PLOGI, then PRLI
/// for the FCP image pair), its port ID, the extended link services that change them (PLOGI, PRLI, LOGO), the LOGO
/// that tells a port which is not logged in to log in, and the connection's I_T nexuses in the controller's
/// <see cref="NexusTable"/>.
/// </summary>
/// <remarks>
/// <para>
/// One initiator port per connection: the S_ID of the first PLOGI. It may log in to several target ports of the
/// controller over the same connection (frames are routed by D_ID), as over one FCIP link.
/// </para>
/// <para>
/// A separate owner from <see cref="TargetConnection"/> because its state is the connection's login state and nothing
/// else: it changes only by an ELS frame on the reader and at the connection's end, while the command path only looks
/// a login up (<see cref="FindForCommand"/>, a dictionary lookup as before). Everything here runs on the connection's
/// frame reader, like every use of the login table; a <see cref="Login"/>'s implicit logout is the one field another
/// connection's reader writes (volatile, in <see cref="Login"/>).
/// </para>
/// </remarks>
internal sealed class PortLogins
{
    private readonly TargetConnection _connection;
    private readonly ControllerFrontEnd _frontEnd;
    private readonly FrameOutbox _outbox;
    private readonly Dictionary<PortId, Login> _logins = [];
    private PortId? _initiatorId;

    /// <summary>Initializes the (empty) login state of <paramref name="connection"/>.</summary>
    /// <param name="connection">The connection whose reader calls it.</param>
    /// <param name="frontEnd">The controller's port front (its target ports, the nexuses, the options).</param>
    /// <param name="outbox">The connection's sender, for the ELS replies and the LOGO.</param>
    public PortLogins(TargetConnection connection, ControllerFrontEnd frontEnd, FrameOutbox outbox)
    {
        _connection = connection;
        _frontEnd = frontEnd;
        _outbox = outbox;
    }

    /// <summary>Gets the initiator's port ID (the S_ID of its first accepted PLOGI), or null before it.</summary>
    public PortId? InitiatorId => _initiatorId;

    /// <summary>
    /// Finds the process login a command needs: its target port logged in to with PLOGI and PRLI, not logged out
    /// implicitly since, by this connection's initiator port. Null: the command is answered with
    /// <see cref="SendLogoutToUnknownPort"/>.
    /// </summary>
    /// <param name="header">The FCP_CMND's header.</param>
    /// <returns>The login, or null.</returns>
    public Login? FindForCommand(in FcFrameHeader header)
    {
        return _logins.TryGetValue(header.DestinationId, out Login? login) && login.ProcessLoggedIn && !login.ImplicitlyLoggedOut && header.SourceId == _initiatorId ? login : null;
    }

    /// <summary>Finds the process login to a target port (PLOGI and PRLI done), or null.</summary>
    /// <param name="portId">The target port.</param>
    /// <returns>The login, or null.</returns>
    public Login? FindProcessLogin(PortId portId)
    {
        return _logins.TryGetValue(portId, out Login? login) && login.ProcessLoggedIn ? login : null;
    }

    /// <summary>Handles an extended link service request: PLOGI, PRLI, LOGO; anything else is rejected (not supported).</summary>
    /// <param name="header">The request's header.</param>
    /// <param name="payload">The request's payload.</param>
    public void OnElsRequest(in FcFrameHeader header, ReadOnlySpan<byte> payload)
    {
        byte command = payload.IsEmpty ? (byte)0 : payload[0];
        switch (command)
        {
            case ElsCommand.PortLogin:
                OnPortLogin(header, payload);
                break;
            case ElsCommand.ProcessLogin:
                OnProcessLogin(header, payload);
                break;
            case ElsCommand.Logout:
                if (_logins.Remove(header.DestinationId, out Login? loggedOut))
                {
                    _frontEnd.Nexuses.Remove(LogicalUnitReservations.Nexus(header.SourceId, header.DestinationId), loggedOut);
                    ConnectionLog.LoggedOut(_connection.Logger, _connection.Peer, header.SourceId, header.DestinationId);
                }

                SendElsReply(header, [ElsCommand.LinkServiceAccept, 0, 0, 0]);
                break;
            default:
                ConnectionLog.ElsNotSupported(_connection.Logger, _connection.Peer, command, header.SourceId);
                SendReject(header, ElsPayload.ReasonNotSupported, 0);
                break;
        }
    }

    /// <summary>
    /// FC-LS: a port that is not logged in gets an explicit LOGO for its command, telling it to log in first.
    /// </summary>
    /// <param name="header">The command's header.</param>
    public void SendLogoutToUnknownPort(in FcFrameHeader header)
    {
        ConnectionLog.CommandBeforeLogin(_connection.Logger, _connection.Peer, header.SourceId, header.DestinationId, header.OriginatorExchangeId);
        byte[] logo = new byte[ElsPayload.LogoutLength];
        ElsPayload.WriteLogout(logo, header.DestinationId, ElsPayload.PortNameFor(header.DestinationId));
        FcFrameHeader logoHeader = new()
        {
            RoutingControl = FcRoutingControl.ElsRequest,
            DestinationId = header.SourceId,
            SourceId = header.DestinationId,
            Type = FcFrameHeader.TypeEls,
            FrameControl = FcFrameControl.ElsRequest,
            OriginatorExchangeId = 0xFFFE,
            ResponderExchangeId = 0xFFFF,
        };
        _outbox.Post(new SingleFrameSource(logoHeader, logo));
    }

    /// <summary>The connection has ended: its nexuses are gone (a later PLOGI elsewhere may have replaced them already).</summary>
    public void OnConnectionEnded()
    {
        foreach (KeyValuePair<PortId, Login> login in _logins)
        {
            _frontEnd.Nexuses.Remove(LogicalUnitReservations.Nexus(_initiatorId.GetValueOrDefault(), login.Key), login.Value);
        }
    }

    private void OnPortLogin(in FcFrameHeader header, ReadOnlySpan<byte> payload)
    {
        if (!ElsPayload.TryReadPortLogin(payload, out _))
        {
            ConnectionLog.PlogiMalformed(_connection.Logger, _connection.Peer, header.SourceId, payload.Length);
            SendReject(header, ElsPayload.ReasonLogicalError, 0);
            return;
        }

        TargetPort? port = _frontEnd.FindPort(header.DestinationId);
        if (port is null)
        {
            ConnectionLog.PlogiToUnknownPort(_connection.Logger, _connection.Peer, header.SourceId, header.DestinationId);
            SendReject(header, ElsPayload.ReasonUnableToPerform, 0);
            return;
        }

        if (header.SourceId == default || (_initiatorId is PortId first && header.SourceId != first))
        {
            // Before the first login there is no initiator: printed as FFFFFFFF, as the number -1 was.
            ConnectionLog.PlogiFromSecondInitiator(_connection.Logger, _connection.Peer, header.SourceId, _initiatorId?.Value ?? uint.MaxValue);
            SendReject(header, ElsPayload.ReasonLogicalError, 0);
            return;
        }

        if (!ElsPayload.TryCheckPortLoginParameters(payload, out byte explanation, out string? invalid))
        {
            ConnectionLog.PlogiInvalid(_connection.Logger, _connection.Peer, header.SourceId, invalid ?? string.Empty);
            SendReject(header, ElsPayload.ReasonLogicalError, explanation);
            return;
        }

        _initiatorId = header.SourceId;
        Login login = new(port, header.SourceId);
        _logins[header.DestinationId] = login;
        long nexus = LogicalUnitReservations.Nexus(header.SourceId, header.DestinationId);
        if (_frontEnd.Nexuses.Add(nexus, _connection, login) is { } old)
        {
            LogOutImplicitly(nexus, header.SourceId, header.DestinationId, old);
        }

        byte[] reply = new byte[ElsPayload.PortLoginLength];
        ElsPayload.WritePortLogin(reply, ElsCommand.LinkServiceAccept, ElsPayload.PortNameFor(header.DestinationId), ElsPayload.PortNameFor(header.DestinationId) & ~0xFFFFFFUL);
        SendElsReply(header, reply);
        ConnectionLog.LoggedIn(_connection.Logger, _connection.Peer, header.SourceId, header.DestinationId);
    }

    private void OnProcessLogin(in FcFrameHeader header, ReadOnlySpan<byte> payload)
    {
        if (!_logins.TryGetValue(header.DestinationId, out Login? login) || login.ImplicitlyLoggedOut || header.SourceId != _initiatorId)
        {
            ConnectionLog.PrliBeforePlogi(_connection.Logger, _connection.Peer, header.SourceId, header.DestinationId);

            // Explanation 0x1E: N_Port login required.
            SendReject(header, ElsPayload.ReasonUnableToPerform, 0x1E);
            return;
        }

        if (!ElsPayload.TryReadProcessLogin(payload, out int parameters, out string? reason))
        {
            ConnectionLog.PrliInvalid(_connection.Logger, _connection.Peer, reason ?? string.Empty);
            SendReject(header, ElsPayload.ReasonLogicalError, 0);
            return;
        }

        login.ProcessLoggedIn = true;
        _connection.Watchdog.OnLoggedIn();
        login.FirstBurst = _frontEnd.Options.AllowFirstBurst && (parameters & ElsPayload.WriteTransferReadyDisabled) != 0;
        byte[] reply = new byte[ElsPayload.ProcessLoginLength];
        ElsPayload.WriteProcessLogin(reply, ElsCommand.LinkServiceAccept, ElsPayload.TargetFunction | ElsPayload.ReadTransferReadyDisabled | (login.FirstBurst ? ElsPayload.WriteTransferReadyDisabled : 0));
        SendElsReply(header, reply);
        ConnectionLog.ProcessLoggedIn(_connection.Logger, _connection.Peer, header.SourceId, header.DestinationId, login.FirstBurst ? "first burst" : "XFER_RDY handshake");
    }

    // FC-LS: a PLOGI from a port already logged in (here or on another connection: the same port ID, whatever its
    // port name) logs the old login out implicitly: its open exchanges are aborted and its I_T nexus is lost, which
    // releases the nexus's SPC-2 reservation (SPC-3 5.6.x; persistent reservations stay). The old connection then
    // treats the port as not logged in (a command there is answered LOGO).
    private void LogOutImplicitly(long nexus, PortId initiator, PortId target, (TargetConnection Connection, Login Login) old)
    {
        old.Login.ImplicitlyLoggedOut = true;
        int aborted = old.Connection.AbortTasks(exchange => exchange.InitiatorId == initiator && exchange.TargetId == target, null);
        _frontEnd.ReleaseReservationsOf(nexus);
        if (ReferenceEquals(old.Connection, _connection))
        {
            ConnectionLog.ImplicitLogout(_connection.Logger, _connection.Peer, initiator, target, aborted);
        }
        else
        {
            ConnectionLog.ImplicitLogoutOfOtherConnection(_connection.Logger, _connection.Peer, initiator, target, old.Connection.Peer, aborted);
        }
    }

    private void SendReject(in FcFrameHeader request, byte reason, byte explanation)
    {
        byte[] payload = new byte[ElsPayload.RejectLength];
        ElsPayload.WriteReject(payload, reason, explanation);
        SendElsReply(request, payload);
    }

    private void SendElsReply(in FcFrameHeader request, byte[] payload)
    {
        FcFrameHeader header = new()
        {
            RoutingControl = FcRoutingControl.ElsReply,
            DestinationId = request.SourceId,
            SourceId = request.DestinationId,
            Type = FcFrameHeader.TypeEls,
            FrameControl = FcFrameControl.ElsReply,
            OriginatorExchangeId = request.OriginatorExchangeId,
            ResponderExchangeId = request.OriginatorExchangeId,
        };
        _outbox.Post(new SingleFrameSource(header, payload));
    }
}
