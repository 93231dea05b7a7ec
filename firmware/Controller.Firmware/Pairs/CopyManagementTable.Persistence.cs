// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Pairs;

/// <summary>
/// The table's side of the kept state (docs/durability.md): every accepted change of a row goes to the
/// <see cref="StateSink"/> in the order it was made, and a restart brings rows back by the restart table.
/// </summary>
public sealed partial class CopyManagementTable
{
    private IPairStateSink? _stateSink;

    // Entry IDs of rows changed (or deleted) since they were last handed to the sink. Marking is all the table does
    // at the change, under its lock; the rows are copied out at CommitState, so no snapshot is built inside an atomic
    // split's hold. Entry IDs are never reused, and each record is a whole row, so the order among rows is free.
    private readonly HashSet<int> _unkept = [];

    // Counts commands that moved tracks into bitmaps other than by host writes (MirrorPair.OwedStamp), under the lock.
    private long _owedStamp;

    // Copy jobs whose state change (a resync, a restore, a create, a swap) is not kept yet: a copy changes the target
    // volume's image, so it starts only once CommitState has made the change durable (a crash before that brings the
    // row back in its old state, and its volume must still hold what that state says). Under the lock.
    private List<CopyJob> _jobsAwaitingCommit = [];
    private bool _commitForJobsScheduled;
    private CommitForJobs? _commitForJobs;

    /// <summary>
    /// Gets or sets where row changes are kept (null: nowhere, as with RAM stores). Set once, before the controller
    /// takes commands.
    /// </summary>
    public IPairStateSink? StateSink
    {
        get => Volatile.Read(ref _stateSink);
        set => Volatile.Write(ref _stateSink, value);
    }

    /// <summary>
    /// Makes every row change made so far durable: called before a copy-management command is answered, so an
    /// acknowledged command's change survives a crash.
    /// </summary>
    public void CommitState()
    {
        IPairStateSink? sink = StateSink;
        if (sink is null)
        {
            return;
        }

        List<CopyJob> jobs;
        lock (_lock)
        {
            jobs = _jobsAwaitingCommit;
            if (jobs.Count > 0)
            {
                _jobsAwaitingCommit = [];
            }

            _commitForJobsScheduled = false;
            if (_unkept.Count > 0)
            {
                List<MirrorPair> changed = [];
                foreach (MirrorPair pair in _pairs)
                {
                    if (_unkept.Remove(pair.EntryId))
                    {
                        changed.Add(pair);
                    }
                }

                // What is left is no longer in the table. Deletions go first: a new row may take the volumes a
                // deleted one freed (a torn commit is dropped whole, docs/durability.md; this order also kept a
                // prefix of one restorable when commits had no ends).
                foreach (int deleted in _unkept)
                {
                    sink.RowDeleted(deleted);
                }

                foreach (MirrorPair pair in changed)
                {
                    sink.RowChanged(Snapshot(pair));
                }

                _unkept.Clear();
            }
        }

        sink.Commit();

        // Their changes are kept now: the copies may change the target volumes.
        foreach (CopyJob job in jobs)
        {
            job.Start();
        }
    }

    // Starts a copy job at once when nothing is kept (RAM stores); else once the change that made it is committed: by
    // the command's own commit before its answer, or by one scheduled here for changes no command commits.
    private void StartWhenKeptUnsynchronized(CopyJob job)
    {
        if (StateSink is null)
        {
            job.Start();
            return;
        }

        _jobsAwaitingCommit.Add(job);
        if (!_commitForJobsScheduled)
        {
            _commitForJobsScheduled = true;
            _commitForJobs ??= new CommitForJobs(this);
            _scheduler.Schedule(_commitForJobs);
        }
    }

