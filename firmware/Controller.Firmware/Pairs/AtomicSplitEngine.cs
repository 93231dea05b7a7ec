// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Queues;
using Controller.Firmware.RemoteCopy;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Pairs;

/// <summary>
/// The atomic splits of one table (seed 000 FIG 7-11, docs/architecture.md decision 2): the all-or-nothing pre-check,
/// the members a running split keeps busy, the holds or the cut, the drain, the split log, and the outcomes owed to a
/// peer. Each accepted split is run by its own <see cref="SplitCoordinator"/>; a split whose members live in two
/// subsystems is partitioned here (the coordinator's side; the peer's is <see cref="PeerSplits"/>).
/// </summary>
/// <remarks>
/// Overlapping splits: a split whose members (or their P-VOLs) are in a split still running is refused with
/// <see cref="PairErrorCode.SplitInProgress"/> (BUSY), never queued, so no split waits for another and no
/// interleaving can deadlock; disjoint splits run independently.
/// </remarks>
internal sealed class AtomicSplitEngine
{
    private readonly CopyManagementTable _table;
    private readonly EventRing<SplitLogEntry> _log = new(CopyManagementTable.EventCapacity);
    private readonly Dictionary<Ldev, SplitCoordinator> _splitVolumes = [];
    private readonly HashSet<PairAddress> _seenScratch = [];

    // Outcomes (confirm, abort) a peer has not acknowledged yet: sent again when its path is back up.
    private readonly List<(IRemoteCopyPath Path, RemoteControl Message)> _pendingOutcomes = [];
    private int _nextSplitId = 1;

    /// <summary>Initializes the splits of a table.</summary>
    /// <param name="table">The table (its owners, its MPs).</param>
    /// <param name="sequencer">The controller's write sequence: split points.</param>
    /// <param name="scheduler">Timers, drains and the clock.</param>
    public AtomicSplitEngine(CopyManagementTable table, WriteSequencer sequencer, IScheduler scheduler)
    {
        _table = table;
        Registry = table.Registry;
        States = table.States;
        Sequencer = sequencer;
        Scheduler = scheduler;
    }

    /// <summary>Gets the rows and the lock.</summary>
    public PairRegistry Registry { get; }

    /// <summary>Gets the state machine (its event log records each member's split).</summary>
    public PairStateMachine States { get; }

    /// <summary>Gets the write sequence.</summary>
    public WriteSequencer Sequencer { get; }

    /// <summary>Gets the scheduler.</summary>
    public IScheduler Scheduler { get; }

    /// <summary>Gets the primary side of the link (a remote member's secondary is told the split).</summary>
    public RemotePrimary Primary => _table.Primary;

    /// <summary>Gets the handler that runs a released write as if it had just arrived.</summary>
    public ICommandHandler<BlockCommand> Handler => _table.Handler!;

    /// <summary>Gets or sets the serial number of the subsystem (it names the splits it coordinates).</summary>
    public int Serial { get; set; } = 1;

    /// <summary>Gets or sets the fault-injection point called when a split's drain is done (see <see cref="CopyManagementTable.BeforeSplitCommit"/>).</summary>
    public Func<AtomicSplit, TimeSpan>? BeforeSplitCommit { get; set; }

    /// <summary>Gets or sets the fault-injection point called right after a start leaves the lock.</summary>
    public Action<AtomicSplit>? AfterStartUnlocked { get; set; }

