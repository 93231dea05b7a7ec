// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Media;
using Controller.Firmware.Pairs;
using Controller.Firmware.Persistence;
using Controller.Firmware.Queues;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;
using Controller.Firmware.WritePath;
using Microsoft.Extensions.ObjectPool;

namespace Controller.Firmware;

/// <summary>
/// One simulated storage subsystem (a controller): its MPs, the LDEVs they own, the write sequence and the Copy
/// Management Table with its copy engine. Host commands enter by <see cref="TrySubmit"/>; each runs on the MP that
/// owns its LDEV. In production mode the MPs drain on the thread pool in real time; in deterministic mode every MP
/// runs on the test's thread in a seeded order (docs/architecture.md decision 4).
/// </summary>
public sealed class StorageSubsystem : IDisposable, IWriteIntentSubsystem
{
    private readonly MpWorker<BlockCommand>[] _mps;
    // Copy-on-write: replaced whole under _lock when an LDEV is attached, read without a lock by FindLdev
    // (the port front resolves a LUN to its LDEV for every host command).
    private Dictionary<LdevId, Ldev> _ldevs = [];
    private readonly Lock _lock = new();
    private readonly HostCommandLimit _hostLimit;
    private readonly BlockCommandHandler _handler;

    /// <summary>Initializes a subsystem with no LDEVs.</summary>
    /// <param name="scheduler">Where the MPs and the copy engine run.</param>
    /// <param name="options">Sizing and pacing; null for the defaults.</param>
    public StorageSubsystem(IScheduler scheduler, SubsystemOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        options ??= new SubsystemOptions();
        Scheduler = scheduler;
        Options = options;
        // Host commands in flight are held to a quarter of one MP's ring: with at most three mirrors per
        // P-VOL, the mirror writes they cause always find room in the internal ring (HostCommandLimit).
        _hostLimit = new HostCommandLimit(options.QueueDepth / 4);
        ObjectPool<WriteFanIn> fanIns = WriteFanIn.CreatePool(options.QueueDepth, _hostLimit);
        TrackBufferPool trackBuffers = new(options.Geometry.TrackSizeBytes, 4 * options.CopyPace.TracksPerStep);
        Pairs = new CopyManagementTable(LocalMirrorTable.Instance, Sequencer, scheduler, options.CopyPace, fanIns, trackBuffers) { Serial = options.Serial, DeterminingTable = RemoteMirrorTable.ForDetermining(options.DeterminingRearmFromSuspendAbnormal, options.DeterminingSplitWhileCopying) };
        BlockCommandHandler handler = new(Sequencer, fanIns, Pairs, _hostLimit, trackBuffers.Zeros);
        _handler = handler;
        _mps = new MpWorker<BlockCommand>[options.MpCount];
        for (int i = 0; i < _mps.Length; i++)
        {
            _mps[i] = new MpWorker<BlockCommand>(options.QueueDepth, handler, scheduler);
        }

        Pairs.AttachMps(_mps, handler);
    }

    /// <summary>Gets the scheduler the MPs run on.</summary>
    public IScheduler Scheduler { get; }

    /// <summary>Gets the options.</summary>
    public SubsystemOptions Options { get; }

    /// <summary>Gets the controller-wide write sequence.</summary>
    public WriteSequencer Sequencer { get; } = new();

    /// <summary>Gets the Copy Management Table: pair commands, rows, events.</summary>
    public CopyManagementTable Pairs { get; }

    /// <summary>Gets the number of host commands admitted and not yet answered.</summary>
    public int HostCommandsInFlight => _hostLimit.InFlight;

    /// <summary>Gets the MPs.</summary>
    public IReadOnlyList<MpWorker<BlockCommand>> Mps => _mps;

    /// <summary>Creates an LDEV on RAM (sparse) and gives it to its MP.</summary>
    /// <param name="id">The LDEV's identity; its number picks the MP (number modulo MP count).</param>
    /// <param name="blockCount">The capacity in 512-byte blocks.</param>
    /// <returns>The LDEV.</returns>
    public Ldev CreateLdev(LdevId id, long blockCount)
    {
        return Attach(new Ldev(id, new RamBlockStore(blockCount, Options.Geometry), Options.Geometry));
    }

