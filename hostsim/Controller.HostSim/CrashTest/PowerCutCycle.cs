// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware;
using Controller.Firmware.Media;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Persistence;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;

namespace Controller.HostSim.CrashTest;

/// <summary>
/// One seeded life of a <see cref="PowerCutRun"/>: an embedded controller on the deterministic scheduler whose LDEVs
/// are power-cut disks and whose state directory is a power-cut file system, driven by host writes and pair commands
/// to a seeded moment (between two scheduler steps, or inside a state-file operation), the power cut, a new controller
/// started from what survived exactly as controllerd starts (load, <see cref="PairStateKeeper.RestoreInto"/>,
/// <see cref="PairStateKeeper.StartKeeping"/>), and the checks. Only firmware runs here: host writes are block commands
/// submitted to the subsystem, and a pair command counts as answered once <see cref="CopyManagementTable.CommitState"/>
/// returned after its decision, which is when the SCSI front end sends the answer.
/// </summary>
internal sealed class PowerCutCycle : IBlockCommandCompletion
{
    private const string StateDirectory = "/store/state";
    private const string MirrorName = "power-cut";
    private static readonly PortId Port = new(0x400104);
    private static readonly TrackGeometry Geometry = TrackGeometry.Default;

    private readonly PowerCutRunOptions _options;
    private readonly PowerCutRunResult _result;
    private readonly ulong _seed;
    private readonly SplitMix64 _random;
    private readonly PowerCutFileSystem _files = new();
    private readonly IStateFileSystem _stateFiles;
    private readonly PowerCutStore[] _disks;
    private readonly PowerCutPairSlot[] _slots;
    private readonly PowerCutLedger _ledger;

    // Pair commands decided and not answered yet (each answered by the next commit that returns).
    private readonly List<(PowerCutPairSlot? Slot, bool Split, long Start)> _unanswered = [];

    // Atomic splits whose completion came (in a scheduler step) and has not been taken in yet.
    private readonly List<(AtomicSplitResult Result, long Start, HashSet<int> WasPair)> _splitsDone = [];

    private long _clock;
    private DeterministicScheduler? _scheduler;
    private StorageSubsystem? _subsystem;
    private PowerCutVolume[] _volumes = [];

    private PowerCutCycle(PowerCutRunOptions options, ulong seed, PowerCutRunResult result)
    {
        _options = options;
        _seed = seed;
        _result = result;
        _random = new SplitMix64(seed);
        _stateFiles = options.StateFiles is { } wrap ? wrap(_files) : _files;
        _disks = new PowerCutStore[2 * options.Pairs];
        for (int i = 0; i < _disks.Length; i++)
        {
            _disks[i] = new PowerCutStore(options.LdevBlocks, Geometry, options.Policy);
        }

        _slots = new PowerCutPairSlot[options.Pairs];
        for (int i = 0; i < _slots.Length; i++)
        {
            _slots[i] = new PowerCutPairSlot(i, new VolumeAddress(Port, new Lun((ushort)((2 * i) + 1))), new VolumeAddress(Port, new Lun((ushort)((2 * i) + 2))));
        }

        _ledger = new PowerCutLedger(options.Pairs, options.LdevBlocks);
    }

    /// <summary>Runs one life, cut and restart, adding its counts to a result.</summary>
    /// <param name="options">The run's options.</param>
    /// <param name="seed">This cut's seed.</param>
    /// <param name="result">Receives the counts and failures.</param>
    public static void Run(PowerCutRunOptions options, ulong seed, PowerCutRunResult result)
    {
        PowerCutCycle cycle = new(options, seed, result);
        try
        {
            cycle.LiveUntilTheCut();
            cycle.CutThePower();
            cycle.RestartAndCheck();
        }
        finally
        {
            foreach (PowerCutStore disk in cycle._disks)
            {
                disk.Dispose();
            }
        }

        result.Cuts++;
    }

    /// <inheritdoc/>
    public void Complete(in BlockCommand command, MediaStatus status)
    {
        // On the scheduler's thread, inside a step.
        _ledger.Answered(command.Tag, status == MediaStatus.Good, ++_clock);
        _result.WritesAcknowledged += status == MediaStatus.Good ? 1 : 0;
    }

