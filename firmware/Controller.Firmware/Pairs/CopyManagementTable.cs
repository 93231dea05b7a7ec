// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Addressing;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Pairs;

/// <summary>
/// The Copy Management Table of one controller (seed 000 FIG 6, R0-4): a row per pair, queryable by volume
/// address, and the only place pair state changes. Every command is decided by the
/// <see cref="PairCommandTable"/>; every decision, accepted or not, goes to the event log with the time and the
/// write sequence number. Control plane: one lock, never taken by the host write path.
/// </summary>
public sealed class CopyManagementTable
{
    /// <summary>The most local mirrors one P-VOL may have (mirror units 0-2).</summary>
    public const int MaxLocalMirrorsPerPVol = 3;

    private readonly Lock _lock = new();
    private readonly List<MirrorPair> _pairs = [];
    private readonly List<PairEvent> _events = [];
    private readonly PairCommandTable _table;
    private readonly WriteSequencer _sequencer;
    private readonly TimeProvider _time;
    private int _nextEntryId = 1;

    /// <summary>Initializes an empty table.</summary>
    /// <param name="table">The command table that decides every command (the local-mirror table here).</param>
    /// <param name="sequencer">The controller's write sequence, stamped on events and split points.</param>
    /// <param name="time">The controller's clock (the scheduler's).</param>
    public CopyManagementTable(PairCommandTable table, WriteSequencer sequencer, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(sequencer);
        ArgumentNullException.ThrowIfNull(time);
        _table = table;
        _sequencer = sequencer;
        _time = time;
    }

    /// <summary>
    /// Creates a local pair (paircreate). On volumes that already form a pair the table decides (a no-op in
    /// COPY or PAIR, rejected when suspended); otherwise the volumes are checked, a row is added and the pair
    /// enters COPY for its initial copy.
    /// </summary>
    /// <param name="pVolAddress">The P-VOL's address.</param>
    /// <param name="pVol">The P-VOL.</param>
    /// <param name="sVolAddress">The S-VOL's address.</param>
    /// <param name="sVol">The S-VOL.</param>
    /// <returns>The answer.</returns>
    public PairCommandResponse Create(VolumeAddress pVolAddress, Ldev pVol, VolumeAddress sVolAddress, Ldev sVol)
    {
        ArgumentNullException.ThrowIfNull(pVol);
        ArgumentNullException.ThrowIfNull(sVol);
        lock (_lock)
        {
            MirrorPair? existing = FindUnsynchronized(pVolAddress, sVolAddress);
            if (existing is not null)
            {
                return ApplyUnsynchronized(existing, PairOperation.Create, SplitMode.ReadOnly);
            }

            PairErrorCode error = CheckNewPairUnsynchronized(pVolAddress, pVol, sVolAddress, sVol, out int mirrorUnit);
            if (error != PairErrorCode.None)
            {
                return Refuse(pVolAddress, sVolAddress, PairOperation.Create, error);
            }

            MirrorPair pair = new(_nextEntryId++, pVolAddress, pVol, sVolAddress, sVol, mirrorUnit, MirrorType.Local);
            _pairs.Add(pair);
            return ApplyUnsynchronized(pair, PairOperation.Create, SplitMode.ReadOnly);
        }
    }

    /// <summary>Runs a command on the pair of two volumes, as the command table decides.</summary>
    /// <param name="pVolAddress">The P-VOL's address.</param>
    /// <param name="sVolAddress">The S-VOL's address.</param>
    /// <param name="operation">The command (use <see cref="Create"/> to create).</param>
    /// <param name="splitMode">For a split: whether the S-VOL becomes read/write.</param>
    /// <returns>The answer; with no such pair, the table's SMPL row decides (delete is a no-op, the rest NotPaired).</returns>
    public PairCommandResponse Execute(VolumeAddress pVolAddress, VolumeAddress sVolAddress, PairOperation operation, SplitMode splitMode = SplitMode.ReadOnly)
    {
        if (operation == PairOperation.Create)
        {
            ThrowHelper.ThrowArgument(nameof(operation), "create needs the LDEVs: call Create");
        }

        lock (_lock)
        {
            MirrorPair? pair = FindUnsynchronized(pVolAddress, sVolAddress);
            if (pair is null)
            {
                TransitionRule rule = _table.Lookup(PairState.Smpl, operation);
                return rule.Result == CommandResult.NoOp
                    ? Answer(pVolAddress, sVolAddress, 0, operation, rule, PairState.Smpl)
                    : Refuse(pVolAddress, sVolAddress, operation, rule.Error);
            }

            return ApplyUnsynchronized(pair, operation, splitMode);
        }
    }

    /// <summary>Finds the pair of two volumes.</summary>
    /// <param name="pVolAddress">The P-VOL's address.</param>
    /// <param name="sVolAddress">The S-VOL's address.</param>
    /// <returns>The pair, or null.</returns>
    public MirrorPair? Find(VolumeAddress pVolAddress, VolumeAddress sVolAddress)
    {
        lock (_lock)
        {
            return FindUnsynchronized(pVolAddress, sVolAddress);
        }
    }

    /// <summary>Lists the pairs a volume takes part in, in either role.</summary>
    /// <param name="volume">The volume's address.</param>
    /// <returns>The pairs, in entry order.</returns>
    public IReadOnlyList<MirrorPair> FindByVolume(VolumeAddress volume)
    {
        lock (_lock)
        {
            List<MirrorPair> found = [];
            foreach (MirrorPair pair in _pairs)
            {
                if (pair.PVolAddress == volume || pair.SVolAddress == volume)
                {
                    found.Add(pair);
                }
            }

            return found;
        }
    }