    /// <summary>
    /// Gives an answer only once the change it reports is durable (docs/durability.md): at once with nothing kept (RAM
    /// stores); else <see cref="CommitState"/> (a sync of the journal) and the answer run on the thread pool, never on
    /// an MP or a frame reader, which host I/O would wait behind.
    /// </summary>
    /// <param name="answer">Sends the answer.</param>
    public void CommitStateThen(Action answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (StateSink is null)
        {
            answer();
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(
            static state =>
            {
                state.Table.CommitState();
                state.Answer();
            },
            (Table: this, Answer: answer),
            preferLocal: false);
    }

    /// <summary>
    /// Hands every row, as plain values and as rows (for their bitmaps), to a checkpoint writer while holding the
    /// table's lock: no change can be made, and so none journaled, between the snapshot and the writer's end, so the
    /// checkpoint may replace the journal. Host writes do not wait (they never take the lock); commands do.
    /// </summary>
    /// <param name="write">Writes the checkpoint; runs under the lock.</param>
    /// <param name="owedThrough">A value of <see cref="OwedMarksSoFar"/> read before a drain of every write in flight
    /// began (a write-intent sweep), or 0: the rows whose owed marks are that old are held whole by this checkpoint.</param>
    public void Checkpoint(Action<List<PairSnapshot>, IReadOnlyList<MirrorPair>> write, long owedThrough = 0)
    {
        ArgumentNullException.ThrowIfNull(write);
        lock (_lock)
        {
            foreach (MirrorPair pair in _pairs)
            {
                if (pair.OwedStamp != 0 && pair.OwedStamp <= owedThrough)
                {
                    // Every copy write cancelled with those marks ran before the drain ended: they are in the bitmaps.
                    pair.OwedStamp = 0;
                }
            }

            List<PairSnapshot> rows = new(_pairs.Count);
            foreach (MirrorPair pair in _pairs)
            {
                rows.Add(Snapshot(pair));
            }

            rows.Sort((a, b) => a.EntryId.CompareTo(b.EntryId));
            write(rows, _pairs);

            // The checkpoint holds every row as it is now: nothing marked is owed to the journal any more.
            _unkept.Clear();
        }
    }

    /// <summary>
    /// Gets the count of commands so far that moved tracks into bitmaps other than by host writes: read before a
    /// drain, then given to <see cref="Checkpoint"/> after it.
    /// </summary>
    /// <returns>The stamp.</returns>
    public long OwedMarksSoFar()
    {
        lock (_lock)
        {
            return _owedStamp;
        }
    }

    /// <summary>
    /// Brings back a local pair from the kept state, by the restart table (docs/durability.md): after a graceful stop
    /// a suspended pair keeps its state and its bitmaps as kept; after a crash the bitmaps may be stale, so every track
    /// is marked on both sides (a superset: the next resync copies everything), and a pair that was mirroring (PAIR)
    /// is suspended by error (PSUE), since a mirror write in flight may have landed on one volume only. A pair that was
    /// copying (COPY, COPY(RS), RCPY) starts its copy again from the first track, so an S-VOL whose initial copy never
    /// finished stays in COPY and is never a plain volume.
    /// </summary>
    /// <param name="row">The kept row (a local pair; a remote one goes to <see cref="RestoreRemote"/> with the LDEV of its side).</param>
    /// <param name="pVol">Its P-VOL's LDEV, attached.</param>
    /// <param name="sVol">Its S-VOL's LDEV, attached.</param>
    /// <param name="loadBitmaps">Marks the kept bitmaps into the new row's P-side and S-side bitmaps.</param>
    /// <param name="afterCrash">True when the state was not written by a graceful stop.</param>
    /// <param name="inFlight">After a crash, the write-intent regions of the pair's volumes and of every volume joined
    /// to them by pairs (<see cref="WriteIntent.RegionTracks"/> tracks per bit): the only places a write may have been
    /// half done. Null when they are not known: then every track is suspect.</param>
    /// <returns>Null when restored; else why not.</returns>
    public string? Restore(PairSnapshot row, Ldev pVol, Ldev sVol, Action<MirrorPair> loadBitmaps, bool afterCrash, ulong[]? inFlight = null)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(pVol);
        ArgumentNullException.ThrowIfNull(sVol);
        ArgumentNullException.ThrowIfNull(loadBitmaps);
        if (row.Type != MirrorType.Local)
        {
            return RestoreRemote(row, row.Role == PairRole.SVol ? sVol : pVol, loadBitmaps, afterCrash);
        }

        lock (_lock)
        {
            if (pVol.BlockCount != sVol.BlockCount)
            {
                return "pair " + row.PVol + " -> " + row.SVol + ": the LDEVs now have " + pVol.BlockCount + " and " + sVol.BlockCount + " blocks (resized since the pair was made)";
            }

            foreach (MirrorPair other in _pairs)
            {
                if (other.EntryId == row.EntryId || ReferenceEquals(other.SVol, sVol) || (ReferenceEquals(other.PVol, pVol) && other.MirrorUnit == row.MirrorUnit))
                {
                    return "pair " + row.PVol + " -> " + row.SVol + " collides with the restored pair " + other.PVolAddress + " -> " + other.SVolAddress;
                }
            }

            MirrorPair pair = new(row.EntryId, row.PVol, pVol, row.SVol, sVol, row.MirrorUnit, MirrorType.Local)
            {
                SplitMode = row.SplitMode,
                PVolProtected = row.PVolProtected,
                SplitSequence = row.SplitSequence,
                SplitTime = row.SplitTime,
                SplitSource = row.SplitSource,
                SplitUpstream = row.SplitUpstream,
                SuspendedWithValidMarks = row.SuspendedWithValidMarks,
            };
            loadBitmaps(pair);
            _nextEntryId = Math.Max(_nextEntryId, row.EntryId + 1);
            _pairs.Add(pair);
            _byAddress.Add(new PairAddress(row.PVol, row.SVol), pair);
            if (row.MirrorName is string name)
            {
                // The name's order is rebuilt from the rows (entry order); a local name has no peer members.
                pair.MirrorName = name;
                List<MirrorPair> members = _mirrorNames.TryGetValue(name, out List<MirrorPair>? known) ? known : (_mirrorNames[name] = []);
                members.Add(pair);
                _nameOrder[name] = [.. _nameOrder.GetValueOrDefault(name) ?? [], new PairAddress(row.PVol, row.SVol)];
            }

            PublishPairingUnsynchronized(pair);
            // Marks a command made without a host write may be missing from the kept bitmaps: no intent covers them.
            ulong[]? suspect = row.BitmapsAheadOfCheckpoint ? null : inFlight;
            (PairState state, PairOperation operation, CopyJob? job) = RestartUnsynchronized(pair, row.State, afterCrash, suspect);
            pair.State = state;
            job?.Start();
            Log(pair.PVolAddress, pair.SVolAddress, pair.EntryId, operation, CommandResult.Accepted, row.State, state, PairErrorCode.None, PairEventCause.Restart);
            return null;
        }
    }

