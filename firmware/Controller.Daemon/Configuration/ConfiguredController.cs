// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Daemon.Store;
using Controller.Firmware;
using Controller.Firmware.Addressing;
using Controller.Firmware.Media;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Persistence;
using Controller.Firmware.RemoteCopy;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;

namespace Controller.Daemon.Configuration;

/// <summary>
/// A controller built from a <see cref="ControllerConfig"/>: the storage subsystem with its LDEVs, the target
/// ports with their LUN maps and host groups, and the configured pairs, created and entering their initial copy.
/// With a file store it holds the store directory's lock (<see cref="StoreDirectoryLock"/>) from before the first
/// LDEV file is opened. Disposing it disposes the subsystem, and so closes every LDEV's media, then releases the lock.
/// </summary>
internal sealed class ConfiguredController : IDisposable
{
    /// <summary>The folder of the kept pair state inside a file store's directory (docs/durability.md).</summary>
    public const string StateFolder = "state";

    private readonly TargetPort[] _ports;
    private readonly PairStateKeeper? _keeper;
    private readonly StoreDirectoryLock? _storeLock;

    private ConfiguredController(ControllerConfig config, StorageSubsystem subsystem, TargetPort[] ports, PairStateKeeper? keeper, List<string> stateNotes, StoreDirectoryLock? storeLock)
    {
        Config = config;
        Subsystem = subsystem;
        _ports = ports;
        _keeper = keeper;
        StateNotes = stateNotes;
        _storeLock = storeLock;
    }

    /// <summary>Gets what the start did with the kept state, one line each for the log.</summary>
    public IReadOnlyList<string> StateNotes { get; }

