// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware;
using Controller.Firmware.Addressing;
using Controller.Firmware.Scheduling;
using Controller.Initiator;
using Controller.Target.RemoteCopy;
using Controller.Wire.CopyManagement;
using Controller.Wire.Diagnostics;
using Controller.Wire.Pcap;

namespace Controller.Target.Tests.RemoteCopy;

/// <summary>
/// Two controllers in one process joined by a real remote-copy link (FCP exchanges over an in-process FCIP pipe):
/// SS1 has target port 0x400104 (LUNs 1-4) and remote-copy initiator 0x400200; SS2 has target port 0x421014 (LUNs
/// 1-5) and lists 0x400200 as its remote-copy peer. Every frame of the link is recorded to a pcap.
/// </summary>
internal sealed class TwoControllerRig : IAsyncDisposable
{
    public const int Ss1Port = 0x400104;
    public const int Ss2Port = 0x421014;
    public const int LinkInitiator = 0x400200;
    public const int ReverseInitiator = 0x421200;
    public const int Host = 0x010200;
    public const long Blocks = 4096;

    private readonly List<InitiatorPort> _hosts = [];
    private readonly PcapFrameTap _tap;

    /// <param name="pcapPath">Where the link's frames are recorded.</param>
    /// <param name="bothWays">Also a link from SS2's initiator 0x421200 to SS1's port (SS1 lists it as its peer): commands sent to SS2's S-VOLs reach their owner.</param>
    /// <param name="peerKey">SS2's key for its peer 0x400200 (it must authenticate), or null.</param>
    /// <param name="linkKey">The key SS1's link authenticates with, or null for none.</param>
    /// <param name="peerAddress">The source address SS2 requires of its peer, or null.</param>
    public TwoControllerRig(string pcapPath, bool bothWays = false, byte[]? peerKey = null, byte[]? linkKey = null, System.Net.IPAddress? peerAddress = null)
    {
        Ss1 = new StorageSubsystem(RealTimeScheduler.Instance, new SubsystemOptions { MpCount = 2 });
        Ss2 = new StorageSubsystem(RealTimeScheduler.Instance, new SubsystemOptions { MpCount = 2, Serial = 2 });
        TargetPort a = new(new PortId(Ss1Port));
        TargetPort b = new(new PortId(Ss2Port));
        for (ushort i = 1; i <= 5; i++)
        {
            if (i <= 4)
            {
                Ss1.CreateLdev(new LdevId(i), Blocks);
                a.MapLun(new Lun(i), new LdevId(i));
            }

            Ss2.CreateLdev(new LdevId(i), Blocks);
            b.MapLun(new Lun(i), new LdevId(i));
        }

        FrontEnd1 = new ControllerFrontEnd(Ss1, [a], bothWays ? new TargetOptions { RemoteCopyPeers = new HashSet<PortId> { new PortId(ReverseInitiator) } } : null);
        FrontEnd2 = new ControllerFrontEnd(Ss2, [b], new TargetOptions
        {
            RemoteCopyPeers = new HashSet<PortId> { new PortId(LinkInitiator) },
            RemoteCopyPeerKeys = peerKey is null ? new Dictionary<PortId, byte[]>() : new Dictionary<PortId, byte[]> { [new PortId(LinkInitiator)] = peerKey },
            RemoteCopyPeerAddresses = peerAddress is null ? new Dictionary<PortId, System.Net.IPAddress>() : new Dictionary<PortId, System.Net.IPAddress> { [new PortId(LinkInitiator)] = peerAddress },
            LoggerFactory = new LineLogger(Ss2Log.Enqueue),
        });
        _tap = PcapFrameTap.Create(pcapPath);
        Link = new FcpRemotePath("SS1->SS2", new PortId(LinkInitiator), [new PortId(Ss2Port)], _ => Task.FromResult(InProcessLink.Connect(FrontEnd2, "SS1 remote-copy path").Initiator), _tap);
        Link.Key = linkKey;
        Ss1.Pairs.AddRemotePath(Link);
        if (bothWays)
        {
            ReverseLink = new FcpRemotePath("SS2->SS1", new PortId(ReverseInitiator), [new PortId(Ss1Port)], _ => Task.FromResult(InProcessLink.Connect(FrontEnd1, "SS2 remote-copy path").Initiator), _tap);
            Ss2.Pairs.AddRemotePath(ReverseLink);
        }
    }

    /// <summary>Gets the link SS2 -> SS1, when the rig was built both ways.</summary>
    public FcpRemotePath? ReverseLink { get; }

    /// <summary>Gets what SS2's port front logged (refusals and their reasons).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Ss2Log { get; } = new();

    public StorageSubsystem Ss1 { get; }

    public StorageSubsystem Ss2 { get; }

    public ControllerFrontEnd FrontEnd1 { get; }

    public ControllerFrontEnd FrontEnd2 { get; }

    public FcpRemotePath Link { get; }

    public static WirePair Pair(ushort lun1, ushort lun2)
    {
        return new WirePair(new WireVolumeId(new PortId(Ss1Port), lun1), new WireVolumeId(new PortId(Ss2Port), lun2));
    }

    public static byte[] Write16(long lba, int blocks) => TargetRig.Write16(lba, blocks);

    public static byte[] Read16(long lba, int blocks) => TargetRig.Read16(lba, blocks);

    public static byte[] Pattern(int length, int seed) => TargetRig.Pattern(length, seed);

    /// <summary>A host logged in to one controller's port.</summary>
    public async Task<InitiatorPort> HostAsync(ControllerFrontEnd frontEnd, int port, int initiator = Host)
    {
        InitiatorPort host = new(InProcessLink.Connect(frontEnd, "host").Initiator, initiator);
        _hosts.Add(host);
        await host.LoginAsync(port, firstBurst: true);
        return host;
    }

    public static WirePair Local(int port, ushort p, ushort s)
    {
        return new WirePair(new WireVolumeId(new PortId((uint)port), p), new WireVolumeId(new PortId((uint)port), s));
    }

    public static async Task<ScsiResult> SendAsync(InitiatorPort host, int port, CopyManagementRequest request)
    {
        byte[] parameters = new byte[request.GetParameterListLength()];
        Assert.That(request.TryWrite(parameters, out _, out string? reason), Is.True, reason);
        byte[] cdb = new byte[16];
        Assert.That(request.ToCdb().TryWrite(cdb), Is.True);
        return await host.ExecuteAsync(port, 1, cdb, parameters);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (InitiatorPort host in _hosts)
        {
            await host.DisposeAsync();
        }

        await Link.DisposeAsync();
        if (ReverseLink is not null)
        {
            await ReverseLink.DisposeAsync();
        }

        _tap.Dispose();
        Ss1.Dispose();
        Ss2.Dispose();
    }
}
