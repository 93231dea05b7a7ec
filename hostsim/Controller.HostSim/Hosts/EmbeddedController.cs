// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware;
using Controller.Firmware.Addressing;
using Controller.Firmware.Media;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;
using Controller.Target;
using Controller.Traces;

namespace Controller.HostSim.Hosts;

/// <summary>
/// A controller inside the hostsim process, for the commands that need no setup: one sparse RAM LDEV per volume
/// (memory follows the data written, not the capacity), or one file per volume in a store directory
/// (<see cref="EmbeddedStore"/>), the target ports the volumes name, LUN security off (every host sees every LUN), and
/// hosts connected through in-process pipes that carry the same FC frames as TCP.
/// </summary>
internal sealed class EmbeddedController : IDisposable
{
    /// <summary>The capacity of a volume unless a trace or option needs more: 1 GiB, in 512-byte blocks.</summary>
    public const long DefaultBlocks = 1L << 21;

    private readonly StorageSubsystem _subsystem;
    private readonly List<LdevId> _ldevs;

    private EmbeddedController(StorageSubsystem subsystem, ControllerFrontEnd frontEnd, List<LdevId> ldevs)
    {
        _subsystem = subsystem;
        FrontEnd = frontEnd;
        _ldevs = ldevs;
    }

    /// <summary>Gets the port front the hosts connect to.</summary>
    public ControllerFrontEnd FrontEnd { get; }

    /// <summary>Gets the storage subsystem behind it.</summary>
    public StorageSubsystem Subsystem => _subsystem;

    /// <summary>Creates a controller with the volumes given, LDEVs numbered 00:01, 00:02, ... in the order given.</summary>
    /// <param name="volumes">Each volume and its capacity in 512-byte blocks.</param>
    /// <returns>The controller.</returns>
    public static EmbeddedController Create(IEnumerable<(TraceVolume Volume, long Blocks)> volumes)
    {
        return Create(volumes, null);
    }

    /// <summary>Creates a controller with the volumes given, on RAM or in files, LDEVs numbered 00:01, 00:02, ...</summary>
    /// <param name="volumes">Each volume and its capacity in 512-byte blocks.</param>
    /// <param name="store">The file store of the volumes, or null for RAM.</param>
    /// <returns>The controller.</returns>
    /// <exception cref="IOException">A volume's file cannot be opened or created; the message names it.</exception>
    public static EmbeddedController Create(IEnumerable<(TraceVolume Volume, long Blocks)> volumes, EmbeddedStore? store)
    {
        StorageSubsystem subsystem = new(RealTimeScheduler.Instance);
        Dictionary<int, TargetPort> ports = [];
        List<LdevId> ldevs = [];
        ushort next = 1;
        foreach ((TraceVolume volume, long blocks) in volumes)
        {
            LdevId id = new(next++);
            if (store is null)
            {
                subsystem.CreateLdev(id, blocks);
            }
            else
            {
                AttachFile(subsystem, store, id, blocks);
            }

            ldevs.Add(id);
            if (!ports.TryGetValue(volume.PortId, out TargetPort? port))
            {
                port = new TargetPort(new PortId((uint)volume.PortId));
                ports[volume.PortId] = port;
            }

            port.MapLun(new Lun(volume.Lun), id);
        }

        return new EmbeddedController(subsystem, new ControllerFrontEnd(subsystem, ports.Values), ldevs) { Store = store };
    }

    /// <summary>Gets the file store of the volumes, or null when they are RAM.</summary>
    public EmbeddedStore? Store { get; private init; }

    /// <summary>Gets the syncs (fdatasync) the volumes' group commits ran so far: 0 on RAM.</summary>
    public long SyncCount
    {
        get
        {
            long syncs = 0;
            foreach (LdevId id in _ldevs)
            {
                syncs += _subsystem.FindLdev(id)!.SyncCount;
            }

            return syncs;
        }
    }

    /// <summary>Gets the bytes the volumes would hold if every block were written.</summary>
    public long CapacityBytes
    {
        get
        {
            long bytes = 0;
            foreach (LdevId id in _ldevs)
            {
                bytes += _subsystem.FindLdev(id)!.BlockCount * 512;
            }

            return bytes;
        }
    }

    /// <summary>
    /// Provisions every volume's memory now (<see cref="RamBlockStore.Provision"/>), so that a load's first writes
    /// wait on neither the allocator nor the kernel's page faults.
    /// </summary>
    /// <returns>The bytes provisioned.</returns>
    public long Provision()
    {
        long bytes = 0;
        foreach (LdevId id in _ldevs)
        {
            if (_subsystem.FindLdev(id)!.Media is RamBlockStore ram)
            {
                bytes += ram.Provision();
            }
        }

        return bytes;
    }

    private static void AttachFile(StorageSubsystem subsystem, EmbeddedStore store, LdevId id, long blocks)
    {
        FileBlockStore media;
        try
        {
            media = store.Open(id, blocks);
        }
        catch
        {
            // The LDEVs attached so far are the subsystem's: let it close them.
            subsystem.Dispose();
            throw;
        }

        try
        {
            subsystem.Attach(new Ldev(id, media, subsystem.Options.Geometry));
        }
        catch
        {
            // Not attached, so the subsystem will not dispose it.
            media.Dispose();
            subsystem.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _subsystem.Dispose();
    }
}
