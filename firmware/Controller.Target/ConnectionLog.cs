// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Wire;
using Microsoft.Extensions.Logging;

namespace Controller.Target;

/// <summary>
/// What a connection logs (category <c>Controller.Target.TargetConnection</c>): logins, refused and discarded frames,
/// aborts and task management, closes. Source-generated <see cref="LoggerMessageAttribute"/> methods: each checks
/// <see cref="ILogger.IsEnabled"/> before it formats anything, so with logging off (the embedded controllers, a level
/// above the event's) a call costs that check and allocates nothing. Port IDs are passed as <see cref="PortId"/> and
/// exchange IDs as numbers, formatted by the template (<c>0x{Initiator:X6}</c>: a port ID formats its 24-bit value
/// with a numeric format), so a structured sink sees the values; the text is the line
/// controllerd has always printed (docs/controllerd.md, "Log"). Information: what a host did; Warning: what was refused,
/// discarded or cut off.
/// </summary>
internal static partial class ConnectionLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "{Peer}: send side closed: {Reason}")]
    public static partial void SendSideClosed(ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "{Peer}: connection closed: the controller is stopping")]
    public static partial void ClosedByStop(ILogger logger, string peer);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "{Peer}: connection closed by the initiator")]
    public static partial void ClosedByInitiator(ILogger logger, string peer);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "{Peer}: connection closed: {Reason}")]
    public static partial void Closed(ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 204, Level = LogLevel.Warning, Message = "{Peer}: discarded a frame with R_CTL 0x{RoutingControl:X2} TYPE 0x{Type:X2} from 0x{Source:X6} (not an FCP command, FCP data, ABTS or ELS request)")]
    public static partial void FrameDiscarded(ILogger logger, string peer, byte routingControl, byte type, PortId source);

    [LoggerMessage(EventId = 205, Level = LogLevel.Warning, Message = "{Peer}: reading paused: {Queued} bytes of answers queued on this connection, {QueuedOnAll} on all ({Bound} {BoundBytes}); commands are read again as the initiator takes its answers")]
    public static partial void ReadingPaused(ILogger logger, string peer, long queued, long queuedOnAll, string bound, long boundBytes);

    [LoggerMessage(EventId = 210, Level = LogLevel.Information, Message = "{Peer}: initiator 0x{Initiator:X6} logged out of port 0x{Port:X6}")]
    public static partial void LoggedOut(ILogger logger, string peer, PortId initiator, PortId port);

    [LoggerMessage(EventId = 211, Level = LogLevel.Warning, Message = "{Peer}: ELS command 0x{Command:X2} from 0x{Source:X6} is not supported: LS_RJT")]
    public static partial void ElsNotSupported(ILogger logger, string peer, byte command, PortId source);

    [LoggerMessage(EventId = 212, Level = LogLevel.Warning, Message = "{Peer}: PLOGI from 0x{Source:X6} of {Length} bytes is malformed: LS_RJT")]
    public static partial void PlogiMalformed(ILogger logger, string peer, PortId source, int length);

    [LoggerMessage(EventId = 213, Level = LogLevel.Warning, Message = "{Peer}: PLOGI from 0x{Source:X6} to 0x{Destination:X6}, which is not a port of this controller: LS_RJT")]
    public static partial void PlogiToUnknownPort(ILogger logger, string peer, PortId source, PortId destination);

    [LoggerMessage(EventId = 214, Level = LogLevel.Warning, Message = "{Peer}: PLOGI from 0x{Source:X6} on a connection of initiator 0x{Initiator:X6}: one initiator port per connection: LS_RJT")]
    public static partial void PlogiFromSecondInitiator(ILogger logger, string peer, PortId source, uint initiator);

    [LoggerMessage(EventId = 215, Level = LogLevel.Warning, Message = "{Peer}: PLOGI from 0x{Source:X6}: {Reason}: LS_RJT")]
    public static partial void PlogiInvalid(ILogger logger, string peer, PortId source, string reason);

    [LoggerMessage(EventId = 216, Level = LogLevel.Information, Message = "{Peer}: initiator 0x{Initiator:X6} logged in to port 0x{Port:X6} (PLOGI)")]
    public static partial void LoggedIn(ILogger logger, string peer, PortId initiator, PortId port);

    [LoggerMessage(EventId = 217, Level = LogLevel.Warning, Message = "{Peer}: PRLI from 0x{Source:X6} to 0x{Destination:X6} before PLOGI: LS_RJT")]
    public static partial void PrliBeforePlogi(ILogger logger, string peer, PortId source, PortId destination);

    [LoggerMessage(EventId = 218, Level = LogLevel.Warning, Message = "{Peer}: {Reason}: LS_RJT")]
    public static partial void PrliInvalid(ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 219, Level = LogLevel.Information, Message = "{Peer}: initiator 0x{Initiator:X6} opened FCP with port 0x{Port:X6} (PRLI, {DataOut})")]
    public static partial void ProcessLoggedIn(ILogger logger, string peer, PortId initiator, PortId port, string dataOut);

    [LoggerMessage(EventId = 220, Level = LogLevel.Warning, Message = "{Peer}: PLOGI from 0x{Initiator:X6} to 0x{Port:X6} while it is logged in: implicit logout of the old login, {Aborted} command(s) aborted, its SPC-2 reservations released")]
    public static partial void ImplicitLogout(ILogger logger, string peer, PortId initiator, PortId port, int aborted);

    [LoggerMessage(EventId = 221, Level = LogLevel.Warning, Message = "{Peer}: PLOGI from 0x{Initiator:X6} to 0x{Port:X6} while it is logged in on connection {OldPeer}: implicit logout of the old login, {Aborted} command(s) aborted, its SPC-2 reservations released")]
    public static partial void ImplicitLogoutOfOtherConnection(ILogger logger, string peer, PortId initiator, PortId port, string oldPeer, int aborted);

    [LoggerMessage(EventId = 222, Level = LogLevel.Information, Message = "{Peer}: FCIP Special Frame from FC Fabric Entity 0x{FabricEntity:X16}: echoed{Echo}")]
    public static partial void SpecialFrameEchoed(ILogger logger, string peer, ulong fabricEntity, string echo);

    [LoggerMessage(EventId = 230, Level = LogLevel.Warning, Message = "{Peer}: FCP_CMND from 0x{Source:X6} to 0x{Destination:X6} OX_ID 0x{OxId:X4} before PLOGI/PRLI: discarded, LOGO sent")]
    public static partial void CommandBeforeLogin(ILogger logger, string peer, PortId source, PortId destination, ushort oxId);

    [LoggerMessage(EventId = 231, Level = LogLevel.Warning, Message = "{Peer}: FCP_CMND OX_ID 0x{OxId:X4} refused (FCP_RSP RSP_CODE 02): {Reason}")]
    public static partial void CommandRefused(ILogger logger, string peer, ushort oxId, string reason);

    [LoggerMessage(EventId = 232, Level = LogLevel.Warning, Message = "{Peer}: FCP_CMND reuses OX_ID 0x{OxId:X4} of a command still outstanding: OVERLAPPED COMMANDS ATTEMPTED; {Aborted} command(s) of the I_T nexus aborted")]
    public static partial void OverlappedCommand(ILogger logger, string peer, ushort oxId, int aborted);

    [LoggerMessage(EventId = 233, Level = LogLevel.Information, Message = "{Peer}: FCP_CMND OX_ID 0x{OxId:X4} while the controller stops: NOT READY, target port unavailable (02/04/0C), as every new command from now on")]
    public static partial void CommandWhileStopping(ILogger logger, string peer, ushort oxId);

    [LoggerMessage(EventId = 234, Level = LogLevel.Warning, Message = "{Peer}: FCP_DATA OX_ID 0x{OxId:X4} from 0x{Source:X6} before its FCP_XFER_RDY was sent: discarded")]
    public static partial void DataBeforeTransferReady(ILogger logger, string peer, ushort oxId, PortId source);

    [LoggerMessage(EventId = 235, Level = LogLevel.Warning, Message = "{Peer}: FCP_DATA for unknown exchange OX_ID 0x{OxId:X4} from 0x{Source:X6}: discarded")]
    public static partial void DataForUnknownExchange(ILogger logger, string peer, ushort oxId, PortId source);

    [LoggerMessage(EventId = 236, Level = LogLevel.Warning, Message = "{Peer}: FCP_DATA OX_ID 0x{OxId:X4} at relative offset {Offset} ({Length} bytes) does not continue the {Received} bytes received of {Expected}: DATA PHASE ERROR")]
    public static partial void DataOutOfOrder(ILogger logger, string peer, ushort oxId, long offset, int length, int received, int expected);

    [LoggerMessage(EventId = 240, Level = LogLevel.Information, Message = "{Peer}: ABTS from 0x{Source:X6} for OX_ID 0x{OxId:X4}: exchange aborted, BA_ACC")]
    public static partial void ExchangeAborted(ILogger logger, string peer, PortId source, ushort oxId);

    [LoggerMessage(EventId = 241, Level = LogLevel.Warning, Message = "{Peer}: ABTS from 0x{Source:X6} for OX_ID 0x{OxId:X4} RX_ID 0x{RxId:X4}, not an open exchange of that port: BA_RJT (invalid OX_ID-RX_ID combination)")]
    public static partial void AbortOfUnknownExchange(ILogger logger, string peer, PortId source, ushort oxId, ushort rxId);

    [LoggerMessage(EventId = 242, Level = LogLevel.Information, Message = "{Peer}: {Function} from 0x{Initiator:X6} on port 0x{Port:X6}: {Units} logical unit(s) reset, {Aborted} command(s) aborted")]
    public static partial void TargetReset(ILogger logger, string peer, string function, PortId initiator, PortId port, int units, int aborted);

    [LoggerMessage(EventId = 243, Level = LogLevel.Warning, Message = "{Peer}: {Function} from 0x{Initiator:X6} is not supported (FCP_RSP RSP_CODE 04)")]
    public static partial void TaskManagementNotSupported(ILogger logger, string peer, string function, PortId initiator);

    [LoggerMessage(EventId = 244, Level = LogLevel.Warning, Message = "{Peer}: {Function} from 0x{Initiator:X6} for LUN 0x{Lun:X4}, which it has no logical unit at (FCP_RSP RSP_CODE 09)")]
    public static partial void TaskManagementNoUnit(ILogger logger, string peer, string function, PortId initiator, ushort lun);

    [LoggerMessage(EventId = 245, Level = LogLevel.Information, Message = "{Peer}: {Function} from 0x{Initiator:X6} for LUN 0x{Lun:X4} (LDEV {Ldev}): {Aborted} command(s) aborted")]
    public static partial void TaskManagementDone(ILogger logger, string peer, string function, PortId initiator, ushort lun, Controller.Addressing.LdevId ldev, int aborted);

    [LoggerMessage(EventId = 250, Level = LogLevel.Information, Message = "{Peer}: CHECK CONDITION {Sense} for 0x{Opcode:X2} OX_ID 0x{OxId:X4}: {Reason}")]
    public static partial void CheckCondition(ILogger logger, string peer, SenseData sense, byte opcode, ushort oxId, string reason);

    [LoggerMessage(EventId = 251, Level = LogLevel.Information, Message = "{Peer}: remote-copy peer 0x{Initiator:X6} authenticated (RC AUTHENTICATE) from {Address}")]
    public static partial void PeerAuthenticated(ILogger logger, string peer, PortId initiator, string address);
}
