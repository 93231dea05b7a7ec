// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.RemoteCopy;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Pairs;

/// <summary>
/// Brings kept rows back at a restart, through the registry (docs/durability.md, the restart table), for local pairs
/// and for remote pairs at either side. After a graceful stop a row keeps its state and bitmaps; after a crash the
/// tracks a write may have been half done on are marked, a mirroring pair is suspended by error, and a copying pair
/// copies again from the first track (a remote one once its link is up). The secondary decides nothing
/// (<see cref="RemoteSecondary"/>): its row comes back as kept, following the same peer, until the primary's next
/// pair-control message. A remote row follows the link peer it names, or the start is refused: a remote pair is never
/// dropped silently. What is kept is marked at the registry's boundary (PairRegistry.Persistence.cs).
/// </summary>
internal sealed class PairRestorer
{
    private readonly CopyManagementTable _table;
    private readonly PairRegistry _registry;
    private readonly PairStateMachine _states;

    // Restored remote pairs at their primary whose copy starts again when their link is up (they are in COPY or
    // COPY(RS) without a job until then), in entry order; and the paths watched for that.
    private readonly List<MirrorPair> _copiesAwaitingLink = [];
    private readonly HashSet<IRemoteCopyPath> _pathsWatchedForRestart = [];

    /// <summary>Initializes the restorer of a table.</summary>
    /// <param name="table">The table (its owners).</param>
    public PairRestorer(CopyManagementTable table)
    {
        _table = table;
        _registry = table.Registry;
        _states = table.States;
    }

