// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Net;
using Controller.Addressing;
using Controller.Firmware;
using Controller.Firmware.Media;
using Controller.Firmware.Pairs;
using Controller.Target;

namespace Controller.Daemon.Configuration;

/// <summary>
/// A parsed and checked controllerd configuration: every reference resolves, nothing is declared twice. Made
/// only by <see cref="ControllerConfigParser"/> and immutable after that; each entry keeps the line that declared
/// it, so that errors found later (a file that will not open, a pair the table refuses) still name their line.
/// </summary>
internal sealed class ControllerConfig
{
    /// <summary>The default TCP port of the FCIP listener (the IANA port of FCIP).</summary>
    public const int DefaultFcipPort = 3225;

    private readonly IPEndPoint _listen;

    /// <summary>Initializes a configuration; the parser has checked every argument.</summary>
    /// <param name="fileName">The file as the user named it.</param>
    /// <param name="listen">The FCIP listener's address.</param>
    /// <param name="trackSizeBytes">A track size <see cref="TrackGeometry"/> supports.</param>
    /// <param name="mpCount">The MP count, 1 or more.</param>
    /// <param name="queueDepth">The per-MP queue depth, a power of two, at least 4.</param>
    /// <param name="store">Where LDEVs keep their blocks.</param>
    /// <param name="storeDirectory">The absolute directory of the file store, or null for RAM.</param>
    /// <param name="storePolicy">The file store's write policy; <see cref="WriteCachePolicy.VolatileMedium"/> for RAM.</param>
    /// <param name="storeLine">The line of the <c>store</c> setting, or 0 when defaulted.</param>
    /// <param name="ldevs">The LDEVs, in file order.</param>
    /// <param name="ports">The ports, in file order.</param>
    /// <param name="pairs">The pairs, in file order.</param>
    public ControllerConfig(
        string fileName,
        IPEndPoint listen,
        int trackSizeBytes,
        int mpCount,
        int queueDepth,
        StoreKind store,
        string? storeDirectory,
        WriteCachePolicy storePolicy,
        int storeLine,
        LdevConfig[] ldevs,
        PortConfig[] ports,
        PairConfig[] pairs)
    {
        FileName = fileName;
        _listen = new IPEndPoint(listen.Address, listen.Port);
        TrackSizeBytes = trackSizeBytes;
        MpCount = mpCount;
        QueueDepth = queueDepth;
        Store = store;
        StoreDirectory = storeDirectory;
        StorePolicy = storePolicy;
        StoreLine = storeLine;
        Ldevs = Array.AsReadOnly(ldevs);
        Ports = Array.AsReadOnly(ports);
        Pairs = Array.AsReadOnly(pairs);
    }

    /// <summary>Gets the default FCIP listener address, 127.0.0.1:3225: loopback, so nothing is exposed by accident.</summary>
    public static IPEndPoint DefaultListen => new(IPAddress.Loopback, DefaultFcipPort);

    /// <summary>Gets the file the configuration was read from, as the user named it.</summary>
    public string FileName { get; }

    /// <summary>Gets the TCP address of the one FCIP listener serving every port (a new copy each time: IPEndPoint is mutable).</summary>
    public IPEndPoint Listen => new(_listen.Address, _listen.Port);

    /// <summary>Gets the bytes per track.</summary>
    public int TrackSizeBytes { get; }

    /// <summary>Gets the track geometry of every LDEV.</summary>
    public TrackGeometry Geometry => new(TrackSizeBytes);

    /// <summary>Gets the number of MPs (workers).</summary>
    public int MpCount { get; }

    /// <summary>Gets the depth of each MP's queue.</summary>
    public int QueueDepth { get; }

    /// <summary>Gets where LDEVs keep their blocks.</summary>
    public StoreKind Store { get; }

    /// <summary>Gets the absolute directory of the file store, or null with <see cref="StoreKind.Ram"/>.</summary>
    public string? StoreDirectory { get; }

    /// <summary>
    /// Gets what an acknowledged write means on every LDEV: <see cref="WriteCachePolicy.VolatileMedium"/> for RAM,
    /// write-through (the default of <c>store file</c>) or write-back for the file store.
    /// </summary>
    public WriteCachePolicy StorePolicy { get; }

    /// <summary>Gets the line of the <c>store</c> setting, or 0 when the default was taken.</summary>
    public int StoreLine { get; }