    private static SubsystemOptions SubsystemOptions()
    {
        // One track per copy step: copies interleave with host writes and commands, so cuts land mid-copy.
        return new SubsystemOptions { MpCount = 2, QueueDepth = 64, Geometry = Geometry, CopyPace = new CopyPace { TracksPerStep = 1 } };
    }

    private Ldev[] Attach(StorageSubsystem subsystem)
    {
        _volumes = new PowerCutVolume[_disks.Length];
        Ldev[] ldevs = new Ldev[_disks.Length];
        for (int i = 0; i < _disks.Length; i++)
        {
            _volumes[i] = new PowerCutVolume(_disks[i]);
            ldevs[i] = subsystem.Attach(new Ldev(new LdevId((ushort)(i + 1)), _volumes[i], Geometry));
        }

        return ldevs;
    }

    // The first life: start on an empty state directory, then seeded rounds until the last one or until the power
    // goes inside a state-file operation (the armed cut).
    private void LiveUntilTheCut()
    {
        _scheduler = new DeterministicScheduler(_seed);
        _subsystem = new StorageSubsystem(_scheduler, SubsystemOptions());
        Ldev[] ldevs = Attach(_subsystem);
        int rounds = 1 + _random.Next(_options.MaxRounds);
        if (_random.Next(2) == 0)
        {
            // About ten operations per checkpoint and two per commit: a cut anywhere from the start's checkpoint on.
            _files.CutAtOperation = 1 + _random.Next(12 + (3 * rounds));
        }

        PairStateKeeper keeper = PairStateKeeper.Open(StateDirectory, _stateFiles);
        try
        {
            keeper.Store.Load();
            keeper.StartKeeping(_subsystem.Pairs);
            keeper.KeepWriteIntents(_subsystem, ldevs);
            Kept();
            for (int round = 0; round < rounds; round++)
            {
                Act(keeper, ldevs);
            }
        }
        catch (PowerCutException)
        {
            _result.CutsInsideStateFiles++;
        }
        finally
        {
            keeper.Dispose();
        }
    }

    private void Act(PairStateKeeper keeper, Ldev[] ldevs)
    {
        _clock++;
        int draw = _random.Next(20);
        if (draw < 7)
        {
            HostWrites(ldevs);
        }
        else if (draw < 12)
        {
            Steps(1 + _random.Next(40));
        }
        else if (draw < 15)
        {
            PairCommand(ldevs);
        }
        else if (draw < 16)
        {
            MirrorCommand();
        }
        else if (draw < 19)
        {
            Answer();
        }
        else
        {
            Observe();
            keeper.Checkpoint(_subsystem!.Pairs, cleanStop: false);
            Kept();
        }

        Observe();
    }

    private void HostWrites(Ldev[] ldevs)
    {
        int count = 1 + _random.Next(6);
        for (int i = 0; i < count; i++)
        {
            int volume = _random.Next(_slots.Length);
            int blocks = 1 + _random.Next(8);
            long lba = _random.Next((int)(_options.LdevBlocks - blocks + 1));
            if (_ledger.TryPlan(volume, lba, blocks, ++_clock) is not PowerCutWrite write)
            {
                continue;
            }

            byte[] data = new byte[blocks * TrackGeometry.BlockSize];
            for (int b = 0; b < blocks; b++)
            {
                PowerCutStamp.Write(data.AsSpan(b * TrackGeometry.BlockSize, TrackGeometry.BlockSize), write.Id, volume, lba + b, _seed);
            }

            if (_subsystem!.TrySubmit(new BlockCommand(BlockCommandKind.Write, ldevs[2 * volume], lba, new ArraySegment<byte>(data), this, write.Id)))
            {
                _ledger.Submitted(write);
            }
        }
    }

    private void Steps(int count)
    {
        for (int i = 0; i < count && _scheduler!.RunOne(); i++)
        {
            TakeInSplits();

            // A step may change a row on its own (a copy reaching PAIR) and a later step keep it: a write-intent
            // sweep checkpoints the table whenever its timer fires.
            Observe();
        }
    }

