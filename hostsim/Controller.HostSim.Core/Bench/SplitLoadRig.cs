// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using System.Diagnostics;
using Controller.Addressing;
using Controller.Firmware;
using Controller.Firmware.Media;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;
using Controller.HostSim.Core.Measurement;

namespace Controller.HostSim.Core.Bench;

/// <summary>
/// The split-latency bench's controller and load: an embedded controller in real time with M mirrored pairs in
/// PAIR (at least as many as load LUNs), and a closed-loop host load of 4 KiB writes at a fixed queue depth, spread
/// at random over the P-VOLs of the first L pairs (the load LUNs). Each queue slot issues its next write from the
/// last one's completion, on the MP, and times it; a write that starts while a split runs is timed separately, so
/// the bench can set host latency during splits beside the same load without them.
/// </summary>
public sealed class SplitLoadRig : IBlockCommandCompletion, IDisposable
{
    private const int BlockBytes = 4096;

    private readonly Slot[] _slots;
    private readonly Ldev[] _loadVolumes;
    private readonly long _spanSlots;
    private volatile int _phase;
    private volatile bool _splitRunning;
    private volatile bool _stopping;
    private int _active;
    private long _errors;

    /// <summary>Creates the controller, the pairs (waiting for PAIR) and the load, not yet started.</summary>
    /// <param name="members">Pairs in the split set (the first ones).</param>
    /// <param name="loadLuns">P-VOLs under load (the first ones; members or not).</param>
    /// <param name="queueDepth">Writes outstanding.</param>
    /// <param name="seed">Seed of the LUN and LBA choices.</param>
    /// <param name="mps">The controller's MPs (0: one per core).</param>
    public SplitLoadRig(int members, int loadLuns, int queueDepth, ulong seed, int mps = 0)
    {
        Subsystem = new StorageSubsystem(RealTimeScheduler.Instance, mps > 0 ? new SubsystemOptions { MpCount = mps } : null);
        int pairs = Math.Max(members, loadLuns);
        long blocks = 64L * 1024 * 1024 / TrackGeometry.BlockSize;
        _spanSlots = 16L * 1024 * 1024 / BlockBytes;
        PairAddress[] all = new PairAddress[pairs];
        _loadVolumes = new Ldev[loadLuns];
        for (int i = 0; i < pairs; i++)
        {
            Ldev pVol = Subsystem.CreateLdev(new LdevId((ushort)(1 + i)), blocks);
            Ldev sVol = Subsystem.CreateLdev(new LdevId((ushort)(0x4001 + i)), blocks);
            all[i] = new PairAddress(Address(0x400104, i + 1), Address(0x421014, i + 1));
            PairCommandResponse created = Subsystem.Pairs.Create(all[i].PVol, pVol, all[i].SVol, sVol);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException(created.Message);
            }

            if (i < loadLuns)
            {
                _loadVolumes[i] = pVol;
            }
        }

