// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware;
using Controller.Firmware.Addressing;
using Controller.Firmware.Media;
using Controller.Firmware.Pairs;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;

namespace Controller.Daemon.Configuration;

/// <summary>
/// A controller built from a <see cref="ControllerConfig"/>: the storage subsystem with its LDEVs, the target
/// ports with their LUN maps and host groups, and the configured pairs, created and entering their initial copy.
/// Disposing it disposes the subsystem and so closes every LDEV's media.
/// </summary>
internal sealed class ConfiguredController : IDisposable
{
    private readonly TargetPort[] _ports;

    private ConfiguredController(ControllerConfig config, StorageSubsystem subsystem, TargetPort[] ports)
    {
        Config = config;
        Subsystem = subsystem;
        _ports = ports;
    }

    /// <summary>Gets the configuration the controller was built from.</summary>
    public ControllerConfig Config { get; }

    /// <summary>Gets the storage subsystem.</summary>
    public StorageSubsystem Subsystem { get; }

    /// <summary>Gets the target ports, in file order.</summary>
    public IReadOnlyList<TargetPort> Ports => _ports;

    /// <summary>Builds a controller. On any failure everything created so far is disposed again.</summary>
    /// <param name="config">The configuration.</param>
    /// <param name="scheduler">Where the MPs and the copy engine run: <see cref="RealTimeScheduler.Instance"/> in the daemon, a <see cref="DeterministicScheduler"/> in tests.</param>
    /// <returns>The controller.</returns>
    /// <exception cref="ConfigException">An LDEV file or the store directory cannot be created or opened, or the Copy Management Table refuses a pair; the error names the line.</exception>
    public static ConfiguredController Build(ControllerConfig config, IScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(scheduler);
        StorageSubsystem subsystem = new(scheduler, config.ToSubsystemOptions());
        try
        {
            CreateLdevs(config, subsystem);
            TargetPort[] ports = CreatePorts(config);
            CreatePairs(config, subsystem);
            return new ConfiguredController(config, subsystem, ports);
        }
        catch
        {
            subsystem.Dispose();
            throw;
        }
    }

    /// <summary>Gets the name of an LDEV's file in the file store, e.g. "ldev-00-01.img" (no ':' so that it is a valid name everywhere).</summary>
    /// <param name="id">The LDEV.</param>
    /// <returns>The file name.</returns>
    public static string LdevFileName(LdevId id)
    {
        return "ldev-" + id.ToString().Replace(':', '-') + ".img";
    }

    /// <summary>Finds a target port.</summary>
    /// <param name="portId">The port's ID.</param>
    /// <returns>The port, or null.</returns>
    public TargetPort? FindPort(PortId portId)
    {
        foreach (TargetPort port in _ports)
        {
            if (port.PortId == portId)
            {
                return port;
            }
        }

        return null;
    }

    /// <summary>
    /// Describes the store for the start-up log: where the blocks are and what survives a process kill and a power
    /// cut, so that nobody mistakes a RAM controller for one that keeps data.
    /// </summary>
    /// <returns>One line.</returns>
    public string DescribeStore()
    {
        return Config.StorePolicy switch
        {
            WriteCachePolicy.WriteThrough => "store: file " + Config.StoreDirectory + ", write-through: every acknowledged write is on stable storage (fdatasync before GOOD, grouped across commands); MODE SENSE reports WCE 0",
            WriteCachePolicy.WriteBack => "store: file " + Config.StoreDirectory + ", write-back: acknowledged writes survive a process kill, not a power cut, until SYNCHRONIZE CACHE, a FUA write or a clean stop syncs them; MODE SENSE reports WCE 1",
            _ => "store: RAM: the " + Config.Ldevs.Count + " LDEVs lose everything when controllerd exits (use 'store file DIRECTORY' to keep data)",
        };
    }

    /// <summary>Syncs every LDEV's media (a clean stop: nothing acknowledged stays only in the page cache).</summary>
    /// <returns>The LDEVs whose sync failed, with the reason; empty when all are durable.</returns>
    public IReadOnlyList<string> SyncStores()
    {
        List<string> failures = [];
        foreach (LdevConfig declared in Config.Ldevs)
        {
            if (Subsystem.FindLdev(declared.Id) is Ldev ldev)
            {
                MediaStatus status = ldev.Media.Flush();
                if (status != MediaStatus.Good)
                {
                    failures.Add("LDEV " + ldev.Id + ": " + status);
                }
            }
        }

        return failures;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Subsystem.Dispose();
    }

