// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using Controller.Firmware.Queues;
using Controller.Firmware.RemoteCopy;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Pairs;

/// <summary>
/// The atomic split of many mirrors at one point (seed 000 FIG 10/11, docs/architecture.md decision 2): the all-or-nothing
/// pre-check, the hold (freeze) or the cut (sequence cut), the drain, the commit of every member at one split point,
/// the release of the held writes, and the abort that leaves every member as it was.
/// </summary>
/// <remarks>
/// Overlapping splits: a split whose members (or their P-VOLs) are in a split still running is refused with
/// <see cref="PairErrorCode.SplitInProgress"/> (BUSY), never queued, so no split waits for another and no
/// interleaving can deadlock; disjoint splits run independently.
/// </remarks>
public sealed partial class CopyManagementTable
{
    private readonly EventRing<AtomicSplitEvent> _splitEvents = new(EventCapacity);
    private readonly Dictionary<Ldev, AtomicSplit> _splitVolumes = [];
    private IReadOnlyList<MpWorker<BlockCommand>> _mps = [];
    private ICommandHandler<BlockCommand>? _handler;
    private int _nextSplitId = 1;

    /// <summary>
    /// Gets or sets a fault-injection point for tests: called when a split's drain is done, before its commit; it may
    /// change pairs (e.g. suspend a member by error) and returns how long to delay the commit (zero: at once), so a
    /// test can make the hold outlast its timeout on the virtual clock.
    /// </summary>
    internal Func<AtomicSplit, TimeSpan>? BeforeSplitCommit { get; set; }

    /// <summary>
    /// Gets or sets a fault-injection point for tests: called by <see cref="StartAtomicSplit"/> right after it leaves
    /// the table's lock, where another thread (the hold timer, a peer's abort) may end the split first.
    /// </summary>
    internal Action<AtomicSplit>? AfterStartUnlocked { get; set; }

    /// <summary>
    /// Starts an ATOMIC SPLIT (FIG 7 by list, FIG 9 by name). A refusal by the pre-check is answered at once; an
    /// accepted split is answered when every member is split and the held writes are released, or when it aborts.
    /// </summary>
    /// <param name="request">The command.</param>
    /// <param name="completed">Called once with the answer (on the calling thread for a refusal, else on an MP or timer thread).</param>
    /// <returns>The split; its <see cref="AtomicSplit.Result"/> is set when it ends.</returns>
    public AtomicSplit StartAtomicSplit(AtomicSplitRequest request, Action<AtomicSplitResult>? completed = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        Action<AtomicSplitResult>? finished = SplitFinished;
        if (finished is not null)
        {
            // The observers first: they only keep the result, and the answer to the host (completed) then finds them done.
            Action<AtomicSplitResult>? answer = completed;
            completed = result =>
            {
                finished(result);
                answer?.Invoke(result);
            };
        }

        if ((request.Pairs is null) == (request.MirrorName is null))
        {
            ThrowHelper.ThrowArgument(nameof(request), "an atomic split names its members by a pair list or by a mirror name, exactly one of them");
        }

        long start = _scheduler.Time.GetTimestamp();
        AtomicSplit split;
        SplitDrain? drain = null;
        bool armed = false;
        bool refused = false;
        lock (_lock)
        {
            int id = _nextSplitId++;
            PairAddress[] addresses = ExpandUnsynchronized(request, out PairErrorCode error, out PairAddress? failed, out string reason);
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

            split = new AtomicSplit(id, request, members, addresses, start, completed) { Identity = new SplitIdentity(Serial, id), Peer = peer };
            if (error == PairErrorCode.None)
            {
                BeginUnsynchronized(split);
                if (peer is null || request.Mechanism == AtomicSplitMechanism.Freeze)
                {
                    // A freeze holds here first; the peer is asked to split once everything held here has drained
                    // into the link (CommitSplit), so its members' images have every write admitted before.
                    drain = ArmUnsynchronized(split);
                    armed = true;
                }
            }
            else
            {
                // Refused: answered below, outside the lock.
                refused = true;
                split.Stage = SplitStage.Finished;
                split.AbortError = error;
                split.AbortPair = failed;
                split.AbortReason = reason;
                LogSplit(split, AtomicSplitPhase.Abort, "refused before the hold: " + reason);
            }
        }

        AfterStartUnlocked?.Invoke(split);

        // Decided under the lock, not read again: once the lock is left the hold timer (or a peer's abort) may end an
        // accepted split and answer it; only a refusal is this thread's to answer.
        if (refused)
        {
            split.Complete(new AtomicSplitResult { SplitId = split.Id, Error = split.AbortError, FailedPair = split.AbortPair, Message = split.AbortReason, Members = split.Addresses });
            return split;
        }

        if (!armed)
        {
            // A cross-subsystem sequence cut: the peer arms its side before this side takes the point.
            SendPrepare(split);
        }
        else if (drain is not null)
        {
            drain.Start();
        }
        else
        {
            OnSplitDrained(split);
        }

        return split;
    }

