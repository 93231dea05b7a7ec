// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Microsoft.Extensions.Logging;

namespace Controller.Target;

/// <summary>
/// What the FCIP listener logs (category <c>Controller.Target.FcipListener</c>): accepted and refused connections, a
/// failed connection, the start of a stop. Source-generated like <see cref="ConnectionLog"/>: nothing is formatted
/// while the level is off.
/// </summary>
internal static partial class ListenerLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "{Peer}: connected")]
    public static partial void Connected(ILogger logger, string peer);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "{Peer}: connection refused: {Open} connections are open, the most allowed (max-connections {Limit})")]
    public static partial void ConnectionRefused(ILogger logger, string peer, int open, int limit);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "{Peer}: connection failed: {Reason}")]
    public static partial void ConnectionFailed(ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "stop: {InFlight} commands in flight on {Connections} connections; new commands are refused from now on")]
    public static partial void StopBegun(ILogger logger, int inFlight, int connections);
}
