// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Bitmaps;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.RemoteCopy;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;
using Microsoft.Extensions.ObjectPool;

namespace Controller.Firmware.Pairs;

/// <summary>
/// The pair state machine of the Copy Management Table (docs/architecture.md decision 6): every command on a row is
/// decided by a cell of a command table (T2 for local mirrors, T1 for remote ones, T1 with FIG 3's T8/T9 for
/// determining pairs; FIG 4 is asked by the link side before it), and every decision, accepted or not, goes to the
/// event log with the time and the write sequence number. Accepted copying commands start a <see cref="CopyJob"/>.
/// Runs under the registry's lock; what it decides is a <see cref="PairDecision"/>, formatted after the lock is left.
/// </summary>
internal sealed class PairStateMachine
{
    private readonly CopyManagementTable _table;
    private readonly PairRegistry _registry;
    private readonly PairCommandTable _localTable;
    private readonly WriteSequencer _sequencer;
    private readonly IScheduler _scheduler;
    private readonly CopyPace _pace;
    private readonly ObjectPool<WriteFanIn> _fanIns;
    private readonly TrackBufferPool _trackBuffers;
    private readonly EventRing<PairEvent> _events = new(CopyManagementTable.EventCapacity);

    /// <summary>Initializes the state machine of a table.</summary>
    /// <param name="table">The table (its copy jobs report back to it).</param>
    /// <param name="registry">The rows and the lock.</param>
    /// <param name="localTable">The command table of local mirrors.</param>
    /// <param name="sequencer">The controller's write sequence, stamped on events and split points.</param>
    /// <param name="scheduler">The controller's scheduler: its clock stamps events; copy jobs pace on it.</param>
    /// <param name="pace">How fast copies run.</param>
    /// <param name="fanIns">The pool of write fan-ins the copy jobs share with the write path.</param>
    /// <param name="trackBuffers">The pool of one-track buffers the copy jobs read into.</param>
    public PairStateMachine(CopyManagementTable table, PairRegistry registry, PairCommandTable localTable, WriteSequencer sequencer, IScheduler scheduler, CopyPace pace, ObjectPool<WriteFanIn> fanIns, TrackBufferPool trackBuffers)
    {
        _table = table;
        _registry = registry;
        _localTable = localTable;
        _sequencer = sequencer;
        _scheduler = scheduler;
        _pace = pace;
        _fanIns = fanIns;
        _trackBuffers = trackBuffers;
    }

    /// <summary>Gets or sets the command table of determining pairs (T1 with FIG 3's T8 and T9).</summary>
    public PairCommandTable DeterminingTable { get; set; } = RemoteMirrorTable.ForDetermining(rearmFromSuspendAbnormal: true, splitWhileCopying: true);

    /// <summary>Gets the pace every copy of this subsystem runs at.</summary>
    public CopyPace Pace => _pace;

    /// <summary>Gets the number of pair events dropped from the log.</summary>
    public long DroppedEvents
    {
        get
        {
            lock (_registry.Lock)
            {
                return _events.Dropped;
            }
        }
    }

    /// <summary>Lists the event log, oldest first.</summary>
    /// <returns>A copy of the events.</returns>
    public IReadOnlyList<PairEvent> GetEvents()
    {
        lock (_registry.Lock)
        {
            return _events.ToArray();
        }
    }