    /// <summary>
    /// Raised once per atomic split when it ends, refused, aborted or committed, with its result and telemetry (hold
    /// times, drain), whoever started it: a host over the wire, a test, the demo. Runs on the thread that ends the
    /// split (an MP or a timer); a handler must be quick and must not block.
    /// </summary>
    public event Action<AtomicSplitResult>? SplitFinished;

    /// <summary>Lists the split log (hold, drain done, commit, release, abort; the newest <see cref="EventCapacity"/>), oldest first (R0-35).</summary>
    /// <returns>A copy of the events.</returns>
    public IReadOnlyList<AtomicSplitEvent> GetSplitEvents()
    {
        lock (_lock)
        {
            return _splitEvents.ToArray();
        }
    }

    /// <summary>Gives the table the MPs its drains and releases run on (the subsystem does, once, at start).</summary>
    /// <param name="mps">Every MP.</param>
    /// <param name="handler">Runs a released write as if it had just arrived.</param>
    internal void AttachMps(IReadOnlyList<MpWorker<BlockCommand>> mps, ICommandHandler<BlockCommand> handler)
    {
        _mps = mps;
        _handler = handler;
    }

    private PairAddress[] ExpandUnsynchronized(AtomicSplitRequest request, out PairErrorCode error, out PairAddress? failed, out string reason)
    {
        failed = null;
        if (request.MirrorName is string name)
        {
            if (!_nameOrder.TryGetValue(name, out PairAddress[]? named))
            {
                error = PairErrorCode.UnknownMirrorName;
                reason = "no mirror name '" + name + "' is defined";
                return [];
            }

            // Every member, here and in the peer, in the order the name was defined.
            error = PairErrorCode.None;
            reason = string.Empty;
            return [.. named];
        }

        PairAddress[] listed = [.. request.Pairs!];
        if (listed.Length == 0)
        {
            error = PairErrorCode.EmptyPairList;
            reason = "the pair list is empty: an atomic split needs one pair or more";
            return listed;
        }

        error = PairErrorCode.None;
        reason = string.Empty;
        return listed;
    }

    // All or nothing (S1020/S1030): every member exists, once, is in PAIR and in no other running split; else the
    // first failing pair and why, and nothing has changed.
    private MirrorPair[] PreCheckUnsynchronized(PairAddress[] addresses, out PairErrorCode error, out PairAddress? failed, out string reason)
    {
        HashSet<PairAddress> seen = [];
        MirrorPair[] members = new MirrorPair[addresses.Length];
        for (int i = 0; i < addresses.Length; i++)
        {
            PairAddress address = addresses[i];
            failed = address;
            if (!seen.Add(address))
            {
                error = PairErrorCode.DuplicatePair;
                reason = "pair " + address + " is listed twice";
                return [];
            }

            MirrorPair? pair = FindUnsynchronized(address.PVol, address.SVol);
            if (pair is null)
            {
                error = PairErrorCode.PairNotFound;
                reason = "pair " + address + " does not exist";
                return [];
            }

            if (pair.ActiveSplit is not null || _splitVolumes.ContainsKey(pair.PVol))
            {
                AtomicSplit other = pair.ActiveSplit ?? _splitVolumes[pair.PVol];
                error = PairErrorCode.SplitInProgress;
                reason = "pair " + address + " (or its P-VOL) is in atomic split " + other.Id + ", still running: BUSY";
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
                reason = "pair " + address + " is " + PairStateNames.Of(pair.State) + ", not PAIR";
                return [];
            }

            members[i] = pair;
        }

        error = PairErrorCode.None;
        failed = null;
        reason = string.Empty;
        return members;
    }