    /// <summary>Starts an ATOMIC SPLIT (see <see cref="CopyManagementTable.StartAtomicSplit"/>).</summary>
    /// <param name="request">The command.</param>
    /// <param name="completed">Called once with the answer.</param>
    /// <returns>The split.</returns>
    public AtomicSplit Start(AtomicSplitRequest request, Action<AtomicSplitResult>? completed)
    {
        long start = Scheduler.Time.GetTimestamp();
        SplitCoordinator split;
        SplitDrain? drain = null;
        bool armed = false;
        bool refused = false;
        lock (Registry.Lock)
        {
            int id = _nextSplitId++;
            PairAddress[] addresses = ExpandUnsynchronized(request, out PairErrorCode error, out PairAddress? failed, out SplitNote reason);
            PairAddress[] local = addresses;
            PeerSplitPart? peer = null;
            if (error == PairErrorCode.None)
            {
                local = PartitionUnsynchronized(addresses, out peer, out error, out failed, out reason);
            }

            MirrorPair[] members = error == PairErrorCode.None ? PreCheckUnsynchronized(local, out error, out failed, out reason) : [];
            if (error == PairErrorCode.None && peer is not null)
            {
                error = CheckCrossUnsynchronized(members, peer, out failed, out reason);
            }

            split = new SplitCoordinator(this, new AtomicSplit(id, request, completed), members, addresses, start) { Identity = new SplitIdentity(Serial, id), Peer = peer };
            if (error == PairErrorCode.None)
            {
                BeginUnsynchronized(split);
                if (peer is null || request.Mechanism == AtomicSplitMechanism.Freeze)
                {
                    // A freeze holds here first; the peer is asked to split once everything held here has drained
                    // into the link (the coordinator's commit), so its members' images have every write admitted before.
                    drain = ArmUnsynchronized(split);
                    armed = true;
                }
            }
            else
            {
                // Refused: answered below, outside the lock.
                refused = split.RefuseUnsynchronized(error, failed, reason);
            }
        }

        AfterStartUnlocked?.Invoke(split.Split);

        // Decided under the lock, not read again: once the lock is left the hold timer (or a peer's abort) may end an
        // accepted split and answer it; only a refusal is this thread's to answer.
        if (refused)
        {
            split.AnswerRefusal();
            return split.Split;
        }

        split.Run(armed, drain);
        return split.Split;
    }

    /// <summary>Lists the split log, oldest first, formatted outside the lock.</summary>
    /// <returns>A copy of the events.</returns>
    public IReadOnlyList<AtomicSplitEvent> GetSplitEvents()
    {
        SplitLogEntry[] kept;
        lock (Registry.Lock)
        {
            kept = _log.ToArray();
        }

        AtomicSplitEvent[] events = new AtomicSplitEvent[kept.Length];
        for (int i = 0; i < kept.Length; i++)
        {
            events[i] = kept[i].ToEvent();
        }

        return events;
    }

    /// <summary>Adds an entry to the split log, its words unformatted (under the lock).</summary>
    /// <param name="splitId">The split's number here (0: none was made).</param>
    /// <param name="phase">The phase.</param>
    /// <param name="detail">The words.</param>
    public void LogUnsynchronized(int splitId, AtomicSplitPhase phase, SplitNote detail)
    {
        _log.Add(new SplitLogEntry(Scheduler.Time.GetUtcNow(), Sequencer.Current, splitId, phase, detail));
    }

    /// <summary>Takes the next split number (under the lock).</summary>
    /// <returns>The number.</returns>
    public int NextSplitIdUnsynchronized()
    {
        return _nextSplitId++;
    }