        Members = all[..members];
        AllPairs = all;
        WaitForPair(all);
        _slots = new Slot[queueDepth];
        for (int i = 0; i < queueDepth; i++)
        {
            _slots[i] = new Slot(i, new SplitMix64(seed + (ulong)i));
        }
    }

    /// <summary>What the load is doing: its writes are counted into the histogram of the phase.</summary>
    public enum LoadPhase
    {
        /// <summary>Not counted.</summary>
        Warmup = 0,

        /// <summary>Counted as the baseline: the same load without splits.</summary>
        Baseline = 1,

        /// <summary>Counted as the split phase (splits and their resyncs between).</summary>
        Splitting = 2,
    }

    /// <summary>Gets the embedded controller.</summary>
    public StorageSubsystem Subsystem { get; }

    /// <summary>Gets the pairs of the split set.</summary>
    public PairAddress[] Members { get; }

    /// <summary>Gets every pair the rig made (the split set first).</summary>
    public PairAddress[] AllPairs { get; }

    /// <summary>Gets when the last <see cref="Split"/> was issued (a <see cref="Stopwatch"/> timestamp: the monotonic clock on Linux).</summary>
    public long LastSplitStarted { get; private set; }

    /// <summary>Gets the host writes not answered Good.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Sets the phase the next writes are counted in.</summary>
    public LoadPhase Phase
    {
        set => _phase = (int)value;
    }

    /// <summary>Starts every queue slot.</summary>
    public void Start()
    {
        foreach (Slot slot in _slots)
        {
            Interlocked.Increment(ref _active);
            Issue(slot);
        }
    }

    /// <summary>Runs one atomic split of the members; returns its latency as the host saw it and its answer.</summary>
    /// <param name="mechanism">The mechanism.</param>
    /// <returns>Latency (command to answer) and the result.</returns>
    public (TimeSpan Latency, AtomicSplitResult Result) Split(AtomicSplitMechanism mechanism)
    {
        long end = 0;
        _splitRunning = true;
        long start = Stopwatch.GetTimestamp();
        LastSplitStarted = start;
        AtomicSplit split = Subsystem.Pairs.StartAtomicSplit(AtomicSplitRequest.ByList(Members, mechanism), _ => end = Stopwatch.GetTimestamp());
        if (!split.Wait(TimeSpan.FromSeconds(30)))
        {
            throw new InvalidOperationException("an atomic split of " + Members.Length + " members did not end within 30 s");
        }

        _splitRunning = false;
        return (Stopwatch.GetElapsedTime(start, Volatile.Read(ref end)), split.Result!);
    }

    /// <summary>Splits each member by a plain PAIR SPLIT, one after another (no common point): the baseline.</summary>
    /// <returns>The time for all of them.</returns>
    public TimeSpan SplitOneByOne()
    {
        long start = Stopwatch.GetTimestamp();
        foreach (PairAddress pair in Members)
        {
            Subsystem.Pairs.Execute(pair.PVol, pair.SVol, PairOperation.Split);
        }

        return Stopwatch.GetElapsedTime(start);
    }

    /// <summary>Resyncs every member and waits until all are PAIR again (between splits).</summary>
    public void ResyncMembers()
    {
        foreach (PairAddress pair in Members)
        {
            Subsystem.Pairs.Execute(pair.PVol, pair.SVol, PairOperation.Resync);
        }

        WaitForPair(Members);
    }

    /// <summary>Stops the load and waits until every slot is idle.</summary>
    public void Stop()
    {
        _stopping = true;
        SpinWait.SpinUntil(() => Volatile.Read(ref _active) == 0, TimeSpan.FromSeconds(30));
    }

    /// <summary>Merges the slots' histograms of a phase.</summary>
    /// <param name="phase">The phase.</param>
    /// <param name="duringSplitsOnly">Only the writes that started while a split ran.</param>
    /// <returns>The merged histogram.</returns>
    public LatencyHistogram Latency(LoadPhase phase, bool duringSplitsOnly = false)
    {
        LatencyHistogram merged = new();
        foreach (Slot slot in _slots)
        {
            merged.Add(duringSplitsOnly ? slot.DuringSplit : phase == LoadPhase.Baseline ? slot.Baseline : slot.Splitting);
        }

        return merged;
    }

    /// <inheritdoc/>
    public void Complete(in BlockCommand command, MediaStatus status)
    {
        Slot slot = _slots[command.Tag];
        long nanoseconds = (long)Stopwatch.GetElapsedTime(slot.Started).Ticks * 100;
        if (status != MediaStatus.Good)
        {
            Interlocked.Increment(ref _errors);
        }

        switch ((LoadPhase)_phase)
        {
            case LoadPhase.Baseline:
                slot.Baseline.Record(nanoseconds);
                break;
            case LoadPhase.Splitting:
                slot.Splitting.Record(nanoseconds);
                if (slot.StartedDuringSplit)
                {
                    slot.DuringSplit.Record(nanoseconds);
                }

                break;
            default:
                break;
        }

        if (_stopping)
        {
            Interlocked.Decrement(ref _active);
            return;
        }

        Issue(slot);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Subsystem.Dispose();
    }

    private static VolumeAddress Address(uint port, int lun)
    {
        return new VolumeAddress(new PortId(port), new Lun((ushort)lun));
    }

    private void WaitForPair(IEnumerable<PairAddress> pairs)
    {
        foreach (PairAddress pair in pairs)
        {
            if (!Subsystem.Pairs.WaitForState(pair.PVol, pair.SVol, PairState.Pair, TimeSpan.FromSeconds(60)))
            {
                throw new InvalidOperationException("pair " + pair + " did not reach PAIR within 60 s");
            }
        }
    }

    private void Issue(Slot slot)
    {
        Ldev volume = _loadVolumes[slot.Random.Next(_loadVolumes.Length)];
        long lba = (long)(slot.Random.NextUInt64() % (ulong)_spanSlots) * (BlockBytes / TrackGeometry.BlockSize);
        BinaryPrimitives.WriteInt64LittleEndian(slot.Data, lba);
        slot.StartedDuringSplit = _splitRunning;
        slot.Started = Stopwatch.GetTimestamp();
        BlockCommand write = new(BlockCommandKind.Write, volume, lba, new ArraySegment<byte>(slot.Data), this, slot.Index);
        while (!Subsystem.TrySubmit(write))
        {
            // TASK SET FULL cannot happen at this depth (the controller admits a thousand); retry if it ever does.
            Thread.SpinWait(100);
        }
    }

    // One queue slot: one write outstanding at a time, so its histograms have one writer.
    private sealed class Slot(int index, SplitMix64 random)
    {
        public int Index { get; } = index;

        public SplitMix64 Random { get; } = random;

        public byte[] Data { get; } = new byte[BlockBytes];

        public long Started { get; set; }

        public bool StartedDuringSplit { get; set; }

        public LatencyHistogram Baseline { get; } = new();

        public LatencyHistogram Splitting { get; } = new();

        public LatencyHistogram DuringSplit { get; } = new();
    }
}