    // The members are marked busy and the hold timeout armed (S1050 follows in ArmUnsynchronized).
    private void BeginUnsynchronized(AtomicSplit split)
    {
        foreach (MirrorPair pair in split.Members)
        {
            pair.ActiveSplit = split;
            _splitVolumes[pair.PVol] = split;
        }

        split.Timeout = _scheduler.ScheduleAfter(split.Request.HoldTimeout, new SplitTimer(this, split));
    }

    // S1050 (freeze: the holds) or the cut, then the drain that follows it (null: nothing here to drain).
    private SplitDrain? ArmUnsynchronized(AtomicSplit split)
    {
        string detail;
        if (split.Request.Mechanism == AtomicSplitMechanism.Freeze)
        {
            List<HoldGate> gates = [];
            foreach (MirrorPair pair in split.Members)
            {
                HoldUnsynchronized(gates, pair.PVol);
            }

            split.Gates = [.. gates];
            detail = "freeze: " + split.Members.Length + " members, " + gates.Count + " P-VOLs held";
        }
        else
        {
            SplitCut cut = new(_sequencer);
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
            detail = "sequence cut at " + point.ToString(CultureInfo.InvariantCulture) + ": " + split.Members.Length + " members" + (split.Peer is null ? string.Empty : " here, " + split.Peer.Members.Length + " in the peer") + ", no write held";
        }

        split.HoldTicks = _scheduler.Time.GetTimestamp();
        LogSplit(split, AtomicSplitPhase.Hold, detail);
        return MakeDrainUnsynchronized(split);
    }

    // Parks every write the volume's MP takes from now on (once per volume: members may share a P-VOL).
    private void HoldUnsynchronized(List<HoldGate> gates, Ldev volume)
    {
        if (volume.Hold is null)
        {
            // An update copy numbered from here on arrived after the hold (numbers are taken when it arrives).
            HoldGate gate = new(volume, _scheduler.Time, _sequencer.Current + 1);
            gates.Add(gate);

            // From here on this P-VOL's MP parks every write it takes; a write it already took is drained.
            volume.Hold = gate;
        }
    }

    // The drain of the writes admitted before the hold or the cut: over every MP here, one round per hop of the
    // longest chain. A coordinator with no member here drains the remote pairs that feed the peer's members.
    private SplitDrain? MakeDrainUnsynchronized(AtomicSplit split)
    {
        Ldev? any = split.Members.Length > 0 ? split.Members[0].PVol : split.Peer?.Feeding.Length > 0 ? split.Peer.Feeding[0].PVol : null;
        return any is null ? null : new SplitDrain(_mps, any, LongestChainUnsynchronized() + 1, _scheduler, () => OnSplitDrained(split));
    }

    // The most pairs a write passes through, P-VOL to the last cascade (a drain needs one round per hop).
    private int LongestChainUnsynchronized()
    {
        Dictionary<Ldev, MirrorPair> bySVol = [];
        foreach (MirrorPair pair in _pairs)
        {
            bySVol[pair.SVol] = pair;
        }

        int longest = 0;
        foreach (MirrorPair pair in _pairs)
        {
            int hops = 1;
            Ldev volume = pair.PVol;
            while (hops <= _pairs.Count && bySVol.TryGetValue(volume, out MirrorPair? upstream))
            {
                hops++;
                volume = upstream.PVol;
            }

            longest = Math.Max(longest, hops);
        }

        return longest;
    }

    // S1060 done, on an MP: give the fault hook its chance, then commit.
    private void OnSplitDrained(AtomicSplit split)
    {
        lock (_lock)
        {
            if (split.Stage != SplitStage.Holding)
            {
                return;
            }

            split.DrainDoneTicks = _scheduler.Time.GetTimestamp();
            LogSplit(split, AtomicSplitPhase.DrainDone, "every write admitted before the " + (split.Cut is null ? "hold" : "cut") + " has completed");
        }

        TimeSpan delay = BeforeSplitCommit?.Invoke(split) ?? TimeSpan.Zero;
        if (delay > TimeSpan.Zero)
        {
            _scheduler.ScheduleAfter(delay, new SplitCommitItem(this, split));
        }
        else
        {
            CommitSplit(split);
        }
    }

    // S1100-S1130. At the coordinator of a cross-subsystem split the peer splits first (S1120, tentatively), then
    // the members here; a peer commits when its coordinator says so.
    private void CommitSplit(AtomicSplit split)
    {
        if (split.Peer is PeerSplitPart peer && !peer.Committed)
        {
            SendCommit(split, peer);
            return;
        }

        CommitHere(split);
    }

