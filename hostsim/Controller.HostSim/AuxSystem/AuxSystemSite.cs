// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Net;
using Controller.Addressing;
using Controller.Firmware;
using Controller.Firmware.Addressing;
using Controller.Firmware.Scheduling;
using Controller.HostSim.Hosts;
using Controller.Target;
using Controller.Target.RemoteCopy;
using Controller.Traces;

namespace Controller.HostSim.AuxSystem;

/// <summary>
/// The two subsystems of seed 000 FIG 1 as hostsim reaches them: SS1 (target port 0x400104) and SS2 (0x421014),
/// either embedded (two controllers in this process joined by a real remote-copy link of FCP exchanges over an
/// in-process pipe, SS1's initiator 0x400200 logged in to SS2's port) or two running controllerd processes (their
/// configuration joins them: docs/controllerd-ss1.conf and docs/controllerd-ss2.conf). Volumes: LUN i (1..k) is a
/// production volume (LV1 in SS1, LV2 in SS2), LUN 0x10+i its auxiliary volume (LV3, LV4; from 0x1000 past 15).
/// </summary>
internal sealed class AuxSystemSite : IAsyncDisposable
{
    public const int Ss1Port = 0x400104;
    public const int Ss2Port = 0x421014;
    public const int LinkInitiator = 0x400200;
    public const ushort AuxLunBase = 0x10;

    private readonly StorageSubsystem? _ss1;
    private readonly StorageSubsystem? _ss2;

    private AuxSystemSite(HostConnections ss1, HostConnections ss2, StorageSubsystem? embedded1, StorageSubsystem? embedded2, FcpRemotePath? link, string description)
    {
        Ss1 = ss1;
        Ss2 = ss2;
        _ss1 = embedded1;
        _ss2 = embedded2;
        Link = link;
        Description = description;
    }

    /// <summary>Gets the hosts' connections to SS1.</summary>
    public HostConnections Ss1 { get; }

    /// <summary>Gets the hosts' connections to SS2.</summary>
    public HostConnections Ss2 { get; }

    /// <summary>Gets the embedded SS1 (null against two daemons).</summary>
    public StorageSubsystem? Ss1Subsystem => _ss1;

    /// <summary>Gets the embedded remote-copy link (null against two daemons: the link is theirs).</summary>
    public FcpRemotePath? Link { get; }

    /// <summary>Gets where the subsystems are, for the report.</summary>
    public string Description { get; }

    public static TraceVolume Lv1(int i) => new(Ss1Port, ProductionLun(i));

    public static TraceVolume Lv2(int i) => new(Ss2Port, ProductionLun(i));

    public static TraceVolume Lv3(int i) => new(Ss1Port, AuxLun(i));

    public static TraceVolume Lv4(int i) => new(Ss2Port, AuxLun(i));

    // Production LUNs 0x0001-0x0010 and auxiliary LUNs 0x0011-0x001F for the first volumes (as docs/controllerd-ss1.conf
    // maps them); a larger set goes on from 0x0800 and 0x1000.
    private static ushort ProductionLun(int i) => (ushort)(i < 16 ? i + 1 : 0x800 + i);

    private static ushort AuxLun(int i) => (ushort)(i < 15 ? AuxLunBase + i + 1 : 0x1000 + i);

    /// <summary>Two embedded subsystems, each with 2k volumes, joined by a remote-copy link that is up.</summary>
    /// <param name="volumes">k, the production volumes.</param>
    /// <param name="blocks">Each volume's capacity.</param>
    /// <returns>The site.</returns>
    public static async Task<AuxSystemSite> EmbeddedAsync(int volumes, long blocks)
    {
        StorageSubsystem ss1 = new(RealTimeScheduler.Instance, new SubsystemOptions { Serial = 1 });
        StorageSubsystem ss2 = new(RealTimeScheduler.Instance, new SubsystemOptions { Serial = 2 });
        ControllerFrontEnd front1 = new(ss1, [Port(ss1, Ss1Port, volumes, blocks)]);
        ControllerFrontEnd front2 = new(ss2, [Port(ss2, Ss2Port, volumes, blocks)], new TargetOptions { RemoteCopyPeers = new HashSet<PortId> { new PortId(LinkInitiator) } });
        FcpRemotePath link = new("SS1 -> SS2", new PortId(LinkInitiator), [new PortId(Ss2Port)], _ => Task.FromResult(InProcessLink.Connect(front2, "SS1 remote-copy path").Initiator));
        ss1.Pairs.AddRemotePath(link);
        if (!await link.ConnectAsync().ConfigureAwait(false))
        {
            throw new InvalidOperationException("the embedded remote-copy link did not come up: " + link.LastError);
        }

        return new AuxSystemSite(HostConnections.ToFrontEnd(front1), HostConnections.ToFrontEnd(front2), ss1, ss2, link, "two embedded subsystems (serials 1 and 2) joined by an in-process FCP remote-copy link");
    }

    /// <summary>Two running controllerd processes.</summary>
    /// <param name="ss1">SS1's FCIP listener.</param>
    /// <param name="ss2">SS2's FCIP listener.</param>
    /// <returns>The site.</returns>
    public static AuxSystemSite Daemons(IPEndPoint ss1, IPEndPoint ss2)
    {
        return new AuxSystemSite(HostConnections.ToRemote(ss1, firstBurst: true), HostConnections.ToRemote(ss2, firstBurst: true), null, null, null, "controllerd at " + ss1 + " (SS1) and " + ss2 + " (SS2)");
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await Ss1.DisposeAsync().ConfigureAwait(false);
        await Ss2.DisposeAsync().ConfigureAwait(false);
        if (Link is not null)
        {
            await Link.DisposeAsync().ConfigureAwait(false);
        }

        _ss1?.Dispose();
        _ss2?.Dispose();
    }

    private static TargetPort Port(StorageSubsystem subsystem, int portId, int volumes, long blocks)
    {
        TargetPort port = new(new PortId((uint)portId));
        for (int i = 0; i < volumes; i++)
        {
            foreach (ushort lun in new[] { ProductionLun(i), AuxLun(i) })
            {
                subsystem.CreateLdev(new LdevId(lun), blocks);
                port.MapLun(new Lun(lun), new LdevId(lun));
            }
        }

        return port;
    }
}