    /// <summary>Gets the LDEVs, in file order.</summary>
    public IReadOnlyList<LdevConfig> Ldevs { get; }

    /// <summary>Gets the target ports with their LUN maps and host groups, in file order.</summary>
    public IReadOnlyList<PortConfig> Ports { get; }

    /// <summary>Gets the pairs to create at start, in file order.</summary>
    public IReadOnlyList<PairConfig> Pairs { get; }

    /// <summary>Gets the subsystem's serial number (it names the atomic splits it coordinates to its peers).</summary>
    public int Serial { get; init; } = 1;

    /// <summary>Gets the primaries' initiator ports allowed to run remote-copy commands here.</summary>
    public IReadOnlyList<PortId> RemoteCopyPeers { get; init; } = [];

    /// <summary>Gets the keys the remote-copy peers prove themselves with, by peer.</summary>
    public IReadOnlyDictionary<PortId, byte[]> RemoteCopyPeerKeys { get; init; } = new Dictionary<PortId, byte[]>();

    /// <summary>Gets the source addresses remote-copy peers must connect from, for the peers that have one.</summary>
    public IReadOnlyDictionary<PortId, IPAddress> RemoteCopyPeerAddresses { get; init; } = new Dictionary<PortId, IPAddress>();

    /// <summary>Gets this subsystem's remote-copy paths to its secondaries.</summary>
    public IReadOnlyList<RemoteCopyPathConfig> RemoteCopyPaths { get; init; } = [];

    /// <summary>Gets the file the audit trail of copy-management commands is appended to (<c>audit-log</c>), or null.</summary>
    public string? AuditLogPath { get; init; }

    /// <summary>Gets the LDEVs flagged <c>command-device</c>.</summary>
    /// <returns>Their IDs; empty when none is, and then every copy-management command is refused.</returns>
    public HashSet<LdevId> GetCommandDevices()
    {
        HashSet<LdevId> devices = [];
        foreach (LdevConfig ldev in Ldevs)
        {
            if (ldev.CommandDevice)
            {
                devices.Add(ldev.Id);
            }
        }

        return devices;
    }

    /// <summary>Gets the copy engine's rate limit per copy in bytes per second (<c>copy-rate</c>); 0 when there is none.</summary>
    public long CopyBytesPerSecond { get; init; }

    /// <summary>Gets the bounds on connections: count, queued answer bytes, timeouts (docs/controllerd.md, "Bounded resources").</summary>
    public ConnectionLimits Limits { get; init; } = ConnectionLimits.Default;

    /// <summary>Gets the subsystem sizing this configuration asks for.</summary>
    /// <returns>The options; the copy pace is the default one unless <c>copy-rate</c> limits it.</returns>
    public SubsystemOptions ToSubsystemOptions()
    {
        CopyPace pace = CopyBytesPerSecond == 0 ? CopyPace.Default : new CopyPace { BytesPerSecond = CopyBytesPerSecond };
        return new SubsystemOptions { MpCount = MpCount, QueueDepth = QueueDepth, Geometry = Geometry, Serial = Serial, CopyPace = pace };
    }

    /// <summary>Finds a declared LDEV.</summary>
    /// <param name="id">The LDEV's identity.</param>
    /// <returns>Its declaration, or null.</returns>
    public LdevConfig? FindLdev(LdevId id)
    {
        foreach (LdevConfig ldev in Ldevs)
        {
            if (ldev.Id == id)
            {
                return ldev;
            }
        }

        return null;
    }

    /// <summary>Finds a declared port.</summary>
    /// <param name="portId">The port's ID.</param>
    /// <returns>Its declaration, or null.</returns>
    public PortConfig? FindPort(PortId portId)
    {
        foreach (PortConfig port in Ports)
        {
            if (port.PortId == portId)
            {
                return port;
            }
        }

        return null;
    }

    /// <summary>Resolves a volume address to the LDEV mapped there, ignoring LUN security (configuration is not a host).</summary>
    /// <param name="address">The address.</param>
    /// <param name="ldev">The LDEV when the port is declared and the LUN mapped on it.</param>
    /// <returns>True when the address is mapped.</returns>
    public bool TryResolve(VolumeAddress address, out LdevId ldev)
    {
        PortConfig? port = FindPort(address.PortId);
        if (port is null)
        {
            ldev = default;
            return false;
        }

        return port.TryGetLdev(address.Lun, out ldev);
    }
}
