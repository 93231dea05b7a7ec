// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Controller.Target;

/// <summary>How the port front treats initiators.</summary>
public sealed record TargetOptions
{
    /// <summary>Gets the exchanges one connection may have outstanding; one more is answered TASK SET FULL.</summary>
    public int MaxExchangesPerConnection { get; init; } = 1024;

    /// <summary>Gets the largest data transfer of one command (FCP_DL), in bytes; larger is INVALID FIELD IN CDB.</summary>
    public int MaxTransferBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>
    /// Gets a value indicating whether an initiator may negotiate first burst (PRLI "write FCP_XFER_RDY
    /// disabled"): then write data follows FCP_CMND at once, saving a round trip. FCP's default, and the
    /// initiator's, is the XFER_RDY handshake; the target only grants what the initiator asks for.
    /// </summary>
    public bool AllowFirstBurst { get; init; } = true;

    /// <summary>Gets the hold timeout of the atomic splits this port front starts (R0-25; default 5 s).</summary>
    public TimeSpan SplitHoldTimeout { get; init; } = Controller.Firmware.Pairs.AtomicSplitRequest.DefaultHoldTimeout;

    /// <summary>
    /// Gets the initiator port IDs of the primaries allowed to run remote-copy commands here (update copies, pair
    /// control): the remote-copy paths of peer subsystems. Any other initiator sending one is refused as for an
    /// unsupported operation code. Empty: this subsystem is no secondary.
    /// </summary>
    public IReadOnlySet<PortId> RemoteCopyPeers { get; init; } = new HashSet<PortId>();

    /// <summary>
    /// Gets the pre-shared keys of remote-copy peers (initiator port ID to key): a peer with a key must answer RC
    /// AUTHENTICATE's challenge on its connection before any other remote-copy command is taken there.
    /// </summary>
    public IReadOnlyDictionary<PortId, byte[]> RemoteCopyPeerKeys { get; init; } = new Dictionary<PortId, byte[]>();

    /// <summary>Gets the source addresses remote-copy peers must connect from (initiator port ID to address), where given.</summary>
    public IReadOnlyDictionary<PortId, System.Net.IPAddress> RemoteCopyPeerAddresses { get; init; } = new Dictionary<PortId, System.Net.IPAddress>();

    /// <summary>
    /// Gets the exchanges a remote-copy peer's connection may have outstanding: a primary sends every host write of its
    /// remote P-VOLs over one link, so it gets more than a host; one more is answered TASK SET FULL (which suspends the
    /// pair at the primary, never leaving it silently behind).
    /// </summary>
    public int MaxExchangesPerRemoteCopyConnection { get; init; } = 16_384;

    /// <summary>
    /// Gets the LDEVs that are command devices: only a LUN mapped to one of them takes copy-management commands (others
    /// answer 05/20/00, docs/protocol.md). Null makes every LUN a command device: for controllers built in code by test
    /// rigs and the embedded demos; controllerd always gives a set, empty when its configuration flags no LDEV.
    /// </summary>
    public IReadOnlySet<LdevId>? CommandDevices { get; init; }

    /// <summary>
    /// Gets where the port front writes its audit trail: one line per copy-management command, accepted or refused, with
    /// time, initiator, port, LUN, command, volumes and result. Null writes none (and builds no line). An audit record,
    /// not a log event: it must reach its file whatever the log level, so it is a sink of its own (controllerd's
    /// <c>AuditTrail</c> appends it to the audit file and logs it).
    /// </summary>
    public Action<string>? AuditLog { get; init; }

    /// <summary>Gets the bounds on what connections may hold: connections, queued answer bytes, timeouts (docs/controllerd.md, "Bounded resources").</summary>
    public ConnectionLimits Limits { get; init; } = ConnectionLimits.Default;

    /// <summary>Gets the clock the connection timeouts run on (a fake one in tests).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// Gets the loggers of the port front: connections, logins, refused frames and commands with the reason, the
    /// listener (categories <c>Controller.Target.TargetConnection</c>, <c>Controller.Target.FcipListener</c>). The
    /// default logs nothing, and then nothing is formatted (docs/architecture.md, "Hosting and logging").
    /// </summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;
}