    /// <summary>Gives an LDEV (on any media) to its MP; the subsystem owns it from now on.</summary>
    /// <param name="ldev">The LDEV, with this subsystem's geometry and no owner yet.</param>
    /// <returns>The LDEV.</returns>
    public Ldev Attach(Ldev ldev)
    {
        ArgumentNullException.ThrowIfNull(ldev);
        if (ldev.Geometry.TrackSizeBytes != Options.Geometry.TrackSizeBytes)
        {
            ThrowHelper.ThrowArgument(nameof(ldev), "LDEV " + ldev.Id + " has " + ldev.Geometry.TrackSizeBytes + "-byte tracks; this subsystem uses " + Options.Geometry.TrackSizeBytes);
        }

        lock (_lock)
        {
            if (ldev.Owner is not null || _ldevs.ContainsKey(ldev.Id))
            {
                ThrowHelper.ThrowArgument(nameof(ldev), "LDEV " + ldev.Id + " is already attached");
            }

            Volatile.Write(ref _ldevs, new Dictionary<LdevId, Ldev>(_ldevs) { [ldev.Id] = ldev });

            if (ldev.Media.CachePolicy is WriteCachePolicy.WriteThrough or WriteCachePolicy.WriteBack)
            {
                // Media that can be synced: write-through answers, FUA writes and SYNCHRONIZE CACHE wait for a sync
                // shared by every answer waiting at that moment (GroupCommit), off the MP.
                ldev.Commit = new GroupCommit(ldev.Media, _handler, Scheduler, Options.QueueDepth);
            }

            ldev.Owner = _mps[ldev.Id.Value % _mps.Length];
        }

        return ldev;
    }

    /// <summary>
    /// Starts keeping an attached LDEV's write intents (docs/durability.md, "The write-intent log"): from now on a host
    /// write to it (in a pair or not: a deletion never kept brings its pair back) runs only once its regions' intent is on stable storage.
    /// </summary>
    /// <param name="ldev">An LDEV of this subsystem, with no intent log yet.</param>
    /// <param name="medium">Where the intents are kept.</param>
    /// <param name="kept">The regions already kept there (all zero for a fresh record).</param>
    /// <param name="regionsKept">Told, off the MPs, after each keep of new regions (so a sweep can be scheduled).</param>
    /// <returns>The LDEV's intent log.</returns>
    public WriteIntent KeepWriteIntents(Ldev ldev, IWriteIntentMedium medium, ReadOnlySpan<ulong> kept, Action? regionsKept = null)
    {
        ArgumentNullException.ThrowIfNull(ldev);
        ArgumentNullException.ThrowIfNull(medium);
        if (!ReferenceEquals(FindLdev(ldev.Id), ldev) || ldev.Intent is not null)
        {
            ThrowHelper.ThrowArgument(nameof(ldev), "LDEV " + ldev.Id + " is not attached here or already keeps its intents");
        }

        WriteIntent intent = new(ldev, medium, _handler, Scheduler, kept, regionsKept);
        ldev.Intent = intent;
        return intent;
    }

    /// <summary>
    /// Waits, without blocking, until every host write admitted before now has completed on every volume it reaches
    /// (mirrors and cascades included): the same barrier rounds as an atomic split's drain.
    /// </summary>
    /// <param name="drained">Called once, on an MP (or at once when there is no LDEV), when they have.</param>
    public void DrainWrites(Action drained)
    {
        ArgumentNullException.ThrowIfNull(drained);
        Ldev? any = null;
        foreach (Ldev ldev in Volatile.Read(ref _ldevs).Values)
        {
            any = ldev;
            break;
        }

        if (any is null)
        {
            drained();
            return;
        }

        new SplitDrain(_mps, any, Pairs.LongestChain() + 1, Scheduler, drained).Start();
    }

    /// <summary>Finds an LDEV by identity.</summary>
    /// <param name="id">The identity.</param>
    /// <returns>The LDEV, or null.</returns>
    public Ldev? FindLdev(LdevId id)
    {
        return Volatile.Read(ref _ldevs).GetValueOrDefault(id);
    }

    /// <summary>
    /// Queues a host read or write to the MP that owns its LDEV. Safe from any thread; never blocks.
    /// </summary>
    /// <param name="command">A <see cref="BlockCommandKind.Read"/>, <see cref="BlockCommandKind.Write"/> or <see cref="BlockCommandKind.Synchronize"/> of an attached LDEV.</param>
    /// <returns>False when the subsystem has its most host commands in flight: the target answers TASK SET FULL.</returns>
    public bool TrySubmit(in BlockCommand command)
    {
        if (command.Kind is not (BlockCommandKind.Read or BlockCommandKind.Write or BlockCommandKind.Synchronize))
        {
            ThrowHelper.ThrowArgument(nameof(command), "hosts submit reads, writes and cache syncs only, not " + command.Kind);
        }

        MpWorker<BlockCommand>? owner = command.Ldev.Owner;
        if (owner is null)
        {
            ThrowHelper.ThrowArgument(nameof(command), "LDEV " + command.Ldev.Id + " is not attached to a subsystem");
        }

        if (!_hostLimit.TryEnter())
        {
            return false;
        }

        if (owner.TrySubmit(command))
        {
            return true;
        }

        _hostLimit.Leave();
        return false;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_lock)
        {
            foreach (Ldev ldev in _ldevs.Values)
            {
                ldev.Dispose();
            }

            Volatile.Write(ref _ldevs, []);
        }
    }
}