    // The restart table's cell for a kept state (docs/durability.md): the state to restore and the copy to start.
    private (PairState State, PairOperation Operation, CopyJob? Job) RestartUnsynchronized(MirrorPair pair, PairState kept, bool afterCrash, ulong[]? inFlight)
    {
        switch (kept)
        {
            case PairState.Copy:
                return (PairState.Copy, PairOperation.Create, NewJob(pair, PairOperation.Create, CopyDirection.PVolToSVol, full: true));
            case PairState.CopyResync:
                return (PairState.CopyResync, PairOperation.Resync, NewJob(pair, PairOperation.Resync, CopyDirection.PVolToSVol, full: true));
            case PairState.Rcpy:
                return (PairState.Rcpy, PairOperation.Restore, NewJob(pair, PairOperation.Restore, CopyDirection.SVolToPVol, full: true));
            case PairState.Pair when afterCrash && inFlight is not null && IsEmpty(inFlight):
                // No write was in flight anywhere on its volumes: both sides hold every acknowledged write.
                return (PairState.Pair, PairOperation.Create, null);
            case PairState.Pair when afterCrash:
                // A mirror write in flight may have landed on one volume only: suspended, with every track it may
                // have touched marked, so the resync copies those (and only those).
                MarkSuspect(pair, inFlight);
                pair.SuspendedWithValidMarks = true;
                return (PairState.Psue, PairOperation.SuspendByError, null);
            case PairState.Psus or PairState.Psue when afterCrash:
                // The kept bitmaps hold every mark up to the last sweep's checkpoint; later marks are in intent regions.
                MarkSuspect(pair, inFlight);
                return (kept, PairOperation.Split, null);
            default:
                return (kept, kept == PairState.Pair ? PairOperation.Create : PairOperation.Split, null);
        }
    }

