// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware;
using Controller.Firmware.Addressing;
using Controller.Firmware.Pairs;
using Controller.Firmware.RemoteCopy;
using Controller.Firmware.Scheduling;
using Controller.HostSim.Hosts;
using Controller.HostSim.Pairs;
using Controller.Target;
using Controller.Target.RemoteCopy;
using Controller.Traces;

namespace Controller.HostSim.Cluster;

/// <summary>
/// Seed 002's storage as the cluster's hosts reach it (R2-1, R2-2): SD1 (target port 0x400104) holds DV1 and PV, SD2
/// (0x421014) holds DV2 and SV, two embedded controllers joined by remote-copy links both ways (FCP exchanges over
/// in-process pipes: SD1's initiator 0x400200 to SD2's port, SD2's 0x421200 to SD1's, so a command sent to either
/// side of a pair reaches its owner), or two running controllerd processes whose configurations join them both ways
/// (docs/controllerd-ss1.conf and -ss2.conf). H1 reaches SD1 only and H2 SD2 only; a console (0x010300) on each reads
/// the pair status for the report. LUN 1 is the data volume (PV, SV), LUN 2 the determining volume (DV1, DV2).
/// </summary>
internal sealed class ClusterSite : IAsyncDisposable
{
    public const int Sd1Port = 0x400104;
    public const int Sd2Port = 0x421014;
    public const int Sd1LinkInitiator = 0x400200;
    public const int Sd2LinkInitiator = 0x421200;
    public const int H1Port = 0x010100;
    public const int H2Port = 0x010200;
    public const int ConsolePort = 0x010300;
    public const ushort DataLun = 1;
    public const ushort DeterminingLun = 2;

    private readonly StorageSubsystem? _sd1;
    private readonly StorageSubsystem? _sd2;
    private readonly HostConnections _hosts1;
    private readonly HostConnections _hosts2;

    private ClusterSite(StorageSubsystem? sd1, StorageSubsystem? sd2, HostConnections hosts1, HostConnections hosts2, FcpRemotePath? forward, FcpRemotePath? reverse, string description)
    {
        _sd1 = sd1;
        _sd2 = sd2;
        _hosts1 = hosts1;
        _hosts2 = hosts2;
        Forward = forward;
        Reverse = reverse;
        Description = description;
    }

    /// <summary>Gets the link SD1 -> SD2 (null against daemons: the link is theirs).</summary>
    public FcpRemotePath? Forward { get; }

    /// <summary>Gets the link SD2 -> SD1 (null against daemons).</summary>
    public FcpRemotePath? Reverse { get; }

    /// <summary>Gets where the storages are, for the report.</summary>
    public string Description { get; }

    /// <summary>Gets whether SD1 has failed (a site failure: its hosts and links are gone, and nothing reaches it).</summary>
    public bool Sd1Failed { get; private set; }

    /// <summary>Gets the copy pace an embedded storage's copies run at (R2-30), or null for a controllerd's.</summary>
    /// <param name="storage">1 (SD1) or 2 (SD2).</param>
    /// <returns>The pace its copy management table uses.</returns>
    public CopyPace? PaceOf(int storage) => (storage == 1 ? _sd1 : _sd2)?.Pairs.Pace;

    public static TraceVolume Dv(int host) => new(host == 1 ? Sd1Port : Sd2Port, DeterminingLun);

    public static TraceVolume Data(int host) => new(host == 1 ? Sd1Port : Sd2Port, DataLun);