    /// <summary>
    /// All or nothing (S1020/S1030): every member exists, once, is in PAIR and in no other running split; else the
    /// first failing pair and why, and nothing has changed (under the lock).
    /// </summary>
    /// <param name="addresses">The members here.</param>
    /// <param name="error">None, or why not.</param>
    /// <param name="failed">The failing member.</param>
    /// <param name="reason">The words.</param>
    /// <returns>The rows, in order; empty when refused.</returns>
    public MirrorPair[] PreCheckUnsynchronized(PairAddress[] addresses, out PairErrorCode error, out PairAddress? failed, out SplitNote reason)
    {
        // A scratch set kept between splits (under the lock), so a split of many members allocates none.
        HashSet<PairAddress> seen = _seenScratch;
        seen.Clear();
        MirrorPair[] members = new MirrorPair[addresses.Length];
        for (int i = 0; i < addresses.Length; i++)
        {
            PairAddress address = addresses[i];
            failed = address;
            if (!seen.Add(address))
            {
                error = PairErrorCode.DuplicatePair;
                reason = new SplitNote("pair {0} is listed twice", address);
                return [];
            }

            MirrorPair? pair = Registry.FindUnsynchronized(address.PVol, address.SVol);
            if (pair is null)
            {
                error = PairErrorCode.PairNotFound;
                reason = new SplitNote("pair {0} does not exist", address);
                return [];
            }

            if (pair.ActiveSplit is not null || _splitVolumes.ContainsKey(pair.PVol))
            {
                int other = pair.ActiveSplit?.Id ?? _splitVolumes[pair.PVol].Id;
                error = PairErrorCode.SplitInProgress;
                reason = new SplitNote("pair {0} (or its P-VOL) is in atomic split {1}, still running: BUSY", address, other);
                return [];
            }

            if (pair.State != PairState.Pair)
            {
                error = pair.State switch
                {
                    PairState.Psus => PairErrorCode.PairSuspended,
                    PairState.Psue => PairErrorCode.SuspendedByError,
                    _ => PairErrorCode.CopyInProgress,
                };
                reason = new SplitNote("pair {0} is {1}, not PAIR", address, PairStateNames.Of(pair.State));
                return [];
            }

            members[i] = pair;
        }

        error = PairErrorCode.None;
        failed = null;
        reason = SplitNote.Empty;
        return members;
    }

    /// <summary>The members are marked busy and the hold timeout armed (S1050 follows in <see cref="ArmUnsynchronized"/>).</summary>
    /// <param name="split">The split.</param>
    public void BeginUnsynchronized(SplitCoordinator split)
    {
        foreach (MirrorPair pair in split.Members)
        {
            pair.ActiveSplit = split.Split;
            _splitVolumes[pair.PVol] = split;
        }

        split.StartTimerUnsynchronized();
    }

    /// <summary>The members are free for the next split (under the lock).</summary>
    /// <param name="split">The split.</param>
    public void ReleaseMembersUnsynchronized(SplitCoordinator split)
    {
        foreach (MirrorPair pair in split.Members)
        {
            pair.ActiveSplit = null;
            _splitVolumes.Remove(pair.PVol);
        }
    }

    /// <summary>S1050 (freeze: the holds) or the cut, then the drain that follows it (under the lock).</summary>
    /// <param name="split">The split.</param>
    /// <returns>The drain, or null when there is nothing here to drain.</returns>
    public SplitDrain? ArmUnsynchronized(SplitCoordinator split)
    {
        SplitNote detail;
        if (split.Request.Mechanism == AtomicSplitMechanism.Freeze)
        {
            List<HoldGate> gates = [];
            foreach (MirrorPair pair in split.Members)
            {
                HoldUnsynchronized(gates, pair.PVol);
            }

            split.Gates = [.. gates];
            detail = new SplitNote("freeze: {0} members, {1} P-VOLs held", split.Members.Length, gates.Count);
        }
        else
        {
            SplitCut cut = new(Sequencer);
            foreach (MirrorPair pair in split.Members)
            {
                pair.Cut = cut;
            }

            // The remote pairs feeding the peer's members carry the cut to it in their update copies.
            foreach (MirrorPair feeding in split.Peer?.Feeding ?? [])
            {
                feeding.StreamCut = cut;
            }

            // Armed on every member first, then the point is taken (SplitCut explains the order).
            split.Cut = cut;
            long point = cut.TakePoint();
            detail = split.Peer is null
                ? new SplitNote("sequence cut at {0}: {1} members, no write held", point, split.Members.Length)
                : new SplitNote("sequence cut at {0}: {1} members here, {2} in the peer, no write held", point, split.Members.Length, split.Peer.Members.Length);
        }

        split.HoldTicks = Scheduler.Time.GetTimestamp();
        LogUnsynchronized(split.Id, AtomicSplitPhase.Hold, detail);
        return MakeDrainUnsynchronized(split);
    }