    // A local pair command on one couple, chosen by its state as an operator would: create, split, resync, delete.
    private void PairCommand(Ldev[] ldevs)
    {
        PowerCutPairSlot slot = _slots[_random.Next(_slots.Length)];
        CopyManagementTable table = _subsystem!.Pairs;
        MirrorPair? pair = table.Find(slot.PVol, slot.SVol);
        PairState before = pair?.State ?? PairState.Smpl;
        bool split = false;
        PairCommandResponse response;
        if (pair is null)
        {
            response = table.Create(slot.PVol, ldevs[2 * slot.Index], slot.SVol, ldevs[(2 * slot.Index) + 1]);
        }
        else if (_random.Next(8) == 0)
        {
            response = table.Execute(slot.PVol, slot.SVol, PairOperation.Delete);
        }
        else if (before is PairState.Psus or PairState.Psue)
        {
            response = table.Execute(slot.PVol, slot.SVol, PairOperation.Resync);
        }
        else
        {
            split = true;
            response = table.Execute(slot.PVol, slot.SVol, PairOperation.Split, _random.Next(2) == 0 ? SplitMode.ReadOnly : SplitMode.ReadWrite);
        }

        // Any decision may change the S-VOL (a resync copies onto it): an earlier split's image is no longer owed.
        slot.SplitImage = null;
        _unanswered.Add((slot, split && response.Succeeded && before == PairState.Pair, _clock));
    }

    // The mirror name over every pair there is, or an atomic split of its members (either mechanism).
    private void MirrorCommand()
    {
        CopyManagementTable table = _subsystem!.Pairs;
        IReadOnlyList<MirrorPair> named = table.FindByMirrorName(MirrorName);
        if (named.Count == 0 || _random.Next(3) == 0)
        {
            List<PairAddress> members = [];
            foreach (PowerCutPairSlot slot in _slots)
            {
                if (table.Find(slot.PVol, slot.SVol) is not null)
                {
                    members.Add(new PairAddress(slot.PVol, slot.SVol));
                }
            }

            if (members.Count > 0)
            {
                table.NameMirrors(MirrorName, members);
                _unanswered.Add((null, false, _clock));
            }

            return;
        }

        HashSet<int> wasPair = [];
        foreach (PowerCutPairSlot slot in _slots)
        {
            MirrorPair? pair = table.Find(slot.PVol, slot.SVol);
            if (pair?.MirrorName == MirrorName)
            {
                slot.SplitImage = null;
                if (pair.State == PairState.Pair)
                {
                    wasPair.Add(slot.Index);
                }
            }
        }

        long start = _clock;
        AtomicSplitMechanism mechanism = _random.Next(2) == 0 ? AtomicSplitMechanism.Freeze : AtomicSplitMechanism.SequenceCut;
        table.StartAtomicSplit(AtomicSplitRequest.ByName(MirrorName, mechanism, _random.Next(2) == 0 ? SplitMode.ReadOnly : SplitMode.ReadWrite), result => _splitsDone.Add((result, start, wasPair)));
        TakeInSplits();
    }

    // An atomic split's completion is its decision (the answer then waits for the commit, as the front end's does).
    private void TakeInSplits()
    {
        if (_splitsDone.Count == 0)
        {
            return;
        }

        Observe();
        foreach ((AtomicSplitResult result, long start, HashSet<int> wasPair) in _splitsDone)
        {
            if (!result.Succeeded)
            {
                _unanswered.Add((null, false, start));
                continue;
            }

            foreach (PowerCutPairSlot slot in _slots)
            {
                if (result.Members.Contains(new PairAddress(slot.PVol, slot.SVol)))
                {
                    _unanswered.Add((slot, wasPair.Contains(slot.Index), start));
                }
            }
        }

        _splitsDone.Clear();
    }

    // The commit before the answers: once it returns, every command decided before it is answered, and every row
    // is kept at least as it was when the commit began.
    private void Answer()
    {
        Observe();
        _subsystem!.Pairs.CommitState();
        Kept();
        foreach ((PowerCutPairSlot? slot, bool split, long start) in _unanswered)
        {
            _result.PairCommandsAcknowledged++;
            if (slot is not null && split)
            {
                slot.SplitImage = (start, _clock);
            }
        }

        _unanswered.Clear();
    }