    /// <summary>Two embedded subsystems joined both ways, each with the two volumes.</summary>
    /// <param name="blocks">Each volume's capacity.</param>
    /// <param name="pace">The copy pace (R2-30's copy duration).</param>
    /// <param name="latency">A one-way delay on each link's messages (R2-30's RC latency; zero for none).</param>
    /// <returns>The site, its links up.</returns>
    public static async Task<ClusterSite> EmbeddedAsync(long blocks, CopyPace pace, TimeSpan latency)
    {
        StorageSubsystem sd1 = new(RealTimeScheduler.Instance, new SubsystemOptions { Serial = 1, CopyPace = pace });
        StorageSubsystem sd2 = new(RealTimeScheduler.Instance, new SubsystemOptions { Serial = 2, CopyPace = pace });
        ControllerFrontEnd front1 = new(sd1, [Port(sd1, Sd1Port, blocks)], new TargetOptions { RemoteCopyPeers = new HashSet<PortId> { new PortId(Sd2LinkInitiator) } });
        ControllerFrontEnd front2 = new(sd2, [Port(sd2, Sd2Port, blocks)], new TargetOptions { RemoteCopyPeers = new HashSet<PortId> { new PortId(Sd1LinkInitiator) } });
        FcpRemotePath forward = new("SD1 -> SD2", new PortId(Sd1LinkInitiator), [new PortId(Sd2Port)], _ => Task.FromResult(InProcessLink.Connect(front2, "SD1 remote-copy path").Initiator));
        FcpRemotePath reverse = new("SD2 -> SD1", new PortId(Sd2LinkInitiator), [new PortId(Sd1Port)], _ => Task.FromResult(InProcessLink.Connect(front1, "SD2 remote-copy path").Initiator));
        sd1.Pairs.AddRemotePath(latency > TimeSpan.Zero ? new DelayedRemotePath(forward, latency, RealTimeScheduler.Instance) : forward);
        sd2.Pairs.AddRemotePath(latency > TimeSpan.Zero ? new DelayedRemotePath(reverse, latency, RealTimeScheduler.Instance) : reverse);
        ClusterSite site = new(sd1, sd2, HostConnections.ToFrontEnd(front1), HostConnections.ToFrontEnd(front2), forward, reverse, "two embedded subsystems joined both ways by in-process FCP remote-copy links");
        if (!await site.RestoreLinkAsync().ConfigureAwait(false))
        {
            await site.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException("the embedded remote-copy links did not come up: " + forward.LastError + " / " + reverse.LastError);
        }

        return site;
    }

    /// <summary>Two running controllerd processes, joined both ways by their configurations.</summary>
    /// <param name="sd1">SD1's FCIP listener.</param>
    /// <param name="sd2">SD2's FCIP listener.</param>
    /// <returns>The site.</returns>
    public static ClusterSite Daemons(System.Net.IPEndPoint sd1, System.Net.IPEndPoint sd2)
    {
        return new ClusterSite(null, null, HostConnections.ToRemote(sd1), HostConnections.ToRemote(sd2), null, null, "controllerd at " + sd1 + " (SD1) and " + sd2 + " (SD2)");
    }

    /// <summary>A host's connection to its own storage (H1 to SD1, H2 to SD2; R2-1: no cross paths).</summary>
    /// <param name="host">1 or 2.</param>
    /// <param name="portId">The host's initiator port ID.</param>
    /// <returns>The logged-in port and a pair client addressing the determining volume.</returns>
    public async Task<(Initiator.InitiatorPort Port, PairClient Client)> ConnectAsync(int host, int portId)
    {
        Initiator.InitiatorPort port = await (host == 1 ? _hosts1 : _hosts2).GetAsync(portId, host == 1 ? Sd1Port : Sd2Port).ConfigureAwait(false);
        return (port, new PairClient(port, Dv(host)));
    }

    /// <summary>Cuts the remote-copy link (both directions), as a failed cable or switch would.</summary>
    public async Task CutLinkAsync()
    {
        if (Forward is null)
        {
            throw new InvalidOperationException("the link of two controllerd cannot be cut from hostsim: run this scenario embedded");
        }

        await Forward.DisconnectAsync().ConfigureAwait(false);
        await Reverse!.DisconnectAsync().ConfigureAwait(false);
    }

    /// <summary>Brings the link back (not after a site failure).</summary>
    /// <returns>True when both directions logged in.</returns>
    public async Task<bool> RestoreLinkAsync()
    {
        if (Sd1Failed || Forward is null)
        {
            return Forward is null;
        }

        bool forward = await Forward.ConnectAsync().ConfigureAwait(false);
        bool reverse = await Reverse!.ConnectAsync().ConfigureAwait(false);
        return forward && reverse;
    }

    /// <summary>SD1 fails with its site: the links go, and the scenario sends it nothing more.</summary>
    public async Task FailSd1Async()
    {
        await CutLinkAsync().ConfigureAwait(false);
        Sd1Failed = true;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _hosts1.DisposeAsync().ConfigureAwait(false);
        await _hosts2.DisposeAsync().ConfigureAwait(false);
        if (Forward is not null)
        {
            await Forward.DisposeAsync().ConfigureAwait(false);
            await Reverse!.DisposeAsync().ConfigureAwait(false);
        }

        _sd1?.Dispose();
        _sd2?.Dispose();
    }

    private static TargetPort Port(StorageSubsystem subsystem, int portId, long blocks)
    {
        TargetPort port = new(new PortId((uint)portId));
        foreach (ushort lun in new[] { DataLun, DeterminingLun })
        {
            subsystem.CreateLdev(new LdevId(lun), blocks);
            port.MapLun(new Lun(lun), new LdevId(lun));
        }

        return port;
    }
}