    // S1100/S1110 and S1130: every member split at one point, then the holds released; or the abort, if a member
    // left PAIR meanwhile.
    private void CommitHere(AtomicSplit split)
    {
        AtomicSplitResult? answer = null;
        lock (_lock)
        {
            if (split.Stage != SplitStage.Holding)
            {
                return;
            }

            foreach (MirrorPair pair in split.Members)
            {
                if (!IsInTableUnsynchronized(pair) || pair.State != PairState.Pair)
                {
                    PairAddress address = new(pair.PVolAddress, pair.SVolAddress);
                    string now = IsInTableUnsynchronized(pair) ? PairStateNames.Of(pair.State) : "deleted";
                    answer = AbortUnsynchronized(split, PairErrorCode.MemberFailed, address, "member " + address + " left PAIR during the split (now " + now + ")");
                    break;
                }
            }

            if (answer is null && split.Stage == SplitStage.Holding)
            {
                // Freeze: every member write is held, so the point is simply now. Cut: the last number below it. A
                // peer's members record the coordinator's time, and stay read-only until it confirms.
                long point = split.Cut is null ? _sequencer.Current : split.Cut.TakePoint() - 1;
                DateTimeOffset time = split.Coordinator != 0 || split.Peer is not null ? split.CommitTime : _scheduler.Time.GetUtcNow();
                split.CommitPoint = point;
                split.CommitTime = time;
                foreach (MirrorPair pair in split.Members)
                {
                    pair.SplitMode = split.Coordinator != 0 ? SplitMode.ReadOnly : split.Request.SplitMode;
                    pair.SplitSequence = point;
                    pair.SplitTime = time;
                    pair.SplitSource = split.Identity;
                    pair.SplitUpstream = pair.PVol.Pairing.AsSVol is { State: PairState.Pair } upstream ? upstream.PVolAddress : null;

                    // The cut stays armed: a write that read PAIR just before this line still finds it (it is
                    // numbered from the cut on) and only marks. It is disarmed when a copy starts (NewJob).
                    pair.State = PairState.Psus;
                    Log(pair.PVolAddress, pair.SVolAddress, pair.EntryId, PairOperation.Split, CommandResult.Accepted, PairState.Pair, PairState.Psus, PairErrorCode.None, PairEventCause.AtomicSplit);
                    if (pair.Type == MirrorType.Remote)
                    {
                        // A remote member's secondary learns the split behind the update copies already sent.
                        TellSecondary(pair, new RemoteControl(RemoteControlKind.SetState, new PairAddress(pair.PVolAddress, pair.SVolAddress)) { State = PairState.Psus, SplitMode = pair.SplitMode }, null);
                    }
                }

                split.Stage = SplitStage.Committed;
                LogSplit(split, AtomicSplitPhase.Commit, split.Members.Length + " members split at sequence " + point.ToString(CultureInfo.InvariantCulture) + " (split " + split.Identity + (split.Coordinator != 0 ? ", tentatively until the coordinator confirms)" : ")"));
                if (split.Gates.Length == 0)
                {
                    answer = FinishUnsynchronized(split);
                }
            }
        }

        if (answer is not null)
        {
            split.Complete(answer);
        }
        else
        {
            QueueReleases(split);
        }
    }

    // The abort path (S1150): no member ends split. A freeze releases its held writes, which then run as mirrored
    // writes; a sequence cut disarms its cut, and a member whose writes from the cut on were only marked is brought
    // back by a resync of exactly those tracks (PAIR -> COPY(RS) -> PAIR, cause SplitAborted).
    private AtomicSplitResult? AbortUnsynchronized(AtomicSplit split, PairErrorCode error, PairAddress? pair, string reason)
    {
        split.Stage = SplitStage.Aborted;
        split.AbortError = error;
        split.AbortPair = pair;
        split.AbortReason = reason;
        LogSplit(split, AtomicSplitPhase.Abort, reason);
        foreach (MirrorPair member in split.Members)
        {
            if (member.Cut is null)
            {
                continue;
            }

            member.Cut = null;
            if (IsInTableUnsynchronized(member) && member.State == PairState.Pair && member.PVolBitmap.CountSet() > 0)
            {
                ResyncAfterAbortUnsynchronized(member);
            }
        }

        if (split.Peer is PeerSplitPart peer)
        {
            // The peer holds, or may have split tentatively: it is told, now or when the link is back.
            ClearStreamCutsUnsynchronized(peer);
            if (peer.Contacted)
            {
                SendOutcome(peer.Path, SplitMessage(RemoteControlKind.SplitAbort, split, []));
            }
        }

        return split.Gates.Length == 0 ? FinishUnsynchronized(split) : null;
    }