    private void Observe()
    {
        if (_subsystem is null)
        {
            return;
        }

        foreach (PowerCutPairSlot slot in _slots)
        {
            slot.Observe(PowerCutRow.Of(_subsystem.Pairs.Find(slot.PVol, slot.SVol)));
        }
    }

    private void Kept()
    {
        Observe();
        foreach (PowerCutPairSlot slot in _slots)
        {
            slot.Kept();
        }
    }

    // The cut: the controller stops between two steps (or inside a state-file operation), its disks and its state
    // files lose what was not synced, and it is cut off from both.
    private void CutThePower()
    {
        foreach (PowerCutVolume volume in _volumes)
        {
            volume.Disconnect();
        }

        _result.StateChangesDamaged += _files.CutPower(_random);
        foreach (PowerCutStore disk in _disks)
        {
            _result.VolumeWritesDamaged += disk.CutPower(_random);
        }

        _subsystem!.Dispose();
        _subsystem = null;
    }

    private void RestartAndCheck()
    {
        DeterministicScheduler scheduler = new(_seed ^ 0x9E3779B97F4A7C15UL);
        using StorageSubsystem subsystem = new(scheduler, SubsystemOptions());
        Ldev[] ldevs = Attach(subsystem);
        using PairStateKeeper keeper = PairStateKeeper.Open(StateDirectory, _files);
        ControllerStateImage image;
        try
        {
            image = keeper.Store.Load();
        }
        catch (InvalidDataException damage)
        {
            Violation("the kept state cannot be loaded after the cut: " + damage.Message);
            CheckHostWrites();
            return;
        }

        // As controllerd: after a crash the write-intent regions say where a write may have been half done.
        Dictionary<LdevId, ulong[]?>? intents = image.CleanStop ? null : WriteIntentLog.ReadAll(StateDirectory, ldevs, [], _files);
        List<string> problems = keeper.RestoreInto(image, subsystem.Pairs, subsystem.FindLdev, [], intents);
        foreach (string problem in problems)
        {
            Violation("the kept state cannot be restored: " + problem);
        }

        keeper.StartKeeping(subsystem.Pairs);
        keeper.KeepWriteIntents(subsystem, ldevs);
        CheckHostWrites();
        CheckPairs(subsystem.Pairs);
        ResyncAndCompare(scheduler, subsystem.Pairs);
    }

    // Every write answered GOOD is on its P-VOL, whole, unless a later write of the same block replaced it.
    private void CheckHostWrites()
    {
        Dictionary<long, (int Checked, int Damaged)> byWrite = [];
        byte[] block = new byte[TrackGeometry.BlockSize];
        for (int volume = 0; volume < _slots.Length; volume++)
        {
            for (long lba = 0; lba < _options.LdevBlocks; lba++)
            {
                if (_ledger.LastAcknowledged(volume, lba) is not PowerCutWrite last)
                {
                    continue;
                }

                _disks[2 * volume].ReadStable(lba, block);
                long held = PowerCutStamp.Read(block, volume, lba, _seed);
                bool whole = held >= last.Id && _ledger.Writes.ContainsKey(held);
                (int done, int damaged) = byWrite.GetValueOrDefault(last.Id);
                byWrite[last.Id] = (done + 1, damaged + (whole ? 0 : 1));
                if (!whole)
                {
                    Fail("P-VOL " + _slots[volume].PVol + " block " + lba + ": write " + last.Id + " was answered GOOD; the block holds " + (held == PowerCutStamp.Damaged ? "damaged data" : held == 0 ? "zeros" : "write " + held));
                }
            }
        }

        foreach ((int done, int damaged) in byWrite.Values)
        {
            _result.WritesLost += damaged > 0 && damaged == done ? 1 : 0;
            _result.WritesTorn += damaged > 0 && damaged < done ? 1 : 0;
        }
    }

