// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Collections.Concurrent;
using System.IO.Pipelines;
using Controller.Addressing;
using Controller.Firmware;
using Controller.Firmware.Addressing;
using Controller.Firmware.Volumes;
using Controller.Target.Scsi;
using Controller.Wire.Transport;
using Microsoft.Extensions.Logging;

namespace Controller.Target;

/// <summary>
/// The port front of one controller (docs/architecture.md, "The write path"): its target ports, the logical-unit state SCSI keeps
/// beside the volumes (reservations), and the connections initiators make, over TCP or in-process pipes.
/// </summary>
public sealed class ControllerFrontEnd
{
    private readonly Dictionary<PortId, TargetPort> _ports = [];
    private readonly ConcurrentDictionary<LdevId, LogicalUnitReservations> _reservations = new();

    /// <summary>Initializes the port front.</summary>
    /// <param name="subsystem">The controller behind the ports.</param>
    /// <param name="ports">The target ports, each with its LUN map and host groups.</param>
    /// <param name="options">Limits and logging; defaults when null.</param>
    public ControllerFrontEnd(StorageSubsystem subsystem, IEnumerable<TargetPort> ports, TargetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(subsystem);
        ArgumentNullException.ThrowIfNull(ports);
        Subsystem = subsystem;
        Options = options ?? new TargetOptions();
        List<TargetPort> list = [];
        foreach (TargetPort port in ports)
        {
            if (!_ports.TryAdd(port.PortId, port))
            {
                throw new ArgumentException("port " + port.PortId + " is given twice", nameof(ports));
            }

            list.Add(port);
        }

        Ports = list;
        Commands = new ScsiCommandSet(this);
        SendBudget = new SendQueueBudget(Options.Limits.SendQueueTotal);
        Buffers = new ExchangeDataBuffers(Options.MaxTransferBytes, Options.Time);
        ConnectionLogger = Options.LoggerFactory.CreateLogger<TargetConnection>();
        ListenerLogger = Options.LoggerFactory.CreateLogger<FcipListener>();
    }

    /// <summary>Gets the controller.</summary>
    public StorageSubsystem Subsystem { get; }

    /// <summary>Gets the options.</summary>
    public TargetOptions Options { get; }

    /// <summary>Gets the logger of every connection (<see cref="ConnectionLog"/>), made once for the port front.</summary>
    internal ILogger ConnectionLogger { get; }

    /// <summary>Gets the listener's logger (<see cref="ListenerLog"/>).</summary>
    internal ILogger ListenerLogger { get; }

    /// <summary>Gets the target ports, in the order given (SCSI relative port numbers count from 1 in it).</summary>
    public IReadOnlyList<TargetPort> Ports { get; }

    /// <summary>Gets the answer bytes queued for sending on all connections together (docs/controllerd.md, "Bounded resources").</summary>
    public long QueuedAnswerBytes => SendBudget.Queued;

    /// <summary>Gets the exchange data buffers rented and not yet returned (0 once every exchange has ended).</summary>
    public long DataBuffersOutstanding => Buffers.Outstanding;

    internal ScsiCommandSet Commands { get; }

    internal SendQueueBudget SendBudget { get; }

    internal ExchangeDataBuffers Buffers { get; }

    /// <summary>Gets the I_T nexuses logged in, across connections.</summary>
    internal NexusTable Nexuses { get; } = new();

    /// <summary>Gets the pending unit attention conditions.</summary>
    internal UnitAttentions UnitAttentions { get; } = new();

    /// <summary>Finds a target port by its 24-bit port ID.</summary>
    /// <param name="portId">The port ID.</param>
    /// <returns>The port, or null.</returns>
    public TargetPort? FindPort(PortId portId)
    {
        return _ports.GetValueOrDefault(portId);
    }

    /// <summary>Finds the LDEV at a volume address (port ID, LUN), whatever the host groups say.</summary>
    /// <param name="address">The address.</param>
    /// <returns>The LDEV, or null when the port or LUN is not mapped.</returns>
    public Ldev? FindVolume(VolumeAddress address)
    {
        TargetPort? port = FindPort(address.PortId);
        return port is not null && port.TryGetLdev(address.Lun, out LdevId id) ? Subsystem.FindLdev(id) : null;
    }

    /// <summary>Starts serving one connection (its frames are FCIP-encapsulated both ways).</summary>
    /// <param name="pipe">The connection's byte streams.</param>
    /// <param name="peer">The peer's name, for logs.</param>
    /// <param name="tap">Optional: sees every frame both ways (pcap recording).</param>
    /// <returns>The connection; run it with <see cref="TargetConnection.RunAsync"/>.</returns>
    public TargetConnection Accept(IDuplexPipe pipe, string peer, IFrameTap? tap = null)
    {
        ArgumentNullException.ThrowIfNull(pipe);
        return new TargetConnection(this, pipe, peer, tap);
    }

    internal LogicalUnitReservations ReservationsOf(LdevId ldev)
    {
        return _reservations.GetOrAdd(ldev, static _ => new LogicalUnitReservations());
    }

    /// <summary>Releases the SPC-2 RESERVE(6) a nexus holds on any logical unit (its I_T nexus was lost: an implicit logout).</summary>
    internal void ReleaseReservationsOf(long nexus)
    {
        foreach (KeyValuePair<LdevId, LogicalUnitReservations> entry in _reservations)
        {
            entry.Value.Release(nexus);
        }
    }

    internal int RelativePortOf(TargetPort port)
    {
        for (int i = 0; i < Ports.Count; i++)
        {
            if (ReferenceEquals(Ports[i], port))
            {
                return i + 1;
            }
        }

        return 0;
    }
}
