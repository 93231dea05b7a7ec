// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Addressing;
using Controller.Firmware.Bitmaps;
using Controller.Firmware.RemoteCopy;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;
using Microsoft.Extensions.ObjectPool;

namespace Controller.Firmware.Pairs;

/// <summary>
/// The Copy Management Table of one controller (seed 000 FIG 6, R0-4): a row per pair, queryable by volume
/// address, and the only place pair state changes. Every command is decided by the
/// <see cref="PairCommandTable"/>; every decision, accepted or not, goes to the event log with the time and the
/// write sequence number. Control plane: one lock, never taken by the host write path (only by its rare fault
/// path, and by a copy job's last step). Accepted copying commands start a <see cref="CopyJob"/>; the table
/// publishes each volume's <see cref="VolumePairing"/> for the write path.
/// </summary>
public sealed partial class CopyManagementTable
{
    /// <summary>The most local mirrors one P-VOL may have (mirror units 0-2).</summary>
    public const int MaxLocalMirrorsPerPVol = 3;

    private readonly Lock _lock = new();

    // Pulsed after every event (under its own monitor, never while a waiter could hold _lock): pairevtwait.
    private readonly object _changed = new();
    private long _changeCount;
    private readonly List<MirrorPair> _pairs = [];

    // The rows by (P-VOL, S-VOL) address: every command and every member of an atomic split is looked up by it.
    private readonly Dictionary<PairAddress, MirrorPair> _byAddress = [];
    /// <summary>The most pair events the table keeps (the oldest are dropped and counted beyond it).</summary>
    public const int EventCapacity = 16_384;

    private readonly EventRing<PairEvent> _events = new(EventCapacity);
    private readonly PairCommandTable _table;
    private readonly WriteSequencer _sequencer;
    private readonly IScheduler _scheduler;
    private readonly CopyPace _pace;
    private readonly ObjectPool<WriteFanIn> _fanIns;
    private readonly TrackBufferPool _trackBuffers;
    private int _nextEntryId = 1;

    /// <summary>Gets the serial number of the subsystem this table belongs to (it names the atomic splits it coordinates).</summary>
    public int Serial { get; init; } = 1;

    /// <summary>Gets the command table of determining pairs: T1 with FIG 3's configurable T8 and T9 (FIG 4 decides their resyncs).</summary>
    public PairCommandTable DeterminingTable { get; init; } = RemoteMirrorTable.ForDetermining(rearmFromSuspendAbnormal: true, splitWhileCopying: true);

    /// <summary>Initializes an empty table.</summary>
    /// <param name="table">The command table that decides every command (the local-mirror table here).</param>
    /// <param name="sequencer">The controller's write sequence, stamped on events and split points.</param>
    /// <param name="scheduler">The controller's scheduler: its clock stamps events; copy jobs pace on it.</param>
    /// <param name="pace">How fast copies run.</param>
    /// <param name="fanIns">The pool of write fan-ins the copy jobs share with the write path.</param>
    /// <param name="trackBuffers">The pool of one-track buffers the copy jobs read into.</param>
    internal CopyManagementTable(PairCommandTable table, WriteSequencer sequencer, IScheduler scheduler, CopyPace pace, ObjectPool<WriteFanIn> fanIns, TrackBufferPool trackBuffers)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(sequencer);
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(pace);
        ArgumentNullException.ThrowIfNull(fanIns);
        ArgumentNullException.ThrowIfNull(trackBuffers);
        _table = table;
        _sequencer = sequencer;
        _scheduler = scheduler;
        _pace = pace;
        _fanIns = fanIns;
        _trackBuffers = trackBuffers;
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
        if (pVol.Owner is null || sVol.Owner is null)
        {
            ThrowHelper.ThrowInvalidOperation("LDEV " + (pVol.Owner is null ? pVol.Id : sVol.Id) + " is not attached to an MP of this subsystem");
        }

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
            _byAddress.Add(new PairAddress(pVolAddress, sVolAddress), pair);
            PublishPairingUnsynchronized(pair);
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
            if (pair is not null && pair.Type == MirrorType.Remote)
            {
                ThrowHelper.ThrowInvalidOperation("pair " + pVolAddress + " -> " + sVolAddress + " is a remote mirror: its commands wait for the peer; use ExecuteAsync");
            }