    /// <summary>Creates a local pair (see <see cref="CopyManagementTable.Create"/>).</summary>
    /// <param name="pVolAddress">The P-VOL's address.</param>
    /// <param name="pVol">The P-VOL.</param>
    /// <param name="sVolAddress">The S-VOL's address.</param>
    /// <param name="sVol">The S-VOL.</param>
    /// <returns>The answer.</returns>
    public PairCommandResponse Create(VolumeAddress pVolAddress, Ldev pVol, VolumeAddress sVolAddress, Ldev sVol)
    {
        PairDecision decision;
        lock (_registry.Lock)
        {
            MirrorPair? existing = _registry.FindUnsynchronized(pVolAddress, sVolAddress);
            if (existing is not null)
            {
                decision = ApplyUnsynchronized(existing, PairOperation.Create, SplitMode.ReadOnly);
            }
            else
            {
                PairErrorCode error = CheckNewPairUnsynchronized(pVolAddress, pVol, sVolAddress, sVol, out int mirrorUnit);
                if (error != PairErrorCode.None)
                {
                    decision = RefuseUnsynchronized(pVolAddress, sVolAddress, PairOperation.Create, error);
                }
                else
                {
                    MirrorPair pair = new(_registry.NextEntryIdUnsynchronized(), pVolAddress, pVol, sVolAddress, sVol, mirrorUnit, MirrorType.Local);
                    _registry.AddRowUnsynchronized(pair);
                    decision = ApplyUnsynchronized(pair, PairOperation.Create, SplitMode.ReadOnly);
                }
            }
        }

        return decision.ToResponse();
    }

    /// <summary>Creates a local pair without an initial copy, when FIG 12's proof holds (see <see cref="CopyManagementTable.CreateNoCopy"/>).</summary>
    /// <param name="pVolAddress">The new P-VOL's address (LV3).</param>
    /// <param name="pVol">The new P-VOL.</param>
    /// <param name="sVolAddress">The new S-VOL's address (LV4).</param>
    /// <param name="sVol">The new S-VOL.</param>
    /// <returns>The answer.</returns>
    public PairCommandResponse CreateNoCopy(VolumeAddress pVolAddress, Ldev pVol, VolumeAddress sVolAddress, Ldev sVol)
    {
        PairDecision decision;
        lock (_registry.Lock)
        {
            decision = CreateNoCopyUnsynchronized(pVolAddress, pVol, sVolAddress, sVol);
        }

        return decision.ToResponse();
    }

    /// <summary>Runs a command on a local pair (see <see cref="CopyManagementTable.Execute"/>).</summary>
    /// <param name="pVolAddress">The P-VOL's address.</param>
    /// <param name="sVolAddress">The S-VOL's address.</param>
    /// <param name="operation">The command.</param>
    /// <param name="splitMode">For a split: whether the S-VOL becomes read/write.</param>
    /// <returns>The answer.</returns>
    public PairCommandResponse Execute(VolumeAddress pVolAddress, VolumeAddress sVolAddress, PairOperation operation, SplitMode splitMode)
    {
        PairDecision decision;
        lock (_registry.Lock)
        {
            MirrorPair? pair = _registry.FindUnsynchronized(pVolAddress, sVolAddress);
            if (pair is not null && pair.Type == MirrorType.Remote)
            {
                ThrowHelper.ThrowInvalidOperation("pair " + pVolAddress + " -> " + sVolAddress + " is a remote mirror: its commands wait for the peer; use ExecuteAsync");
            }

            if (pair is null)
            {
                TransitionRule rule = _localTable.Lookup(PairState.Smpl, operation);
                decision = rule.Result == CommandResult.NoOp
                    ? AnswerUnsynchronized(pVolAddress, sVolAddress, 0, operation, rule, PairState.Smpl)
                    : RefuseUnsynchronized(pVolAddress, sVolAddress, operation, rule.Error);
            }
            else if (pair.ActiveSplit is not null && operation != PairOperation.SuspendByError)
            {
                // A member of a running atomic split belongs to it until it commits or aborts: a plain command now
                // would split it away from the split's point (writes after the point never reach the S-VOL), so BUSY,
                // as an overlapping atomic split is. A suspension by error (a fault) still goes through: the split
                // then aborts with the member named (R0-24).
                decision = RefuseUnsynchronized(pVolAddress, sVolAddress, operation, PairErrorCode.SplitInProgress);
            }
            else
            {
                decision = ApplyUnsynchronized(pair, operation, splitMode);
            }
        }

        return decision.ToResponse();
    }