    private static void CreateLdevs(ControllerConfig config, StorageSubsystem subsystem)
    {
        TrackGeometry geometry = config.Geometry;
        if (config.Store == StoreKind.File)
        {
            try
            {
                Directory.CreateDirectory(config.StoreDirectory!);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new ConfigException(config.FileName, config.StoreLine, "cannot create the store directory '" + config.StoreDirectory + "': " + ex.Message, ex);
            }
        }

        foreach (LdevConfig ldev in config.Ldevs)
        {
            IBlockDevice media = config.Store == StoreKind.File
                ? OpenOrCreateFile(config, ldev)
                : new RamBlockStore(ldev.BlockCount, geometry);
            try
            {
                subsystem.Attach(new Ldev(ldev.Id, media, geometry));
            }
            catch
            {
                // Not attached, so the subsystem will not dispose it.
                media.Dispose();
                throw;
            }
        }
    }

    private static FileBlockStore OpenOrCreateFile(ControllerConfig config, LdevConfig ldev)
    {
        string path = Path.Combine(config.StoreDirectory!, LdevFileName(ldev.Id));
        try
        {
            // An existing file is this LDEV's data from an earlier run: keep it. FileBlockStore.Open refuses a
            // file holding more bytes than the configured size, so shrinking an LDEV below its data is caught.
            return File.Exists(path) ? FileBlockStore.Open(path, ldev.BlockCount, config.StorePolicy) : FileBlockStore.Create(path, ldev.BlockCount, config.StorePolicy);
        }
        catch (IOException ex)
        {
            throw new ConfigException(config.FileName, ldev.Line, "LDEV " + ldev.Id + ": " + ex.Message, ex);
        }
    }

    private static TargetPort[] CreatePorts(ControllerConfig config)
    {
        TargetPort[] ports = new TargetPort[config.Ports.Count];
        for (int i = 0; i < ports.Length; i++)
        {
            PortConfig portConfig = config.Ports[i];
            TargetPort port = new(portConfig.PortId);
            foreach (LunMapping mapping in portConfig.Luns)
            {
                port.MapLun(mapping.Lun, mapping.Ldev);
            }

            foreach (HostGroupConfig group in portConfig.HostGroups)
            {
                port.AddHostGroup(new HostGroup(group.Name, group.Initiators, group.Luns));
            }

            // Groups are added before security is turned on; no host sees anything until the port is complete anyway
            // (nothing listens yet), but this order is the one that is never wrong.
            port.SetLunSecurity(portConfig.LunSecurity);
            ports[i] = port;
        }

        return ports;
    }

    private static void CreatePairs(ControllerConfig config, StorageSubsystem subsystem)
    {
        foreach (PairConfig pair in config.Pairs)
        {
            // The parser has checked that both addresses are mapped to declared LDEVs, all of them now attached.
            Ldev pVol = Resolve(config, subsystem, pair.PVol);
            Ldev sVol = Resolve(config, subsystem, pair.SVol);
            PairCommandResponse response = subsystem.Pairs.Create(pair.PVol, pVol, pair.SVol, sVol);
            if (!response.Succeeded)
            {
                // The table's message names the pair, the state and the error code; a size mismatch also gets the
                // sizes, since the fix is in two 'ldev' lines the message would not otherwise point to.
                string sizes = response.Error == PairErrorCode.CapacityMismatch
                    ? " (P-VOL LDEV " + pVol.Id + " has " + pVol.BlockCount + " blocks, S-VOL LDEV " + sVol.Id + " has " + sVol.BlockCount + ")"
                    : string.Empty;
                throw new ConfigException(config.FileName, pair.Line, "pair refused: " + response.Message + sizes);
            }
        }
    }

    private static Ldev Resolve(ControllerConfig config, StorageSubsystem subsystem, VolumeAddress address)
    {
        if (!config.TryResolve(address, out LdevId id) || subsystem.FindLdev(id) is not Ldev ldev)
        {
            throw new InvalidOperationException("volume " + address + " is not mapped to an attached LDEV; the parser should have refused it");
        }

        return ldev;
    }
}