    /// <summary>Gets the write-intent log of a file store's LDEVs (docs/durability.md); null with a RAM store or --check.</summary>
    public WriteIntentLog? WriteIntents => _keeper?.Intents;

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
    /// <exception cref="ConfigException">An LDEV file, the store directory or its lock file cannot be created or opened, or the Copy Management Table refuses a pair; the error names the line.</exception>
    /// <exception cref="StoreInUseException">Another process holds the store directory's lock.</exception>
    /// <param name="resetState">True to drop the kept pair state and start from the configuration's pairs (--reset-state).</param>
    /// <param name="checkOnly">True for --check: the kept state is read and checked against the configuration, never
    /// written, and no pair is created or restored (a copy would write the S-VOLs).</param>
    /// <param name="openRemotePath">Makes the path of each 'remote-copy-path' line (not started): added to the table
    /// before the kept remote pairs are restored, which follow them. Null: no paths (and a kept remote pair at its
    /// primary cannot be restored).</param>
    public static ConfiguredController Build(ControllerConfig config, IScheduler scheduler, bool resetState = false, bool checkOnly = false, Func<RemoteCopyPathConfig, IRemoteCopyPath>? openRemotePath = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(scheduler);
        StoreDirectoryLock? storeLock = config.Store == StoreKind.File ? LockStoreDirectory(config) : null;
        StorageSubsystem subsystem = new(scheduler, config.ToSubsystemOptions());
        PairStateKeeper? keeper = null;
        try
        {
            CreateLdevs(config, subsystem);
            TargetPort[] ports = CreatePorts(config);
            foreach (RemoteCopyPathConfig path in openRemotePath is null || checkOnly ? [] : config.RemoteCopyPaths)
            {
                subsystem.Pairs.AddRemotePath(openRemotePath!(path));
            }

            List<string> notes = [];
            if (config.Store == StoreKind.File && checkOnly)
            {
                CheckKeptState(config, notes);
            }
            else if (config.Store == StoreKind.File)
            {
                keeper = RestoreOrCreatePairs(config, subsystem, resetState, notes);
            }
            else
            {
                CreatePairs(config, subsystem);
                notes.Add("store ram: no pair state is kept: pairs and bitmaps are gone when controllerd stops");
            }

            return new ConfiguredController(config, subsystem, ports, keeper, notes, storeLock);
        }
        catch
        {
            keeper?.Dispose();
            subsystem.Dispose();
            storeLock?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Writes the pair state as a graceful stop leaves it (every command answered, every write landed): the next start
    /// restores every pair as it is now, bitmaps exact. Does nothing with a RAM store.
    /// </summary>
    public void KeepStateAtStop()
    {
        // No sweep may checkpoint after the graceful one: it must be the last word.
        _keeper?.Intents?.Stop();
        _keeper?.Checkpoint(Subsystem.Pairs, cleanStop: true);
    }

    // --check with a file store: the kept state is read (never written) and the configuration's pairs checked against it.
    private static void CheckKeptState(ControllerConfig config, List<string> notes)
    {
        string directory = Path.Combine(config.StoreDirectory!, StateFolder);
        if (!Directory.Exists(directory))
        {
            notes.Add("no kept pair state yet: the configuration's pairs would be created");
            return;
        }

        using ControllerStateStore store = ControllerStateStore.Open(directory);
        ControllerStateImage image;
        try
        {
            image = store.Load();
        }
        catch (InvalidDataException damage)
        {
            throw new ConfigException(config.FileName, config.StoreLine, "the kept pair state is damaged: " + damage.Message + " (controllerd --reset-state starts from the configuration's pairs, dropping the kept ones)", damage);
        }

        if (image.IsEmpty)
        {
            notes.Add("no kept pair state yet: the configuration's pairs would be created");
            return;
        }

        foreach (PairConfig pair in config.Pairs)
        {
            bool kept = false;
            foreach (PairSnapshot row in image.Pairs.Values)
            {
                kept |= row.PVol == pair.PVol && row.SVol == pair.SVol;
            }

            if (!kept)
            {
                throw new ConfigException(config.FileName, pair.Line, "pair " + pair.PVol + " " + pair.SVol + " is not in the kept state (deleted while controllerd ran?): it is not created again over the S-VOL; remove the line, or start with --reset-state to drop the kept state");
            }
        }

        notes.Add(image.Pairs.Count + " kept pairs would be restored" + (image.CleanStop ? " as the graceful stop left them" : " as after a crash"));
    }

    // With a file store the kept state wins over the configuration's pairs: restored by the restart table, never copied
    // again over an S-VOL. The configuration's pairs are only the first start's. Then a checkpoint marks the state
    // "running" (a crash from here on is not a graceful stop) and the table starts keeping its changes.
    private static PairStateKeeper RestoreOrCreatePairs(ControllerConfig config, StorageSubsystem subsystem, bool resetState, List<string> notes)
    {
        string directory = Path.Combine(config.StoreDirectory!, StateFolder);
        PairStateKeeper keeper = PairStateKeeper.Open(directory);
        try
        {
            if (resetState)
            {
                File.Delete(Path.Combine(directory, ControllerStateStore.CheckpointFile));
                File.Delete(Path.Combine(directory, ControllerStateStore.JournalFile));
                notes.Add("--reset-state: the kept pair state was dropped; the configuration's pairs are created");
            }

            ControllerStateImage image;
            try
            {
                image = keeper.Store.Load();
            }
            catch (InvalidDataException damage)
            {
                throw new ConfigException(config.FileName, config.StoreLine, "the kept pair state is damaged: " + damage.Message + " (controllerd --reset-state starts from the configuration's pairs, dropping the kept ones)", damage);
            }

            notes.AddRange(image.Notes);
            List<Ldev> ldevs = [.. config.Ldevs.Select(ldev => subsystem.FindLdev(ldev.Id)!)];
            if (image.IsEmpty)
            {
                CreatePairs(config, subsystem);
                notes.Add("no kept pair state in " + directory + ": " + config.Pairs.Count + " pairs created from the configuration");
            }
            else
            {
                // After a crash, the regions writes were in when it came: only those are marked (the write-intent log).
                Dictionary<LdevId, ulong[]?>? intents = image.CleanStop ? null : WriteIntentLog.ReadAll(directory, ldevs, notes);
                List<string> problems = keeper.RestoreInto(image, subsystem.Pairs, subsystem.FindLdev, notes, intents, peer => config.RemoteCopyPeers.Contains(new PortId((uint)peer)));
                foreach (PairConfig pair in config.Pairs)
                {
                    if (subsystem.Pairs.Find(pair.PVol, pair.SVol) is null)
                    {
                        throw new ConfigException(config.FileName, pair.Line, "pair " + pair.PVol + " " + pair.SVol + " is not in the kept state (deleted while controllerd ran?): it is not created again over the S-VOL; remove the line, or start with --reset-state to drop the kept state");
                    }
                }

                if (problems.Count > 0)
                {
                    throw new ConfigException(config.FileName, config.StoreLine, "the kept pair state does not fit the configuration: " + string.Join("; ", problems) + " (fix the configuration, or start with --reset-state to drop the kept state)");
                }

                notes.Add(subsystem.Pairs.GetPairs().Count + " pairs restored from " + directory + (image.CleanStop ? " as the graceful stop left them" : " after a crash: the write-intent regions marked, mirroring pairs with a write in flight suspended (PSUE), copies started again (docs/durability.md)"));
            }

            keeper.StartKeeping(subsystem.Pairs);

            // Only now that the marks are in the checkpoint may the intent records start empty.
            keeper.KeepWriteIntents(subsystem, ldevs);
            return keeper;
        }
        catch
        {
            keeper.Dispose();
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
    /// Makes every LDEV's completed writes durable (<see cref="IBlockDevice.Flush"/>): the last step of a stop,
    /// after the last command is answered.
    /// </summary>
    /// <returns>The LDEVs whose media failed to flush, with the status; empty when all flushed.</returns>
    public List<string> FlushMedia()
    {
        List<string> failed = [];
        foreach (LdevConfig ldev in Config.Ldevs)
        {
            if (Subsystem.FindLdev(ldev.Id) is Ldev attached && attached.Media.Flush() is MediaStatus status && status != MediaStatus.Good)
            {
                failed.Add("LDEV " + ldev.Id + ": " + status);
            }
        }

        return failed;
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

    /// <inheritdoc/>
    public void Dispose()
    {
        Subsystem.Dispose();
        _keeper?.Dispose();

        // After the LDEV files are closed: the next daemon may open them as soon as the lock is free.
        _storeLock?.Dispose();
    }

    // The directory is created, then locked before any LDEV file in it is opened.
    private static StoreDirectoryLock LockStoreDirectory(ControllerConfig config)
    {
        try
        {
            Directory.CreateDirectory(config.StoreDirectory!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(config.FileName, config.StoreLine, "cannot create the store directory '" + config.StoreDirectory + "': " + ex.Message, ex);
        }

        try
        {
            return StoreDirectoryLock.Acquire(config.StoreDirectory!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(config.FileName, config.StoreLine, "cannot lock the store directory '" + config.StoreDirectory + "' (" + StoreDirectoryLock.FileName + "): " + ex.Message, ex);
        }
    }

    private static void CreateLdevs(ControllerConfig config, StorageSubsystem subsystem)
    {
        TrackGeometry geometry = config.Geometry;
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
                port.AddHostGroup(new HostGroup(group.Name, group.Initiators, group.Luns, group.ManagedVolumes));
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
