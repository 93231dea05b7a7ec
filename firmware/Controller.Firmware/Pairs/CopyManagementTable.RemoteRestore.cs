// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Addressing;
using Controller.Firmware.RemoteCopy;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Pairs;

/// <summary>
/// Brings back a kept remote pair's row at a restart (docs/durability.md, the restart table's remote rows), at either
/// side. The primary owns the pair's state, so its row takes the restart table's decision: a mirroring pair after a
/// crash cannot know whether its last update copies reached the secondary and is suspended by error with its P side
/// marked; a copying pair copies again, from the first track, once its link is up. The secondary decides nothing
/// (CopyManagementTable.RemoteSecondary.cs): its row comes back as kept, following the same peer, until the primary's
/// next pair-control message. A row follows the link peer it names, or the start is refused: a remote pair is never
/// dropped silently.
/// </summary>
public sealed partial class CopyManagementTable
{
    // Restored remote pairs at their primary whose copy starts again when their link is up (they are in COPY or
    // COPY(RS) without a job until then), in entry order; and the paths watched for that.
    private readonly List<MirrorPair> _copiesAwaitingLink = [];
    private readonly HashSet<IRemoteCopyPath> _pathsWatchedForRestart = [];

    /// <summary>
    /// Brings back a kept remote pair's row by the restart table's remote rows (docs/durability.md). At the primary
    /// (the kept row's role is P-VOL) the row uses the remote-copy path that reaches its S-VOL's port, which must have
    /// been added (<see cref="AddRemotePath"/>) before: after a crash a pair that was PAIR is suspended by error
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
        lock (_lock)
        {
            IRemoteCopyPath? path = null;
            if (!secondary)
            {
                path = FindRemotePathUnsynchronized(row.SVol.PortId);
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
            Ldev far = new(new LdevId(ushort.MaxValue), new RemoteVolume(secondary ? row.PVol : row.SVol, local.BlockCount, path), local.Geometry);
            if (!secondary)
            {
                far.Owner = _mps[_nextProxyMp++ % _mps.Count];
            }

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
            _nextEntryId = Math.Max(_nextEntryId, row.EntryId + 1);
            AddRowUnsynchronized(pair);
            if (row.MirrorName is string name)
            {
                // The name's order is rebuilt from this subsystem's rows (entry order); members in the peer are not kept here.
                pair.MirrorName = name;
                List<MirrorPair> members = _mirrorNames.TryGetValue(name, out List<MirrorPair>? known) ? known : (_mirrorNames[name] = []);
                members.Add(pair);
                _nameOrder[name] = [.. _nameOrder.GetValueOrDefault(name) ?? [], new PairAddress(row.PVol, row.SVol)];
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
            Log(pair.PVolAddress, pair.SVolAddress, pair.EntryId, operation, CommandResult.Accepted, row.State, state, PairErrorCode.None, PairEventCause.Restart);
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
        lock (_lock)
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
        foreach (MirrorPair other in _pairs)
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
                    lock (_lock)
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
            if (!IsInTableUnsynchronized(pair) || state is not (PairState.Copy or PairState.CopyResync) || pair.Job is not null)
            {
                continue;
            }

            RemoteControl told = new(RemoteControlKind.SetState, new PairAddress(pair.PVolAddress, pair.SVolAddress)) { State = state };
            TellSecondary(pair, told, reply =>
            {
                if (!reply.IsGood)
                {
                    SuspendOnFault(pair, reply.Status == RemoteStatus.LinkDown ? PairEventCause.LinkDown : PairEventCause.PeerRefused);
                    return;
                }

                lock (_lock)
                {
                    if (IsInTableUnsynchronized(pair) && pair.State == state && pair.Job is null)
                    {
                        NewJob(pair, state == PairState.Copy ? PairOperation.Create : PairOperation.Resync, CopyDirection.PVolToSVol, full: true).Start();
                    }
                }
            });
        }
    }
}
