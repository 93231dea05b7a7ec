// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

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

        lock (_lock)
        {
            if (_unkept.Count > 0)
            {
                foreach (MirrorPair pair in _pairs)
                {
                    if (_unkept.Remove(pair.EntryId))
                    {
                        sink.RowChanged(Snapshot(pair));
                    }
                }

                // What is left is no longer in the table.
                foreach (int deleted in _unkept)
                {
                    sink.RowDeleted(deleted);
                }

                _unkept.Clear();
            }
        }

        sink.Commit();
    }

    /// <summary>
    /// Hands every row, as plain values and as rows (for their bitmaps), to a checkpoint writer while holding the
    /// table's lock: no change can be made, and so none journaled, between the snapshot and the writer's end, so the
    /// checkpoint may replace the journal. Host writes do not wait (they never take the lock); commands do.
    /// </summary>
    /// <param name="write">Writes the checkpoint; runs under the lock.</param>
    public void Checkpoint(Action<List<PairSnapshot>, IReadOnlyList<MirrorPair>> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        lock (_lock)
        {
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
    /// <returns>Null when restored; else why not.</returns>
    public string? Restore(PairSnapshot row, Ldev pVol, Ldev sVol, Action<MirrorPair> loadBitmaps, bool afterCrash)
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
            (PairState state, PairOperation operation, CopyJob? job) = RestartUnsynchronized(pair, row.State, afterCrash);
            pair.State = state;
            job?.Start();
            Log(pair.PVolAddress, pair.SVolAddress, pair.EntryId, operation, CommandResult.Accepted, row.State, state, PairErrorCode.None, PairEventCause.Restart);
            return null;
        }
    }

    // The restart table's cell for a kept state (docs/durability.md): the state to restore and the copy to start.
    private (PairState State, PairOperation Operation, CopyJob? Job) RestartUnsynchronized(MirrorPair pair, PairState kept, bool afterCrash)
    {
        switch (kept)
        {
            case PairState.Copy:
                return (PairState.Copy, PairOperation.Create, NewJob(pair, PairOperation.Create, CopyDirection.PVolToSVol, full: true));
            case PairState.CopyResync:
                return (PairState.CopyResync, PairOperation.Resync, NewJob(pair, PairOperation.Resync, CopyDirection.PVolToSVol, full: true));
            case PairState.Rcpy:
                return (PairState.Rcpy, PairOperation.Restore, NewJob(pair, PairOperation.Restore, CopyDirection.SVolToPVol, full: true));
            case PairState.Pair when afterCrash:
                MarkEverything(pair);
                return (PairState.Psue, PairOperation.SuspendByError, null);
            case PairState.Psus or PairState.Psue when afterCrash:
                MarkEverything(pair);
                return (kept, PairOperation.Split, null);
            default:
                return (kept, kept == PairState.Pair ? PairOperation.Create : PairOperation.Split, null);
        }
    }

    private static void MarkEverything(MirrorPair pair)
    {
        pair.PVolBitmap.SetRange(0, pair.PVolBitmap.TrackCount - 1);
        pair.SVolBitmap.SetRange(0, pair.SVolBitmap.TrackCount - 1);
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
}