    /// <summary>Parks every write the volume's MP takes from now on (once per volume: members may share a P-VOL).</summary>
    /// <param name="gates">The gates of the split so far; a new one is added.</param>
    /// <param name="volume">The P-VOL.</param>
    public void HoldUnsynchronized(List<HoldGate> gates, Ldev volume)
    {
        if (volume.Hold is null)
        {
            // An update copy numbered from here on arrived after the hold (numbers are taken when it arrives).
            HoldGate gate = new(volume, Scheduler.Time, Sequencer.Current + 1);
            gates.Add(gate);

            // From here on this P-VOL's MP parks every write it takes; a write it already took is drained.
            volume.Hold = gate;
        }
    }

    /// <summary>
    /// The drain of the writes admitted before the hold or the cut: over every MP here, one round per hop of the
    /// longest chain. A coordinator with no member here drains the remote pairs that feed the peer's members.
    /// </summary>
    /// <param name="split">The split.</param>
    /// <returns>The drain, or null when there is nothing to drain.</returns>
    public SplitDrain? MakeDrainUnsynchronized(SplitCoordinator split)
    {
        Ldev? any = split.Members.Length > 0 ? split.Members[0].PVol : split.Peer?.Feeding.Length > 0 ? split.Peer.Feeding[0].PVol : null;
        return any is null ? null : new SplitDrain(_table.Mps, any, Registry.LongestChainUnsynchronized() + 1, Scheduler, split.OnDrained);
    }

    /// <summary>A confirm or an abort must reach the peer: if the link fails, it goes again when the path is back up.</summary>
    /// <param name="path">The path to the peer.</param>
    /// <param name="message">The outcome.</param>
    public void SendOutcome(IRemoteCopyPath path, RemoteControl message)
    {
        path.SendControl(message, reply =>
        {
            if (reply.Status == RemoteStatus.LinkDown)
            {
                lock (Registry.Lock)
                {
                    _pendingOutcomes.Add((path, message));
                }
            }
        });
    }

    /// <summary>The path is back up: the outcomes it failed to carry go again.</summary>
    /// <param name="path">The path.</param>
    public void ResendOutcomes(IRemoteCopyPath path)
    {
        List<RemoteControl> due = [];
        lock (Registry.Lock)
        {
            for (int i = _pendingOutcomes.Count - 1; i >= 0; i--)
            {
                if (ReferenceEquals(_pendingOutcomes[i].Path, path))
                {
                    due.Insert(0, _pendingOutcomes[i].Message);
                    _pendingOutcomes.RemoveAt(i);
                }
            }
        }

        foreach (RemoteControl message in due)
        {
            SendOutcome(path, message);
        }
    }

    /// <summary>A split message to the peer.</summary>
    /// <param name="kind">Prepare, commit, abort or confirm.</param>
    /// <param name="split">The split.</param>
    /// <param name="members">The peer's members (empty for an outcome).</param>
    /// <returns>The message.</returns>
    public RemoteControl SplitMessage(RemoteControlKind kind, SplitCoordinator split, IReadOnlyList<PairAddress> members)
    {
        return new RemoteControl(kind, default)
        {
            Split = split.Identity,
            Mechanism = split.Request.Mechanism,
            SplitMode = split.Request.SplitMode,
            HoldTimeout = split.Request.HoldTimeout,
            SplitTime = split.CommitTime,
            Members = members,
        };
    }

    /// <summary>LINK_DOWN when the link failed; else the peer's own reason (PEER_NACK: a member not found, not PAIR, busy).</summary>
    /// <param name="reply">The peer's reply.</param>
    /// <returns>The error.</returns>
    public static PairErrorCode PeerError(RemoteControlReply reply)
    {
        return reply.Status == RemoteStatus.LinkDown ? PairErrorCode.LinkDown : reply.Error;
    }

    /// <summary>The remote pairs feeding the peer's members stop carrying the cut.</summary>
    /// <param name="peer">The peer's part.</param>
    public static void ClearStreamCutsUnsynchronized(PeerSplitPart peer)
    {
        foreach (MirrorPair feeding in peer.Feeding)
        {
            feeding.StreamCut = null;
        }
    }