    /// <summary>
    /// Suspends a pair by error from the data path or the copy engine (PSUE), decided by the table's SuspendByError
    /// column like the command. Runs on an MP: the decision is not formatted, nobody reads it.
    /// </summary>
    /// <param name="pair">The pair.</param>
    /// <param name="cause">Why.</param>
    public void SuspendOnFault(MirrorPair pair, PairEventCause cause)
    {
        lock (_registry.Lock)
        {
            if (_registry.IsInTableUnsynchronized(pair))
            {
                ApplyUnsynchronized(pair, PairOperation.SuspendByError, SplitMode.ReadOnly, cause);
            }
        }
    }

    /// <summary>Ends a copy (see <see cref="CopyManagementTable.CompleteCopy"/>).</summary>
    /// <param name="pair">The pair.</param>
    /// <param name="job">The job; ignored unless it is still the pair's running copy.</param>
    /// <returns>True when the pair went to PAIR.</returns>
    public bool CompleteCopy(MirrorPair pair, CopyJob job)
    {
        lock (_registry.Lock)
        {
            PairState from = pair.State;
            if (!ReferenceEquals(pair.Job, job) || !_registry.IsInTableUnsynchronized(pair) || from is not (PairState.Copy or PairState.CopyResync or PairState.Rcpy))
            {
                return false;
            }

            pair.State = PairState.Pair;
            LogUnsynchronized(pair.PVolAddress, pair.SVolAddress, pair.EntryId, job.Operation, CommandResult.Accepted, from, PairState.Pair, PairErrorCode.None, PairEventCause.CopyComplete);
            if (pair.Type == MirrorType.Remote)
            {
                // Queued behind the last copied track on the S-VOL stand-in's MP, so it reaches the secondary after it.
                _table.Primary.TellSecondary(pair, new RemoteControl(RemoteControlKind.SetState, new PairAddress(pair.PVolAddress, pair.SVolAddress)) { State = PairState.Pair }, null);
            }

            return true;
        }
    }

    /// <summary>Decides a command on a row by its command table and carries it out (under the lock).</summary>
    /// <param name="pair">The row.</param>
    /// <param name="operation">The command.</param>
    /// <param name="splitMode">For a split: whether the S-VOL becomes read/write.</param>
    /// <param name="cause">Why, for the event log.</param>
    /// <returns>The decision.</returns>
    public PairDecision ApplyUnsynchronized(MirrorPair pair, PairOperation operation, SplitMode splitMode, PairEventCause cause = PairEventCause.Command)
    {
        PairState from = pair.State;
        TransitionRule rule = TableOf(pair).Lookup(from, operation);
        if (rule.Result == CommandResult.Accepted && operation is PairOperation.Resync or PairOperation.SwapResync && _registry.SVolFedByAnotherUnsynchronized(pair))
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
                    job = NewJobUnsynchronized(pair, operation, CopyDirection.PVolToSVol, full: true);
                    break;
                case PairOperation.CreateNoCopy:
                    // FIG 12: only the tracks written on either volume since their common split (the caller checked it).
                    job = NewJobUnsynchronized(pair, operation, CopyDirection.PVolToSVol, full: false);
                    job.Inherited = InheritedForNoCopy(pair);
                    break;
                case PairOperation.Resync:
                    // A local PSUE keeps no valid differential: the resync copies everything (vendor T2 note). A
                    // remote pair kept marking while suspended (TrueCopy): only the marked tracks go.
                    // A PSUE made by a restart marked every track that may differ (docs/durability.md): those only.
                    job = NewJobUnsynchronized(pair, operation, CopyDirection.PVolToSVol, full: from == PairState.Psue && pair.Type == MirrorType.Local && !pair.SuspendedWithValidMarks);
                    pair.PVolProtected = false;
                    pair.SuspendedWithValidMarks = false;
                    break;
                case PairOperation.Restore:
                    job = NewJobUnsynchronized(pair, operation, CopyDirection.SVolToPVol, full: false);
                    break;
                case PairOperation.SuspendByError:
                    pair.SuspendedWithValidMarks = false;
                    StopCopyKeepingOwedTracksUnsynchronized(pair, remotePrimary);
                    break;
                case PairOperation.Split:
                case PairOperation.SplitProtectPVol:
                    // The split point: writes numbered up to here are in the S-VOL image (issue #5 makes the cut
                    // exact under concurrent writes); later ones only mark the bitmaps. A pair may be split during
                    // its initial copy (T1; T2's footnote [1] for a local one): the tracks not yet copied are owed,
                    // as marks, and the resync that follows copies them.
                    StopCopyKeepingOwedTracksUnsynchronized(pair, remotePrimary || pair.Type == MirrorType.Local);
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
                        return AnswerUnsynchronized(pair.PVolAddress, pair.SVolAddress, pair.EntryId, operation, TransitionRule.Reject(from, swapError), from, cause);
                    }