    // One release task per MP, lifting every gate of the volumes it owns in member order: a split of many members
    // costs a task per MP, not one per member.
    private void QueueReleases(AtomicSplit split)
    {
        Dictionary<MpWorker<BlockCommand>, List<HoldGate>> byMp = [];
        foreach (HoldGate gate in split.Gates)
        {
            if (!byMp.TryGetValue(gate.Volume.Owner!, out List<HoldGate>? gates))
            {
                gates = [];
                byMp[gate.Volume.Owner!] = gates;
            }

            gates.Add(gate);
        }

        split.ExpectReleases(byMp.Count);
        foreach (List<HoldGate> gates in byMp.Values)
        {
            new SplitRelease(this, split, [.. gates]).Queue();
        }
    }

    // Every gate's held writes ran (on their MPs): answer.
    private void OnSplitReleased(AtomicSplit split)
    {
        AtomicSplitResult answer;
        lock (_lock)
        {
            int held = 0;
            foreach (HoldGate gate in split.Gates)
            {
                held += gate.HoldTicks.Count;
            }

            LogSplit(split, AtomicSplitPhase.Release, held + " held writes released in arrival order" + (split.Stage == SplitStage.Aborted ? ", as mirrored writes" : string.Empty));
            answer = FinishUnsynchronized(split);
        }

        split.Complete(answer);
    }

    internal void OnSplitTimeout(AtomicSplit split)
    {
        AtomicSplitResult? answer;
        lock (_lock)
        {
            if (split.Stage != SplitStage.Holding)
            {
                return;
            }

            string timeout = split.Request.HoldTimeout.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture);
            answer = AbortUnsynchronized(split, PairErrorCode.SplitTimeout, null, "the split did not commit within its hold timeout of " + timeout + " ms");
        }