    /// <summary>Lists every pair, in entry order.</summary>
    /// <returns>A copy of the rows.</returns>
    public IReadOnlyList<MirrorPair> GetPairs()
    {
        lock (_lock)
        {
            return _pairs.ToArray();
        }
    }

    /// <summary>Lists the event log, oldest first.</summary>
    /// <returns>A copy of the events.</returns>
    public IReadOnlyList<PairEvent> GetEvents()
    {
        lock (_lock)
        {
            return _events.ToArray();
        }
    }

    private PairErrorCode CheckNewPairUnsynchronized(VolumeAddress pVolAddress, Ldev pVol, VolumeAddress sVolAddress, Ldev sVol, out int mirrorUnit)
    {
        mirrorUnit = -1;
        if (pVolAddress == sVolAddress || ReferenceEquals(pVol, sVol))
        {
            return PairErrorCode.SameVolume;
        }

        if (pVol.BlockCount != sVol.BlockCount)
        {
            return PairErrorCode.CapacityMismatch;
        }

        // Mirror units of this P-VOL in use; an S-VOL may have one pair only. (A volume may still be the S-VOL
        // of one pair and the P-VOL of another: a cascade.)
        bool[] unitInUse = new bool[MaxLocalMirrorsPerPVol];
        foreach (MirrorPair pair in _pairs)
        {
            if (pair.SVolAddress == sVolAddress)
            {
                return PairErrorCode.SVolInUse;
            }

            if (pair.PVolAddress == pVolAddress)
            {
                unitInUse[pair.MirrorUnit] = true;
            }
        }

        mirrorUnit = Array.IndexOf(unitInUse, false);
        return mirrorUnit < 0 ? PairErrorCode.MirrorUnitsExhausted : PairErrorCode.None;
    }

    private PairCommandResponse ApplyUnsynchronized(MirrorPair pair, PairOperation operation, SplitMode splitMode)
    {
        PairState from = pair.State;
        TransitionRule rule = _table.Lookup(from, operation);
        if (rule.Result == CommandResult.Accepted)
        {
            switch (operation)
            {
                case PairOperation.Create:
                    pair.StartFullCopy(CopyDirection.PVolToSVol);
                    break;
                case PairOperation.Resync when from == PairState.Psue:
                    // PSUE keeps no valid differential: the resync copies everything (vendor T2 note).
                    pair.StartFullCopy(CopyDirection.PVolToSVol);
                    break;
                case PairOperation.Resync:
                    pair.StartDifferentialCopy(CopyDirection.PVolToSVol);
                    break;
                case PairOperation.Restore:
                    pair.StartDifferentialCopy(CopyDirection.SVolToPVol);
                    break;
                case PairOperation.SuspendByError:
                    pair.CancelCopy();
                    break;
                case PairOperation.Split:
                    // The split point: writes numbered up to here are in the S-VOL image (issue #5 makes the cut
                    // exact under concurrent writes); later ones only mark the bitmaps.
                    pair.SplitMode = splitMode;
                    pair.SplitSequence = _sequencer.Current;
                    pair.SplitTime = _time.GetUtcNow();
                    break;
                case PairOperation.SwapResync:
                    // Roles first, then a differential copy from the new P-VOL.
                    pair.SwapRoles();
                    pair.StartDifferentialCopy(CopyDirection.PVolToSVol);
                    break;
                case PairOperation.Delete:
                    pair.CancelCopy();
                    _pairs.Remove(pair);
                    break;
                default:
                    break;
            }

            pair.State = rule.NextState;
        }

        return Answer(pair.PVolAddress, pair.SVolAddress, pair.EntryId, operation, rule, from);
    }

    private PairCommandResponse Answer(VolumeAddress pVol, VolumeAddress sVol, int entryId, PairOperation operation, TransitionRule rule, PairState from)
    {
        PairState to = rule.Result == CommandResult.Accepted ? rule.NextState : from;
        _events.Add(new PairEvent(_time.GetUtcNow(), _sequencer.Current, entryId, pVol, sVol, operation, rule.Result, from, to, rule.Error));
        string verdict = rule.Result switch
        {
            CommandResult.Accepted => "accepted -> " + PairStateNames.Of(to),
            CommandResult.NoOp => "no-op",
            _ => "rejected: " + rule.Error,
        };
        string message = pVol + " -> " + sVol + ": " + PairStateNames.Of(from) + " x " + operation + " " + verdict;
        return new PairCommandResponse(rule.Result, to, rule.Error, message);
    }

    private PairCommandResponse Refuse(VolumeAddress pVol, VolumeAddress sVol, PairOperation operation, PairErrorCode error)
    {
        return Answer(pVol, sVol, 0, operation, TransitionRule.Reject(PairState.Smpl, error), PairState.Smpl);
    }

    private MirrorPair? FindUnsynchronized(VolumeAddress pVolAddress, VolumeAddress sVolAddress)
    {
        foreach (MirrorPair pair in _pairs)
        {
            if (pair.PVolAddress == pVolAddress && pair.SVolAddress == sVolAddress)
            {
                return pair;
            }
        }

        return null;
    }
}