    private PairAddress[] ExpandUnsynchronized(AtomicSplitRequest request, out PairErrorCode error, out PairAddress? failed, out SplitNote reason)
    {
        failed = null;
        if (request.MirrorName is string name)
        {
            if (!_table.Names.TryGetMembersUnsynchronized(name, out PairAddress[] named))
            {
                error = PairErrorCode.UnknownMirrorName;
                reason = new SplitNote("no mirror name '{0}' is defined", name);
                return [];
            }

            // Every member, here and in the peer, in the order the name was defined.
            error = PairErrorCode.None;
            reason = SplitNote.Empty;
            return [.. named];
        }

        PairAddress[] listed = [.. request.Pairs!];
        if (listed.Length == 0)
        {
            error = PairErrorCode.EmptyPairList;
            reason = SplitNote.Text("the pair list is empty: an atomic split needs one pair or more");
            return listed;
        }

        error = PairErrorCode.None;
        reason = SplitNote.Empty;
        return listed;
    }

    // Splits the members listed into those of this subsystem and those of one peer (by the path that reaches their
    // P-VOL's port). A pair whose row here is the secondary's belongs to its primary, the peer.
    private PairAddress[] PartitionUnsynchronized(PairAddress[] addresses, out PeerSplitPart? peer, out PairErrorCode error, out PairAddress? failed, out SplitNote reason)
    {
        peer = null;
        error = PairErrorCode.None;
        failed = null;
        reason = SplitNote.Empty;
        List<PairAddress> local = [];
        List<PairAddress> remote = [];
        IRemoteCopyPath? path = null;
        foreach (PairAddress address in addresses)
        {
            MirrorPair? row = Registry.FindUnsynchronized(address.PVol, address.SVol);
            if (row is not null && !row.IsSecondary)
            {
                local.Add(address);
                continue;
            }

            IRemoteCopyPath? reaching = Primary.FindRemotePathUnsynchronized(address.PVol.PortId);
            if (reaching is null)
            {
                // Not here and not in a peer: the pre-check reports it (PairNotFound, or NotPrimary for a secondary row).
                if (row is not null)
                {
                    error = PairErrorCode.NotPrimary;
                    failed = address;
                    reason = new SplitNote("pair {0} is split at its primary, which no remote-copy path of this subsystem reaches", address);
                    return [];
                }

                local.Add(address);
                continue;
            }

            if (path is not null && !ReferenceEquals(path, reaching))
            {
                error = PairErrorCode.NotSupportedForMirrorType;
                failed = address;
                reason = new SplitNote("pair {0} is in a third subsystem: an atomic split spans this subsystem and one peer", address);
                return [];
            }

            path = reaching;
            remote.Add(address);
        }

        if (path is not null)
        {
            // The remote pairs of this subsystem whose S-VOLs are P-VOLs of the peer's members: they feed them.
            List<MirrorPair> feeding = [];
            foreach (MirrorPair pair in Registry.RowsUnsynchronized)
            {
                if (ReferenceEquals(pair.Path, path) && remote.Exists(member => member.PVol == pair.SVolAddress))
                {
                    feeding.Add(pair);
                }
            }

            peer = new PeerSplitPart(path, [.. remote], [.. feeding]);
        }

        return [.. local];
    }

    // A member here fed by a remote pair whose primary is elsewhere would wait for writes the peer holds: such a split
    // is coordinated from the upstream subsystem.
    private static PairErrorCode CheckCrossUnsynchronized(MirrorPair[] members, PeerSplitPart peer, out PairAddress? failed, out SplitNote reason)
    {
        foreach (MirrorPair member in members)
        {
            if (member.PVol.Pairing.AsSVol is { IsSecondary: true } upstream)
            {
                failed = new PairAddress(member.PVolAddress, member.SVolAddress);
                reason = new SplitNote("member {0} is fed by the remote pair {1} -> {2}: issue a split spanning both subsystems at the upstream one", failed, upstream.PVolAddress, upstream.SVolAddress);
                return PairErrorCode.NotPrimary;
            }
        }

        failed = null;
        reason = SplitNote.Empty;
        return peer.Members.Length == 0 ? PairErrorCode.EmptyPairList : PairErrorCode.None;
    }
}