                    // Roles first, then a differential copy from the new P-VOL.
                    _registry.SwapRolesUnsynchronized(pair, swapUnit);
                    job = NewJobUnsynchronized(pair, operation, CopyDirection.PVolToSVol, full: false);
                    break;
                case PairOperation.Delete:
                    pair.Job?.Cancel();
                    _table.Names.ForgetUnsynchronized(pair);
                    _registry.RemoveRowUnsynchronized(pair);
                    break;
                default:
                    break;
            }

            pair.State = rule.NextState;

            // Only now, with the new state visible to the write path, may the job's barrier be queued; with kept
            // state, only once the new state is committed too.
            if (job is not null)
            {
                _registry.StartWhenKeptUnsynchronized(job);
            }

            if (remotePrimary && rule.NextState is PairState.Psue && cause != PairEventCause.Command)
            {
                // A fault here: the secondary learns it now if the link still carries it (else by its own loss of the link).
                _table.Primary.TellSecondary(pair, new RemoteControl(RemoteControlKind.SetState, new PairAddress(pair.PVolAddress, pair.SVolAddress)) { State = PairState.Psue }, null);
            }
        }

        return AnswerUnsynchronized(pair.PVolAddress, pair.SVolAddress, pair.EntryId, operation, rule, from, cause);
    }

    /// <summary>Logs a decision and returns it, unformatted (under the lock).</summary>
    /// <param name="pVol">The P-VOL's address.</param>
    /// <param name="sVol">The S-VOL's address.</param>
    /// <param name="entryId">The row's entry (0: none).</param>
    /// <param name="operation">The command.</param>
    /// <param name="rule">The cell that decided it.</param>
    /// <param name="from">The state the command found.</param>
    /// <param name="cause">Why, for the event log.</param>
    /// <returns>The decision.</returns>
    public PairDecision AnswerUnsynchronized(VolumeAddress pVol, VolumeAddress sVol, int entryId, PairOperation operation, TransitionRule rule, PairState from, PairEventCause cause = PairEventCause.Command)
    {
        PairState to = rule.Result == CommandResult.Accepted ? rule.NextState : from;
        LogUnsynchronized(pVol, sVol, entryId, operation, rule.Result, from, to, rule.Error, cause);
        return new PairDecision(pVol, sVol, operation, rule.Result, from, to, rule.Error);
    }

    /// <summary>Logs a refusal of a command on no row (SMPL) and returns it (under the lock).</summary>
    /// <param name="pVol">The P-VOL's address.</param>
    /// <param name="sVol">The S-VOL's address.</param>
    /// <param name="operation">The command.</param>
    /// <param name="error">Why.</param>
    /// <returns>The decision.</returns>
    public PairDecision RefuseUnsynchronized(VolumeAddress pVol, VolumeAddress sVol, PairOperation operation, PairErrorCode error)
    {
        return AnswerUnsynchronized(pVol, sVol, 0, operation, TransitionRule.Reject(PairState.Smpl, error), PairState.Smpl);
    }

    /// <summary>Adds an event to the log; an accepted change marks its row to be kept and wakes the waiters (under the lock).</summary>
    /// <param name="pVol">The P-VOL's address.</param>
    /// <param name="sVol">The S-VOL's address.</param>
    /// <param name="entryId">The row's entry (0: none).</param>
    /// <param name="operation">The command.</param>
    /// <param name="result">The verdict.</param>
    /// <param name="from">The state before.</param>
    /// <param name="to">The state after.</param>
    /// <param name="error">The rejection's code, else None.</param>
    /// <param name="cause">Why.</param>
    public void LogUnsynchronized(VolumeAddress pVol, VolumeAddress sVol, int entryId, PairOperation operation, CommandResult result, PairState from, PairState to, PairErrorCode error, PairEventCause cause)
    {
        _events.Add(new PairEvent(_scheduler.Time.GetUtcNow(), _sequencer.Current, entryId, pVol, sVol, operation, result, from, to, error, cause));
        if (result == CommandResult.Accepted && cause != PairEventCause.Restart)
        {
            _registry.KeepUnsynchronized(entryId);
        }

        if (from != to)
        {
            _registry.NotifyChanged();
        }
    }

    /// <summary>Starts a copy for a pair, cancelling its previous one (under the lock; the caller starts it).</summary>
    /// <param name="pair">The pair.</param>
    /// <param name="operation">The command that copies.</param>
    /// <param name="direction">Which way.</param>
    /// <param name="full">Every track, or only the marked ones.</param>
    /// <returns>The job, not started.</returns>
    public CopyJob NewJobUnsynchronized(MirrorPair pair, PairOperation operation, CopyDirection direction, bool full)
    {
        // A copy brings the pair back toward PAIR: the cut of its last atomic split no longer applies.
        pair.Cut = null;
        pair.Job?.Cancel();
        CopyJob job = new(_table, pair, operation, direction, full, _pace, _scheduler, _fanIns, _trackBuffers);
        pair.Job = job;
        return job;
    }

    /// <summary>
    /// PAIR -> COPY(RS) -> PAIR over exactly the marked tracks: a member whose writes were only marked (an aborted
    /// sequence cut, a peer's tentative split undone) is brought back to mirroring (under the lock).
    /// </summary>
    /// <param name="member">The pair.</param>
    public void ResyncAfterAbortUnsynchronized(MirrorPair member)
    {
        PairState from = member.State;
        CopyJob job = NewJobUnsynchronized(member, PairOperation.Resync, CopyDirection.PVolToSVol, full: false);
        member.State = PairState.CopyResync;
        LogUnsynchronized(member.PVolAddress, member.SVolAddress, member.EntryId, PairOperation.Resync, CommandResult.Accepted, from, PairState.CopyResync, PairErrorCode.None, PairEventCause.SplitAborted);
        job.Start();
    }

    /// <summary>The command table that decides a pair's commands: T2 for local mirrors, T1 for remote ones (T1 with T8/T9 as configured for determining pairs).</summary>
    /// <param name="pair">The pair.</param>
    /// <returns>The table.</returns>
    public PairCommandTable TableOf(MirrorPair pair)
    {
        return pair.Type == MirrorType.Local ? _localTable : pair.Determining ? DeterminingTable : RemoteMirrorTable.Instance;
    }

    private PairDecision CreateNoCopyUnsynchronized(VolumeAddress pVolAddress, Ldev pVol, VolumeAddress sVolAddress, Ldev sVol)
    {
        MirrorPair? existing = _registry.FindUnsynchronized(pVolAddress, sVolAddress);
        if (existing is not null)
        {
            return ApplyUnsynchronized(existing, PairOperation.CreateNoCopy, SplitMode.ReadOnly);
        }

        PairErrorCode error = CheckNewPairUnsynchronized(pVolAddress, pVol, sVolAddress, sVol, out int mirrorUnit);
        if (error != PairErrorCode.None)
        {
            return RefuseUnsynchronized(pVolAddress, sVolAddress, PairOperation.CreateNoCopy, error);
        }

        // FIG 12 (R0-30, R0-31): LV3 -> LV4 between the split S-VOLs of one atomic split whose P-VOLs were equal at
        // its point copies only what was written on either since (their S-side bitmaps); volumes that cannot be
        // proven equal are refused, and a full-copy create is always possible.
        MirrorPair? a = _registry.SplitPairOfUnsynchronized(pVol);
        MirrorPair? b = _registry.SplitPairOfUnsynchronized(sVol);
        string? why = WhyNotOneImage(a, b?.SplitSource ?? default, b?.PVolAddress, b?.SplitUpstream);
        if (why is not null)
        {
            return RefuseUnsynchronized(pVolAddress, sVolAddress, PairOperation.CreateNoCopy, PairErrorCode.NoCopyRefused) with { Note = ": " + why };
        }

        MirrorPair pair = new(_registry.NextEntryIdUnsynchronized(), pVolAddress, pVol, sVolAddress, sVol, mirrorUnit, MirrorType.Local)
        {
            NoCopyInherited = [a!.SVolBitmap, b!.SVolBitmap],
        };
        _registry.AddRowUnsynchronized(pair);
        return ApplyUnsynchronized(pair, PairOperation.CreateNoCopy, SplitMode.ReadOnly);
    }

    // Null when the two split S-VOLs hold one image: split by one atomic split, from the same P-VOL or from two P-VOLs
    // one of which fed the other in PAIR at the split (G3). Else why not, in words.
    private static string? WhyNotOneImage(MirrorPair? a, SplitIdentity bSplit, VolumeAddress? bPVol, VolumeAddress? bUpstream)
    {
        if (a is null)
        {
            return "the P-VOL is not the S-VOL of a pair split by an atomic split";
        }

        if (!bSplit.IsSome || bPVol is null)
        {
            return "the S-VOL is not the S-VOL of a pair split by an atomic split";
        }

        if (a.SplitSource != bSplit)
        {
            return "the volumes come from different atomic splits (" + a.SplitSource + " and " + bSplit + ")";
        }

        bool oneImage = a.PVolAddress == bPVol.Value || bUpstream == a.PVolAddress || a.SplitUpstream == bPVol.Value;
        return oneImage ? null : "their P-VOLs " + a.PVolAddress + " and " + bPVol + " were not one mirrored image at split " + bSplit;
    }

    // The bitmaps a no-copy create's copy takes in (set by the create before it applies the command).
    private static DifferentialBitmap[] InheritedForNoCopy(MirrorPair pair)
    {
        DifferentialBitmap[] inherited = pair.NoCopyInherited;
        pair.NoCopyInherited = [];
        return inherited;
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

        if (_registry.FeedsUnsynchronized(sVol, pVol, null))
        {
            return PairErrorCode.MirrorLoop;
        }

        // Mirror units of this P-VOL in use; an S-VOL may be fed by one pair only (another may have it split: FIG 12's
        // new mirror into the split LV4). A volume may still be the S-VOL of one pair and the P-VOL of another.
        bool[] unitInUse = new bool[CopyManagementTable.MaxLocalMirrorsPerPVol];
        foreach (MirrorPair pair in _registry.RowsUnsynchronized)
        {
            if ((pair.SVolAddress == sVolAddress || ReferenceEquals(pair.SVol, sVol)) && !PairRegistry.IsSplit(pair))
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

    private PairErrorCode CheckSwapUnsynchronized(MirrorPair pair, out int mirrorUnit)
    {
        // After the swap the old P-VOL is the S-VOL and the old S-VOL the P-VOL.
        Ldev newPVol = pair.SVol;
        Ldev newSVol = pair.PVol;
        mirrorUnit = -1;
        bool[] unitInUse = new bool[CopyManagementTable.MaxLocalMirrorsPerPVol];
        foreach (MirrorPair other in _registry.RowsUnsynchronized)
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

        if (_registry.FeedsUnsynchronized(newSVol, newPVol, pair))
        {
            return PairErrorCode.MirrorLoop;
        }

        mirrorUnit = Array.IndexOf(unitInUse, false);
        return mirrorUnit < 0 ? PairErrorCode.MirrorUnitsExhausted : PairErrorCode.None;
    }

    // Stops a running copy. At a remote primary, and for a local pair's split, the tracks it had not copied yet stay
    // owed to the S-VOL: they join the P-side bitmap, which stays valid (a copy whose set is not built yet owes what
    // it would have copied). A local PSUE needs none: its resync copies everything.
    private void StopCopyKeepingOwedTracksUnsynchronized(MirrorPair pair, bool keepOwed)
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

        _registry.MarkOwedUnsynchronized(pair);

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
}