    // Every pair as the restart table allows from a value it may have been kept as; a split S-VOL keeps its image.
    private void CheckPairs(CopyManagementTable table)
    {
        foreach (PowerCutPairSlot slot in _slots)
        {
            MirrorPair? pair = table.Find(slot.PVol, slot.SVol);
            PowerCutRow restored = PowerCutRow.Of(pair);
            if (!restored.Exists && !slot.Allows(PowerCutRow.Absent))
            {
                Violation("pair " + slot.PVol + " -> " + slot.SVol + " is gone after the restart; it may have been kept as: " + slot.DescribeAllowed());
                continue;
            }

            if (!restored.Exists)
            {
                continue;
            }

            _result.PairsChecked++;
            if (!slot.Allows(restored))
            {
                Violation("pair " + slot.PVol + " -> " + slot.SVol + " came back as " + restored + "; the restart table allows that from none of what it may have been kept as: " + slot.DescribeAllowed());
            }

            if (slot.SplitImage is (long start, long answer) && restored.State == PairState.Psus)
            {
                CheckSplitImage(slot, start, answer);
            }
        }
    }

    // Each block of the S-VOL holds what the P-VOL held at the split: at least the write answered before the split
    // command, at most one submitted before its answer.
    private void CheckSplitImage(PowerCutPairSlot slot, long start, long answer)
    {
        _result.SplitImagesChecked++;
        byte[] block = new byte[TrackGeometry.BlockSize];
        for (long lba = 0; lba < _options.LdevBlocks; lba++)
        {
            _disks[(2 * slot.Index) + 1].ReadStable(lba, block);
            long held = PowerCutStamp.Read(block, slot.Index, lba, _seed);
            long floor = _ledger.LastAcknowledged(slot.Index, lba, start)?.Id ?? 0;
            bool allowed = held == 0 ? floor == 0 : held >= floor && _ledger.Writes.TryGetValue(held, out PowerCutWrite? write) && write.Submitted < answer && write.Lba <= lba && lba < write.Lba + write.Blocks;
            if (!allowed)
            {
                _result.Mismatches++;
                Fail("split S-VOL " + slot.SVol + " block " + lba + " holds " + (held == PowerCutStamp.Damaged ? "damaged data" : "write " + held) + "; its image at the split holds write " + floor + " or a later one submitted before the split's answer");
            }
        }
    }

    // Every pair resynced (or its copy run to the end), then S equals P block for block.
    private void ResyncAndCompare(DeterministicScheduler scheduler, CopyManagementTable table)
    {
        foreach (PowerCutPairSlot slot in _slots)
        {
            if (table.Find(slot.PVol, slot.SVol) is MirrorPair pair && pair.State is PairState.Psus or PairState.Psue)
            {
                PairCommandResponse response = table.Execute(slot.PVol, slot.SVol, PairOperation.Resync);
                if (!response.Succeeded)
                {
                    Violation("pair " + slot.PVol + " -> " + slot.SVol + ": the resync after the restart was refused: " + response.Message);
                }
            }
        }

        scheduler.RunUntilIdle();
        byte[] p = new byte[TrackGeometry.BlockSize];
        byte[] s = new byte[TrackGeometry.BlockSize];
        foreach (PowerCutPairSlot slot in _slots)
        {
            if (table.Find(slot.PVol, slot.SVol) is not MirrorPair pair)
            {
                continue;
            }

            if (pair.State != PairState.Pair)
            {
                Violation("pair " + slot.PVol + " -> " + slot.SVol + " is " + PairStateNames.Of(pair.State) + " after its resync, not PAIR");
                continue;
            }

            long differ = 0;
            for (long lba = 0; lba < _options.LdevBlocks; lba++)
            {
                _disks[2 * slot.Index].Read(lba, p);
                _disks[(2 * slot.Index) + 1].Read(lba, s);
                differ += p.AsSpan().SequenceEqual(s) ? 0 : 1;
            }

            if (differ > 0)
            {
                _result.Mismatches += differ;
                Fail("pair " + slot.PVol + " -> " + slot.SVol + ": " + differ + " blocks of the S-VOL differ from the P-VOL after the resync");
            }
        }
    }

    private void Violation(string message)
    {
        _result.StateViolations++;
        Fail(message);
    }

    private void Fail(string message)
    {
        if (_result.Failures.Count < _options.MaxFailureMessages)
        {
            _result.Failures.Add("seed " + _seed + ": " + message);
        }
    }
}