    /// <summary>
    /// Brings back a kept remote pair's row by the restart table's remote rows (docs/durability.md). At the primary
    /// (the kept row's role is P-VOL) the row uses the remote-copy path that reaches its S-VOL's port, which must have
    /// been added (<see cref="CopyManagementTable.AddRemotePath"/>) before: after a crash a pair that was PAIR is suspended by error
    /// (PSUE) and a split or suspended one keeps its state, each with every P-side track marked; COPY and COPY(RS)
    /// keep their state and copy every track again once the path is up (the secondary is told the state first). At
    /// the secondary (role S-VOL) the row comes back as kept, following the peer it names; after a crash the S side
    /// is marked wherever hosts could write the S-VOL (split read/write, an S-VOL takeover).
    /// </summary>
    /// <param name="row">The kept row (a remote pair).</param>
    /// <param name="local">The LDEV of this subsystem's volume: the P-VOL at the primary, the S-VOL at the secondary; attached.</param>
    /// <param name="loadBitmaps">Marks the kept bitmaps into the new row's P-side and S-side bitmaps.</param>
    /// <param name="afterCrash">True when the state was not written by a graceful stop.</param>
    /// <returns>Null when restored; else why not (the row, and what the configuration lacks).</returns>
    public string? RestoreRemote(PairSnapshot row, Ldev local, Action<MirrorPair> loadBitmaps, bool afterCrash)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(loadBitmaps);
        bool secondary = row.Role == PairRole.SVol;
        string named = "remote pair " + row.PVol + " -> " + row.SVol + " (" + (secondary ? "S-VOL" : "P-VOL") + " here, " + PairStateNames.Of(row.State) + ")";
        lock (_registry.Lock)
        {
            IRemoteCopyPath? path = null;
            if (!secondary)
            {
                path = _table.Primary.FindRemotePathUnsynchronized(row.SVol.PortId);
                if (path is null)
                {
                    return named + ": no remote-copy path reaches port " + row.SVol.PortId + ", where its S-VOL is (a 'remote-copy-path INITIATOR to ADDRESS:PORT ports " + row.SVol.PortId + "' line); its updates would have nowhere to go";
                }
            }

            if (CollisionOfRestoredUnsynchronized(row, local, secondary) is string collision)
            {
                return named + " collides with the restored " + collision;
            }

            // The far side's stand-in, as the create made it: at the primary owned by an MP, which sends its updates.
            Ldev far = secondary
                ? new(new LdevId(ushort.MaxValue), new RemoteVolume(row.PVol, local.BlockCount, path), local.Geometry)
                : _table.Primary.NewStandInUnsynchronized(row.SVol, local.BlockCount, path!, local.Geometry);

            MirrorPair pair = secondary
                ? new(row.EntryId, row.PVol, far, row.SVol, local, row.MirrorUnit, MirrorType.Remote) { LocalRole = PairRole.SVol, Fence = row.Fence, Peer = row.Peer, Determining = row.Determining }
                : new(row.EntryId, row.PVol, local, row.SVol, far, row.MirrorUnit, MirrorType.Remote) { LocalRole = PairRole.PVol, Fence = row.Fence, Path = path, Determining = row.Determining };
            pair.SplitMode = row.SplitMode;
            pair.PVolProtected = row.PVolProtected;
            pair.SplitSequence = row.SplitSequence;
            pair.SplitTime = row.SplitTime;
            pair.SplitSource = row.SplitSource;
            pair.SplitUpstream = row.SplitUpstream;
            loadBitmaps(pair);
            _registry.ReserveEntryIdUnsynchronized(row.EntryId);
            _registry.AddRowUnsynchronized(pair);
            if (row.MirrorName is string name)
            {
                // The name's order is rebuilt from this subsystem's rows (entry order); members in the peer are not kept here.
                _table.Names.AddRestoredUnsynchronized(pair, name);
            }

            PairState state = RestartRemoteUnsynchronized(pair, row.State, afterCrash);
            pair.State = state;
            PairOperation operation = state != row.State ? PairOperation.SuspendByError
                : state switch
                {
                    PairState.Copy or PairState.Pair => PairOperation.Create,
                    PairState.CopyResync => PairOperation.Resync,
                    _ => PairOperation.Split,
                };
            _states.LogUnsynchronized(pair.PVolAddress, pair.SVolAddress, pair.EntryId, operation, CommandResult.Accepted, row.State, state, PairErrorCode.None, PairEventCause.Restart);
            if (!secondary && state is PairState.Copy or PairState.CopyResync)
            {
                CopyWhenLinkIsUpUnsynchronized(pair);
            }

            return null;
        }
    }

    /// <summary>Gets the restored remote pairs whose copy waits for their link to come up (tests and diagnostics).</summary>
    /// <returns>Their addresses, in entry order.</returns>
    public IReadOnlyList<PairAddress> GetCopiesAwaitingLink()
    {
        lock (_registry.Lock)
        {
            List<PairAddress> waiting = new(_copiesAwaitingLink.Count);
            foreach (MirrorPair pair in _copiesAwaitingLink)
            {
                waiting.Add(new PairAddress(pair.PVolAddress, pair.SVolAddress));
            }

            return waiting;
        }
    }

    // The restart table's remote rows (docs/durability.md): the state a kept remote row comes back in, with the marks
    // it needs. The tracks a crash may have left unmarked are marked in one place, MarkRemoteAfterCrash.
    private static PairState RestartRemoteUnsynchronized(MirrorPair pair, PairState kept, bool afterCrash)
    {
        if (pair.IsSecondary)
        {
            // The secondary never decides: its state is the primary's to change. Its own bitmap (the S side) records
            // host writes to the S-VOL, which only a read/write split (or an S-VOL takeover) admits.
            if (afterCrash && HostWriteAccess.IsAllowed(kept, PairRole.SVol, pair.SplitMode))
            {
                MarkRemoteAfterCrash(pair);
            }

            return kept;
        }

        switch (kept)
        {
            case PairState.Copy:
            case PairState.CopyResync:
                // The tracks still owed lived with the copy job, which is gone: every track is owed again. Marked now,
                // so a suspension before the copy starts (the link failing, a split) keeps them owed.
                pair.PVolBitmap.SetRange(0, pair.PVolBitmap.TrackCount - 1);
                return kept;
            case PairState.Pair when afterCrash:
                // Whether the last update copies reached the secondary is unknown: suspended, and re-sent by the resync.
                MarkRemoteAfterCrash(pair);
                return PairState.Psue;
            case PairState.Psus or PairState.Psue when afterCrash:
                // The P side may miss host writes made since the state was last kept.
                MarkRemoteAfterCrash(pair);
                return kept;
            default:
                return kept;
        }
    }

    // The one place a crash's restart marks a remote row's own side: every track of the P side at the primary, of the S
    // side at the secondary (a superset of what may differ). The write-intent log narrows this to the tracks of the
    // local volume (the P-VOL here, or the S-VOL) with writes in flight at the crash.
    private static void MarkRemoteAfterCrash(MirrorPair pair)
    {
        Bitmaps.DifferentialBitmap own = pair.IsSecondary ? pair.SVolBitmap : pair.PVolBitmap;
        own.SetRange(0, own.TrackCount - 1);
    }

    // Another restored row already holds what this one needs: its entry, its two addresses, its S-VOL at the
    // secondary, the P-VOL's one remote mirror at the primary.
    private string? CollisionOfRestoredUnsynchronized(PairSnapshot row, Ldev local, bool secondary)
    {
        foreach (MirrorPair other in _registry.RowsUnsynchronized)
        {
            bool collides = other.EntryId == row.EntryId
                || (other.PVolAddress == row.PVol && other.SVolAddress == row.SVol)
                || (secondary && other.IsSecondary && other.SVolAddress == row.SVol)
                || (!secondary && other.Type == MirrorType.Remote && !other.IsSecondary && (ReferenceEquals(other.PVol, local) || other.SVolAddress == row.SVol));
            if (collides)
            {
                return "pair " + other.PVolAddress + " -> " + other.SVolAddress;
            }
        }

        return null;
    }

    // Under the lock: the restored copy starts when the pair's path is up (now, if it is).
    private void CopyWhenLinkIsUpUnsynchronized(MirrorPair pair)
    {
        IRemoteCopyPath path = pair.Path!;
        _copiesAwaitingLink.Add(pair);
        if (_pathsWatchedForRestart.Add(path))
        {
            path.StateChanged += up =>
            {
                if (up)
                {
                    lock (_registry.Lock)
                    {
                        StartRestoredCopiesUnsynchronized(path);
                    }
                }
            };
        }

        if (path.IsUp)
        {
            StartRestoredCopiesUnsynchronized(path);
        }
    }

    // The path is up: each restored copy on it tells the secondary its state (a secondary that lost the link has
    // suspended its side, and would refuse the copied tracks), and once the secondary has taken it copies every track.
    // A pair that changed meanwhile (suspended by a failed write, split, deleted) is left as it is: its P side is marked.
    private void StartRestoredCopiesUnsynchronized(IRemoteCopyPath path)
    {
        List<MirrorPair> due = [];
        _copiesAwaitingLink.RemoveAll(pair =>
        {
            bool on = ReferenceEquals(pair.Path, path);
            if (on)
            {
                due.Add(pair);
            }

            return on;
        });
        foreach (MirrorPair pair in due)
        {
            PairState state = pair.State;
            if (!_registry.IsInTableUnsynchronized(pair) || state is not (PairState.Copy or PairState.CopyResync) || pair.Job is not null)
            {
                continue;
            }

            RemoteControl told = new(RemoteControlKind.SetState, new PairAddress(pair.PVolAddress, pair.SVolAddress)) { State = state };
            _table.Primary.TellSecondary(pair, told, reply =>
            {
                if (!reply.IsGood)
                {
                    _states.SuspendOnFault(pair, reply.Status == RemoteStatus.LinkDown ? PairEventCause.LinkDown : PairEventCause.PeerRefused);
                    return;
                }

                lock (_registry.Lock)
                {
                    if (_registry.IsInTableUnsynchronized(pair) && pair.State == state && pair.Job is null)
                    {
                        _states.NewJobUnsynchronized(pair, state == PairState.Copy ? PairOperation.Create : PairOperation.Resync, CopyDirection.PVolToSVol, full: true).Start();
                    }
                }
            });
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
    /// to them by pairs (<see cref="Volumes.WriteIntent.RegionTracks"/> tracks per bit): the only places a write may have been
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

        lock (_registry.Lock)
        {
            if (pVol.BlockCount != sVol.BlockCount)
            {
                return "pair " + row.PVol + " -> " + row.SVol + ": the LDEVs now have " + pVol.BlockCount + " and " + sVol.BlockCount + " blocks (resized since the pair was made)";
            }

            foreach (MirrorPair other in _registry.RowsUnsynchronized)
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
            _registry.ReserveEntryIdUnsynchronized(row.EntryId);
            _registry.AddRowUnsynchronized(pair);
            if (row.MirrorName is string name)
            {
                // The name's order is rebuilt from the rows (entry order); a local name has no peer members.
                _table.Names.AddRestoredUnsynchronized(pair, name);
            }

            // Marks a command made without a host write may be missing from the kept bitmaps: no intent covers them.
            ulong[]? suspect = row.BitmapsAheadOfCheckpoint ? null : inFlight;
            (PairState state, PairOperation operation, CopyJob? job) = RestartUnsynchronized(pair, row.State, afterCrash, suspect);
            pair.State = state;
            job?.Start();
            _states.LogUnsynchronized(pair.PVolAddress, pair.SVolAddress, pair.EntryId, operation, CommandResult.Accepted, row.State, state, PairErrorCode.None, PairEventCause.Restart);
            return null;
        }
    }

    // The restart table's cell for a kept state (docs/durability.md): the state to restore and the copy to start.
    private (PairState State, PairOperation Operation, CopyJob? Job) RestartUnsynchronized(MirrorPair pair, PairState kept, bool afterCrash, ulong[]? inFlight)
    {
        switch (kept)
        {
            case PairState.Copy:
                return (PairState.Copy, PairOperation.Create, _states.NewJobUnsynchronized(pair, PairOperation.Create, CopyDirection.PVolToSVol, full: true));
            case PairState.CopyResync:
                return (PairState.CopyResync, PairOperation.Resync, _states.NewJobUnsynchronized(pair, PairOperation.Resync, CopyDirection.PVolToSVol, full: true));
            case PairState.Rcpy:
                return (PairState.Rcpy, PairOperation.Restore, _states.NewJobUnsynchronized(pair, PairOperation.Restore, CopyDirection.SVolToPVol, full: true));
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
}