    /// <summary>Gets the most pairs a write passes through, P-VOL to the last cascade (a drain needs one round per hop).</summary>
    /// <returns>The hops; 0 with no pair.</returns>
    internal int LongestChain()
    {
        lock (_lock)
        {
            return LongestChainUnsynchronized();
        }
    }

    // Marks every track of the regions written while the crash came, on both sides; every track when they are unknown.
    private static void MarkSuspect(MirrorPair pair, ulong[]? inFlight)
    {
        if (inFlight is null)
        {
            pair.PVolBitmap.SetRange(0, pair.PVolBitmap.TrackCount - 1);
            pair.SVolBitmap.SetRange(0, pair.SVolBitmap.TrackCount - 1);
            return;
        }

        long tracks = pair.PVolBitmap.TrackCount;
        for (int w = 0; w < inFlight.Length; w++)
        {
            ulong word = inFlight[w];
            while (word != 0)
            {
                long region = (w * 64L) + System.Numerics.BitOperations.TrailingZeroCount(word);
                word &= word - 1;
                long first = region * WriteIntent.RegionTracks;
                if (first >= tracks)
                {
                    break;
                }

                long last = Math.Min(first + WriteIntent.RegionTracks, tracks) - 1;
                pair.PVolBitmap.SetRange(first, last);
                pair.SVolBitmap.SetRange(first, last);
            }
        }
    }

    private static bool IsEmpty(ulong[] regions)
    {
        return Array.TrueForAll(regions, word => word == 0);
    }

    private static PairSnapshot Snapshot(MirrorPair pair)
    {
        return new PairSnapshot
        {
            EntryId = pair.EntryId,
            PVol = pair.PVolAddress,
            PVolLdev = pair.PVol.Id,
            SVol = pair.SVolAddress,
            SVolLdev = pair.SVol.Id,
            MirrorUnit = pair.MirrorUnit,
            Type = pair.Type,
            Role = pair.LocalRole,
            Fence = pair.Fence,
            Peer = pair.Peer,
            Determining = pair.Determining,
            State = pair.State,
            SplitMode = pair.SplitMode,
            PVolProtected = pair.PVolProtected,
            BitmapsAheadOfCheckpoint = pair.OwedStamp != 0,
            SuspendedWithValidMarks = pair.SuspendedWithValidMarks,
            MirrorName = pair.MirrorName,
            SplitSequence = pair.SplitSequence,
            SplitTime = pair.SplitTime,
            SplitSource = pair.SplitSource,
            SplitUpstream = pair.SplitUpstream,
        };
    }

    // Under the lock: marks the row of an accepted change for the next CommitState (a deleted row is found missing then).
    private void KeepUnsynchronized(int entryId)
    {
        if (entryId != 0 && StateSink is not null)
        {
            _unkept.Add(entryId);
        }
    }

    // Under the lock: rows whose mirror name changed.
    private void KeepUnsynchronized(IEnumerable<MirrorPair> rows)
    {
        foreach (MirrorPair row in rows)
        {
            KeepUnsynchronized(row.EntryId);
        }
    }

    // The commit scheduled for copy jobs waiting on a change no command commits (it blocks for the journal's sync,
    // so it runs as its own work item, never on an MP).
    private sealed class CommitForJobs(CopyManagementTable table) : IWorkItem
    {
        void System.Threading.IThreadPoolWorkItem.Execute()
        {
            table.CommitState();
        }
    }
}