        if (answer is not null)
        {
            split.Complete(answer);
        }
        else
        {
            QueueReleases(split);
        }
    }

    // The members are free for the next split; the answer with the split point and the telemetry.
    private AtomicSplitResult FinishUnsynchronized(AtomicSplit split)
    {
        bool committed = split.Stage == SplitStage.Committed;
        split.Stage = SplitStage.Finished;

        // A split that ends before its timeout cancels it: no timer fires, seconds later, for every split.
        split.Timeout?.Dispose();
        if (split.Peer is PeerSplitPart peer)
        {
            ClearStreamCutsUnsynchronized(peer);
            if (committed)
            {
                // Every member is split: the peer's tentative split becomes final.
                SendOutcome(peer.Path, SplitMessage(RemoteControlKind.SplitConfirm, split, []));
            }
        }

        // A peer's tentative split keeps its members busy until the coordinator confirms or aborts it.
        if (!(committed && split.Coordinator != 0))
        {
            ReleaseMembersUnsynchronized(split);
        }

        return new AtomicSplitResult
        {
            SplitId = split.Id,
            Error = committed ? PairErrorCode.None : split.AbortError,
            FailedPair = committed ? null : split.AbortPair,
            Message = committed
                ? split.Addresses.Length + " pairs split at sequence " + split.CommitPoint.ToString(CultureInfo.InvariantCulture) + (split.Peer is null ? string.Empty : " (" + split.Peer.Members.Length + " of them in the peer)")
                : "atomic split " + split.Id + " aborted, no member split: " + split.AbortReason,
            Members = split.Addresses,
            SplitSequence = committed ? split.CommitPoint : 0,
            SplitTime = committed ? split.CommitTime : null,
            Telemetry = MeasureUnsynchronized(split),
        };
    }

    private void ReleaseMembersUnsynchronized(AtomicSplit split)
    {
        foreach (MirrorPair pair in split.Members)
        {
            pair.ActiveSplit = null;
            _splitVolumes.Remove(pair.PVol);
        }
    }

    // PAIR -> COPY(RS) -> PAIR over exactly the marked tracks: a member whose writes were only marked (an aborted
    // sequence cut, a peer's tentative split undone) is brought back to mirroring.
    private void ResyncAfterAbortUnsynchronized(MirrorPair member)
    {
        PairState from = member.State;
        CopyJob job = NewJob(member, PairOperation.Resync, CopyDirection.PVolToSVol, full: false);
        member.State = PairState.CopyResync;
        Log(member.PVolAddress, member.SVolAddress, member.EntryId, PairOperation.Resync, CommandResult.Accepted, from, PairState.CopyResync, PairErrorCode.None, PairEventCause.SplitAborted);
        job.Start();
    }

    private AtomicSplitTelemetry MeasureUnsynchronized(AtomicSplit split)
    {
        long frequency = _scheduler.Time.TimestampFrequency;
        List<long> all = [];
        AtomicSplitTelemetry.MemberHold[] members = new AtomicSplitTelemetry.MemberHold[split.Members.Length];
        foreach (HoldGate gate in split.Gates)
        {
            all.AddRange(gate.HoldTicks);
        }

        all.Sort();
        Dictionary<Ldev, List<long>> byVolume = [];
        foreach (HoldGate gate in split.Gates)
        {
            List<long> sorted = [.. gate.HoldTicks];
            sorted.Sort();
            byVolume[gate.Volume] = sorted;
        }

        for (int i = 0; i < members.Length; i++)
        {
            List<long> ticks = byVolume.GetValueOrDefault(split.Members[i].PVol) ?? [];
            members[i] = new AtomicSplitTelemetry.MemberHold(
                split.Addresses[i],
                ticks.Count,
                AtomicSplitTelemetry.Percentile(ticks, 50, frequency),
                AtomicSplitTelemetry.Percentile(ticks, 99, frequency),
                AtomicSplitTelemetry.Percentile(ticks, 100, frequency));
        }

        TimeSpan[] samples = new TimeSpan[all.Count];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = TimeSpan.FromSeconds((double)all[i] / frequency);
        }

        long drainEnd = split.DrainDoneTicks == 0 ? split.HoldTicks : split.DrainDoneTicks;
        return new AtomicSplitTelemetry
        {
            Mechanism = split.Request.Mechanism,
            MemberCount = split.Members.Length,
            HeldWrites = all.Count,
            HoldP50 = AtomicSplitTelemetry.Percentile(all, 50, frequency),
            HoldP99 = AtomicSplitTelemetry.Percentile(all, 99, frequency),
            HoldMax = AtomicSplitTelemetry.Percentile(all, 100, frequency),
            HoldSamples = samples,
            Members = members,
            Drain = TimeSpan.FromSeconds((double)(drainEnd - split.HoldTicks) / frequency),
            Latency = TimeSpan.FromSeconds((double)(_scheduler.Time.GetTimestamp() - split.StartTicks) / frequency),
        };
    }

    private void LogSplit(AtomicSplit split, AtomicSplitPhase phase, string detail)
    {
        _splitEvents.Add(new AtomicSplitEvent(_scheduler.Time.GetUtcNow(), _sequencer.Current, split.Id, phase, detail));
    }

    // The hold timeout (S1160).
    private sealed class SplitTimer(CopyManagementTable table, AtomicSplit split) : IWorkItem
    {
        public void Execute()
        {
            table.OnSplitTimeout(split);
        }
    }

    // A commit the fault hook delayed.
    private sealed class SplitCommitItem(CopyManagementTable table, AtomicSplit split) : IWorkItem
    {
        public void Execute()
        {
            table.CommitSplit(split);
        }
    }

    // Lifts the gates of one MP's volumes, on that MP, in order with the writes queued there.
    private sealed class SplitRelease(CopyManagementTable table, AtomicSplit split, HoldGate[] gates) : IMpTask, IWorkItem
    {
        private static readonly TimeSpan QueueFullRetry = TimeSpan.FromMilliseconds(1);

        public void Queue()
        {
            if (!gates[0].Volume.Owner!.TrySubmit(BlockCommand.ForTask(gates[0].Volume, this)))
            {
                table._scheduler.ScheduleAfter(QueueFullRetry, this);
            }
        }

        public void Run()
        {
            foreach (HoldGate gate in gates)
            {
                gate.Release(table._handler!);
            }

            if (split.ReleaseDone())
            {
                table.OnSplitReleased(split);
            }
        }

        public void Execute()
        {
            Queue();
        }
    }
}