            if (pair is null)
            {
                TransitionRule rule = _table.Lookup(PairState.Smpl, operation);
                return rule.Result == CommandResult.NoOp
                    ? Answer(pVolAddress, sVolAddress, 0, operation, rule, PairState.Smpl)
                    : Refuse(pVolAddress, sVolAddress, operation, rule.Error);
            }

            if (pair.ActiveSplit is not null && operation != PairOperation.SuspendByError)
            {
                // A member of a running atomic split belongs to it until it commits or aborts: a plain command now
                // would split it away from the split's point (writes after the point never reach the S-VOL), so BUSY,
                // as an overlapping atomic split is. A suspension by error (a fault) still goes through: the split
                // then aborts with the member named (R0-24).
                return Refuse(pVolAddress, sVolAddress, operation, PairErrorCode.SplitInProgress);
            }

            return ApplyUnsynchronized(pair, operation, splitMode);
        }
    }

    /// <summary>Gets the pace every copy of this subsystem runs at (R2-30's copy duration).</summary>
    public CopyPace Pace => _pace;

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

    /// <summary>Lists the pairs of a mirror name (names are defined by NAME MIRRORS, issue #5).</summary>
    /// <param name="mirrorName">The name; compared exactly (ordinal).</param>
    /// <returns>The pairs, in entry order; empty for an unknown name.</returns>
    public IReadOnlyList<MirrorPair> FindByMirrorName(string mirrorName)
    {
        ArgumentNullException.ThrowIfNull(mirrorName);
        lock (_lock)
        {
            List<MirrorPair> found = [];
            foreach (MirrorPair pair in _pairs)
            {
                if (string.Equals(pair.MirrorName, mirrorName, StringComparison.Ordinal))
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

    /// <summary>
    /// Blocks until the pair of two volumes is in a state, or the time runs out (pairevtwait). Real-time mode
    /// only: in deterministic mode nothing else would run, so run the scheduler instead.
    /// </summary>
    /// <param name="pVolAddress">The P-VOL's address.</param>
    /// <param name="sVolAddress">The S-VOL's address.</param>
    /// <param name="state">The state to wait for (SMPL: the pair is gone).</param>
    /// <param name="timeout">How long to wait at most.</param>
    /// <returns>True when the pair reached the state, false on timeout.</returns>
    public bool WaitForState(VolumeAddress pVolAddress, VolumeAddress sVolAddress, PairState state, TimeSpan timeout)
    {
        if (_scheduler is DeterministicScheduler)
        {
            ThrowHelper.ThrowInvalidOperation("WaitForState blocks the only thread of a deterministic scheduler: run the scheduler until the pair is " + PairStateNames.Of(state));
        }

        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            // The change count is read before the state, and the wait happens only if no change came since: a
            // change between the two is never slept through. _lock is never taken inside _changed.
            long seen = Volatile.Read(ref _changeCount);
            if ((Find(pVolAddress, sVolAddress)?.State ?? PairState.Smpl) == state)
            {
                return true;
            }

            long left = deadline - Environment.TickCount64;
            if (left <= 0)
            {
                return false;
            }

            lock (_changed)
            {
                if (Volatile.Read(ref _changeCount) == seen)
                {
                    Monitor.Wait(_changed, (int)Math.Min(left, int.MaxValue));
                }
            }
        }
    }

    /// <summary>Gets the number of pair events dropped from the log to keep it within <see cref="EventCapacity"/>.</summary>
    public long DroppedEvents
    {
        get
        {
            lock (_lock)
            {
                return _events.Dropped;
            }
        }
    }

    /// <summary>Lists the event log (the newest <see cref="EventCapacity"/> events), oldest first.</summary>
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

        if (FeedsUnsynchronized(sVol, pVol, null))
        {
            return PairErrorCode.MirrorLoop;
        }

        // Mirror units of this P-VOL in use; an S-VOL may be fed by one pair only (another may have it split: FIG 12's
        // new mirror into the split LV4). A volume may still be the S-VOL of one pair and the P-VOL of another.
        bool[] unitInUse = new bool[MaxLocalMirrorsPerPVol];
        foreach (MirrorPair pair in _pairs)
        {
            if ((pair.SVolAddress == sVolAddress || ReferenceEquals(pair.SVol, sVol)) && !IsSplit(pair))
            {
                return PairErrorCode.SVolInUse;
            }

            if (pair.Type == MirrorType.Local && (pair.PVolAddress == pVolAddress || ReferenceEquals(pair.PVol, pVol)))
            {
                unitInUse[pair.MirrorUnit] = true;
            }
        }

        mirrorUnit = Array.IndexOf(unitInUse, false);
        return mirrorUnit < 0 ? PairErrorCode.MirrorUnitsExhausted : PairErrorCode.None;
    }

    /// <summary>
    /// Suspends a pair by error from the data path or the copy engine (PSUE): a mirror write or a copied track
    /// that could not land. Decided by the table's SuspendByError column like the command.
    /// </summary>
    /// <param name="pair">The pair.</param>
    /// <param name="cause">Why.</param>
    internal void SuspendOnFault(MirrorPair pair, PairEventCause cause)
    {
        lock (_lock)
        {
            if (IsInTableUnsynchronized(pair))
            {
                ApplyUnsynchronized(pair, PairOperation.SuspendByError, SplitMode.ReadOnly, cause);
            }
        }
    }

    /// <summary>
    /// Ends a copy: the job's last step found nothing left to copy and nothing in flight. Called on the source's
    /// MP, so no host write to the source comes between this and the next write, which already sees PAIR.
    /// </summary>
    /// <param name="pair">The pair.</param>
    /// <param name="job">The job; ignored unless it is still the pair's running copy.</param>
    /// <returns>True when the pair went to PAIR.</returns>
    internal bool CompleteCopy(MirrorPair pair, CopyJob job)
    {
        lock (_lock)
        {
            PairState from = pair.State;
            if (!ReferenceEquals(pair.Job, job) || !IsInTableUnsynchronized(pair) || from is not (PairState.Copy or PairState.CopyResync or PairState.Rcpy))
            {
                return false;
            }

            pair.State = PairState.Pair;
            Log(pair.PVolAddress, pair.SVolAddress, pair.EntryId, job.Operation, CommandResult.Accepted, from, PairState.Pair, PairErrorCode.None, PairEventCause.CopyComplete);
            if (pair.Type == MirrorType.Remote)
            {
                // Queued behind the last copied track on the S-VOL stand-in's MP, so it reaches the secondary after it.
                TellSecondary(pair, new RemoteControl(RemoteControlKind.SetState, new PairAddress(pair.PVolAddress, pair.SVolAddress)) { State = PairState.Pair }, null);
            }

            return true;
        }
    }

    private PairCommandResponse ApplyUnsynchronized(MirrorPair pair, PairOperation operation, SplitMode splitMode, PairEventCause cause = PairEventCause.Command)
    {
        PairState from = pair.State;
        TransitionRule rule = TableOf(pair).Lookup(from, operation);
        if (rule.Result == CommandResult.Accepted && operation is PairOperation.Resync or PairOperation.SwapResync && SVolFedByAnotherUnsynchronized(pair))
        {
            rule = TransitionRule.Reject(from, PairErrorCode.SVolInUse);
        }

        CopyJob? job = null;
        bool remotePrimary = pair.Type == MirrorType.Remote && !pair.IsSecondary;
        if (rule.Result == CommandResult.Accepted)
        {
            switch (operation)
            {
                case PairOperation.Create:
                    job = NewJob(pair, operation, CopyDirection.PVolToSVol, full: true);
                    break;
                case PairOperation.CreateNoCopy:
                    // FIG 12: only the tracks written on either volume since their common split (the caller checked it).
                    job = NewJob(pair, operation, CopyDirection.PVolToSVol, full: false);
                    job.Inherited = InheritedForNoCopy(pair);
                    break;
                case PairOperation.Resync:
                    // A local PSUE keeps no valid differential: the resync copies everything (vendor T2 note). A
                    // remote pair kept marking while suspended (TrueCopy): only the marked tracks go.
                    // A PSUE made by a restart marked every track that may differ (docs/durability.md): those only.
                    job = NewJob(pair, operation, CopyDirection.PVolToSVol, full: from == PairState.Psue && pair.Type == MirrorType.Local && !pair.SuspendedWithValidMarks);
                    pair.PVolProtected = false;
                    pair.SuspendedWithValidMarks = false;
                    break;
                case PairOperation.Restore:
                    job = NewJob(pair, operation, CopyDirection.SVolToPVol, full: false);
                    break;
                case PairOperation.SuspendByError:
                    pair.SuspendedWithValidMarks = false;
                    StopCopyKeepingOwedTracks(pair, remotePrimary);
                    break;
                case PairOperation.Split:
                case PairOperation.SplitProtectPVol:
                    // The split point: writes numbered up to here are in the S-VOL image (issue #5 makes the cut
                    // exact under concurrent writes); later ones only mark the bitmaps. A pair may be split during
                    // its initial copy (T1; T2's footnote [1] for a local one): the tracks not yet copied are owed,
                    // as marks, and the resync that follows copies them.
                    StopCopyKeepingOwedTracks(pair, remotePrimary || pair.Type == MirrorType.Local);
                    pair.SplitMode = splitMode;
                    pair.PVolProtected = operation == PairOperation.SplitProtectPVol;
                    pair.SplitSequence = _sequencer.Current;
                    pair.SplitTime = _scheduler.Time.GetUtcNow();
                    break;
                case PairOperation.SwapResync:
                    // The swapped pair must be one create would accept: the new S-VOL fed by no other pair, a
                    // free mirror unit on the new P-VOL, no loop.
                    PairErrorCode swapError = CheckSwapUnsynchronized(pair, out int swapUnit);
                    if (swapError != PairErrorCode.None)
                    {
                        return Answer(pair.PVolAddress, pair.SVolAddress, pair.EntryId, operation, TransitionRule.Reject(from, swapError), from, cause);
                    }

                    // Roles first, then a differential copy from the new P-VOL.
                    _byAddress.Remove(new PairAddress(pair.PVolAddress, pair.SVolAddress));
                    pair.SwapRoles(swapUnit);
                    _byAddress.Add(new PairAddress(pair.PVolAddress, pair.SVolAddress), pair);
                    PublishPairingUnsynchronized(pair);
                    job = NewJob(pair, operation, CopyDirection.PVolToSVol, full: false);
                    break;
                case PairOperation.Delete:
                    pair.Job?.Cancel();
                    ForgetMirrorNameUnsynchronized(pair);
                    RemoveRowUnsynchronized(pair);
                    break;
                default:
                    break;
            }

            pair.State = rule.NextState;

            // Only now, with the new state visible to the write path, may the job's barrier be queued; with kept
            // state, only once the new state is committed too.
            if (job is not null)
            {
                StartWhenKeptUnsynchronized(job);
            }
            if (remotePrimary && rule.NextState is PairState.Psue && cause != PairEventCause.Command)
            {
                // A fault here: the secondary learns it now if the link still carries it (else by its own loss of the link).
                TellSecondary(pair, new RemoteControl(RemoteControlKind.SetState, new PairAddress(pair.PVolAddress, pair.SVolAddress)) { State = PairState.Psue }, null);
            }
        }

        return Answer(pair.PVolAddress, pair.SVolAddress, pair.EntryId, operation, rule, from, cause);
    }

    private static bool IsSplit(MirrorPair pair)
    {
        return pair.State is PairState.Psus or PairState.Psue;
    }

    // Another pair feeds this pair's S-VOL now (FIG 12's new mirror): this one may not copy into it.
    private bool SVolFedByAnotherUnsynchronized(MirrorPair pair)
    {
        foreach (MirrorPair other in _pairs)
        {
            if (!ReferenceEquals(other, pair) && ReferenceEquals(other.SVol, pair.SVol) && !IsSplit(other))
            {
                return true;
            }
        }

        return false;
    }

    // The command table that decides a pair's commands: T2 for local mirrors, T1 for remote ones (T1 with T8/T9 as
    // configured for determining pairs).
    private PairCommandTable TableOf(MirrorPair pair)
    {
        return pair.Type == MirrorType.Local ? _table : pair.Determining ? DeterminingTable : RemoteMirrorTable.Instance;
    }

    // Stops a running copy. At a remote primary, and for a local pair's split, the tracks it had not copied yet stay
    // owed to the S-VOL: they join the P-side bitmap, which stays valid (a copy whose set is not built yet owes what
    // it would have copied). A local PSUE needs none: its resync copies everything.
    private void StopCopyKeepingOwedTracks(MirrorPair pair, bool keepOwed)
    {
        CopyJob? job = pair.Job;
        if (job is null || job.IsFinished)
        {
            return;
        }

        job.Cancel();
        if (!keepOwed)
        {
            return;
        }

        // Marks no host write made: no write intent covers them until a checkpoint after a drain holds them.
        pair.OwedStamp = ++_owedStamp;

        DifferentialBitmap? set = job.CopySet;
        if (set is not null)
        {
            pair.PVolBitmap.UnionWith(set);
        }
        else if (job.IsFull)
        {
            pair.PVolBitmap.SetRange(0, pair.PVolBitmap.TrackCount - 1);
        }
        else
        {
            // A differential copy whose set is not built yet: the pair's own marks are still in its bitmaps, where the
            // build would take them; the ones it was to take in (a swap's old rows, a no-copy create's split pairs)
            // are owed too, and only the job holds them.
            foreach (DifferentialBitmap inherited in job.Inherited)
            {
                pair.PVolBitmap.UnionWith(inherited);
            }
        }
    }

    // Whether volume 'from' feeds volume 'to' through a chain of pairs (from is the P-VOL of a pair whose S-VOL
    // is the P-VOL of ... a pair whose S-VOL is 'to'), ignoring one pair. Walked upstream from 'to' over every pair
    // whose S-VOL is on the way: a volume is fed by one pair at a time, but it may also be the S-VOL of pairs that are
    // split (FIG 12), which a resync would make feed it again. Following only the first such pair missed the one
    // feeding it, and the loop 2 -> 4 (PAIR), 4 -> 2 was accepted beside a split 3 -> 4: its copy then went round
    // the loop for ever (found by hostsim fuzz, seed 42, deterministic). Control plane: it may allocate.
    private bool FeedsUnsynchronized(Ldev from, Ldev to, MirrorPair? ignoring)
    {
        Stack<Ldev> upstream = new();
        HashSet<Ldev> seen = new(ReferenceEqualityComparer.Instance);
        upstream.Push(to);
        while (upstream.TryPop(out Ldev? current))
        {
            if (ReferenceEquals(current, from))
            {
                return true;
            }

            if (!seen.Add(current))
            {
                continue;
            }

            foreach (MirrorPair pair in _pairs)
            {
                if (!ReferenceEquals(pair, ignoring) && ReferenceEquals(pair.SVol, current))
                {
                    upstream.Push(pair.PVol);
                }
            }
        }

        return false;
    }

    private PairErrorCode CheckSwapUnsynchronized(MirrorPair pair, out int mirrorUnit)
    {
        // After the swap the old P-VOL is the S-VOL and the old S-VOL the P-VOL.
        Ldev newPVol = pair.SVol;
        Ldev newSVol = pair.PVol;
        mirrorUnit = -1;
        bool[] unitInUse = new bool[MaxLocalMirrorsPerPVol];
        foreach (MirrorPair other in _pairs)
        {
            if (ReferenceEquals(other, pair))
            {
                continue;
            }

            if (ReferenceEquals(other.SVol, newSVol))
            {
                return PairErrorCode.SVolInUse;
            }

            if (ReferenceEquals(other.PVol, newPVol))
            {
                unitInUse[other.MirrorUnit] = true;
            }
        }

        if (FeedsUnsynchronized(newSVol, newPVol, pair))
        {
            return PairErrorCode.MirrorLoop;
        }

        mirrorUnit = Array.IndexOf(unitInUse, false);
        return mirrorUnit < 0 ? PairErrorCode.MirrorUnitsExhausted : PairErrorCode.None;
    }

    private CopyJob NewJob(MirrorPair pair, PairOperation operation, CopyDirection direction, bool full)
    {
        // A copy brings the pair back toward PAIR: the cut of its last atomic split no longer applies.
        pair.Cut = null;
        pair.Job?.Cancel();
        CopyJob job = new(this, pair, operation, direction, full, _pace, _scheduler, _fanIns, _trackBuffers);
        pair.Job = job;
        return job;
    }

    // Publishes, for both volumes of a pair, the pairs each now takes part in (after create, swap, delete).
    private void PublishPairingUnsynchronized(MirrorPair changed)
    {
        PublishPairingUnsynchronized(changed.PVol);
        PublishPairingUnsynchronized(changed.SVol);
    }

    private void PublishPairingUnsynchronized(Ldev volume)
    {
        List<MirrorPair> asPVol = [];
        List<MirrorPair> asSVols = [];
        foreach (MirrorPair pair in _pairs)
        {
            if (ReferenceEquals(pair.PVol, volume))
            {
                asPVol.Add(pair);
            }
            else if (ReferenceEquals(pair.SVol, volume))
            {
                asSVols.Add(pair);
            }
        }

        volume.Pairing = asPVol.Count == 0 && asSVols.Count == 0 ? VolumePairing.None : new VolumePairing(asPVol.ToArray(), asSVols.ToArray());
    }

    private PairCommandResponse Answer(VolumeAddress pVol, VolumeAddress sVol, int entryId, PairOperation operation, TransitionRule rule, PairState from, PairEventCause cause = PairEventCause.Command)
    {
        PairState to = rule.Result == CommandResult.Accepted ? rule.NextState : from;
        Log(pVol, sVol, entryId, operation, rule.Result, from, to, rule.Error, cause);
        string verdict = rule.Result switch
        {
            CommandResult.Accepted => "accepted -> " + PairStateNames.Of(to),
            CommandResult.NoOp => "no-op",
            _ => "rejected: " + rule.Error,
        };
        string message = pVol + " -> " + sVol + ": " + PairStateNames.Of(from) + " x " + operation + " " + verdict;
        return new PairCommandResponse(rule.Result, to, rule.Error, message);
    }

    private void Log(VolumeAddress pVol, VolumeAddress sVol, int entryId, PairOperation operation, CommandResult result, PairState from, PairState to, PairErrorCode error, PairEventCause cause)
    {
        _events.Add(new PairEvent(_scheduler.Time.GetUtcNow(), _sequencer.Current, entryId, pVol, sVol, operation, result, from, to, error, cause));
        if (result == CommandResult.Accepted && cause != PairEventCause.Restart)
        {
            KeepUnsynchronized(entryId);
        }
        if (from != to)
        {
            Interlocked.Increment(ref _changeCount);
            lock (_changed)
            {
                Monitor.PulseAll(_changed);
            }
        }
    }

    private PairCommandResponse Refuse(VolumeAddress pVol, VolumeAddress sVol, PairOperation operation, PairErrorCode error)
    {
        return Answer(pVol, sVol, 0, operation, TransitionRule.Reject(PairState.Smpl, error), PairState.Smpl);
    }

    // Whether the row is still in the table (not deleted): by its address, not a scan of the rows.
    private bool IsInTableUnsynchronized(MirrorPair pair)
    {
        return _byAddress.TryGetValue(new PairAddress(pair.PVolAddress, pair.SVolAddress), out MirrorPair? found) && ReferenceEquals(found, pair);
    }

    private MirrorPair? FindUnsynchronized(VolumeAddress pVolAddress, VolumeAddress sVolAddress)
    {
        return _byAddress.GetValueOrDefault(new PairAddress(pVolAddress, sVolAddress));
    }
}
