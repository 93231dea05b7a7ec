// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Scheduling;

namespace Controller.Firmware.Pairs;

/// <summary>
/// The kept state at the rows' boundary (docs/durability.md): every accepted change of a row is marked here, under the
/// lock, and handed to the <see cref="StateSink"/> in the order it was made; a checkpoint copies every row under the
/// lock; a copy that changes a target volume starts only once the change that made it is kept.
/// </summary>
internal sealed partial class PairRegistry
{
    // Entry IDs of rows changed (or deleted) since they were last handed to the sink. Marking is all a change does, under
    // the lock; the rows are copied out at CommitState, so no snapshot is built inside an atomic split's hold. Entry IDs
    // are never reused, and each record is a whole row, so the order among rows is free.
    private readonly HashSet<int> _unkept = [];

    private IPairStateSink? _stateSink;

    // Counts commands that moved tracks into bitmaps other than by host writes (MirrorPair.OwedStamp), under the lock.
    private long _owedStamp;

    // Copy jobs whose state change (a resync, a restore, a create, a swap) is not kept yet: a copy changes the target
    // volume's image, so it starts only once CommitState has made the change durable (a crash before that brings the
    // row back in its old state, and its volume must still hold what that state says). Under the lock.
    private List<CopyJob> _jobsAwaitingCommit = [];
    private bool _commitForJobsScheduled;
    private CommitForJobs? _commitForJobs;

    /// <summary>Gets or sets where row changes are kept (null: nowhere, as with RAM stores).</summary>
    public IPairStateSink? StateSink
    {
        get => Volatile.Read(ref _stateSink);
        set => Volatile.Write(ref _stateSink, value);
    }

    /// <summary>Makes every row change made so far durable, then starts the copies that waited for it.</summary>
    public void CommitState()
    {
        IPairStateSink? sink = StateSink;
        if (sink is null)
        {
            return;
        }

        List<CopyJob> jobs;
        lock (Lock)
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
                foreach (MirrorPair pair in _rows)
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

    /// <summary>
    /// Starts a copy job at once when nothing is kept (RAM stores); else once the change that made it is committed: by
    /// the command's own commit before its answer, or by one scheduled here for changes no command commits.
    /// </summary>
    /// <param name="job">The job, its pair already in its new state (under the lock).</param>
    public void StartWhenKeptUnsynchronized(CopyJob job)
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

    /// <summary>Gives an answer only once the change it reports is durable (see <see cref="CopyManagementTable.CommitStateThen"/>).</summary>
    /// <param name="answer">Sends the answer.</param>
    public void CommitStateThen(Action answer)
    {
        if (StateSink is null)
        {
            answer();
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(
            static state =>
            {
                state.Registry.CommitState();
                state.Answer();
            },
            (Registry: this, Answer: answer),
            preferLocal: false);
    }

    /// <summary>Hands every row to a checkpoint writer under the lock (see <see cref="CopyManagementTable.Checkpoint"/>).</summary>
    /// <param name="write">Writes the checkpoint; runs under the lock.</param>
    /// <param name="owedThrough">An owed-marks stamp read before a drain of every write in flight, or 0.</param>
    public void Checkpoint(Action<List<PairSnapshot>, IReadOnlyList<MirrorPair>> write, long owedThrough)
    {
        lock (Lock)
        {
            foreach (MirrorPair pair in _rows)
            {
                if (pair.OwedStamp != 0 && pair.OwedStamp <= owedThrough)
                {
                    // Every copy write cancelled with those marks ran before the drain ended: they are in the bitmaps.
                    pair.OwedStamp = 0;
                }
            }

            List<PairSnapshot> rows = new(_rows.Count);
            foreach (MirrorPair pair in _rows)
            {
                rows.Add(Snapshot(pair));
            }

            rows.Sort((a, b) => a.EntryId.CompareTo(b.EntryId));
            write(rows, _rows);

            // The checkpoint holds every row as it is now: nothing marked is owed to the journal any more.
            _unkept.Clear();
        }
    }

    /// <summary>Gets the count of commands so far that moved tracks into bitmaps other than by host writes.</summary>
    /// <returns>The stamp.</returns>
    public long OwedMarksSoFar()
    {
        lock (Lock)
        {
            return _owedStamp;
        }
    }

    /// <summary>Stamps a row whose bitmaps took marks no host write made (a stopped copy's owed tracks), under the lock.</summary>
    /// <param name="pair">The row.</param>
    public void MarkOwedUnsynchronized(MirrorPair pair)
    {
        // Marks no host write made: no write intent covers them until a checkpoint after a drain holds them.
        pair.OwedStamp = ++_owedStamp;
    }

    /// <summary>Marks the row of an accepted change for the next <see cref="CommitState"/> (a deleted row is found missing then).</summary>
    /// <param name="entryId">The row's entry (0: no row, nothing to keep).</param>
    public void KeepUnsynchronized(int entryId)
    {
        if (entryId != 0 && StateSink is not null)
        {
            _unkept.Add(entryId);
        }
    }

    /// <summary>Marks rows whose mirror name changed.</summary>
    /// <param name="rows">The rows.</param>
    public void KeepUnsynchronized(IEnumerable<MirrorPair> rows)
    {
        foreach (MirrorPair row in rows)
        {
            KeepUnsynchronized(row.EntryId);
        }
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

    // The commit scheduled for copy jobs waiting on a change no command commits (it blocks for the journal's sync,
    // so it runs as its own work item, never on an MP).
    private sealed class CommitForJobs(PairRegistry registry) : IWorkItem
    {
        void System.Threading.IThreadPoolWorkItem.Execute()
        {
            registry.CommitState();
        }
    }
}
