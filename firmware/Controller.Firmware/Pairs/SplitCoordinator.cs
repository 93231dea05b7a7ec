// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Queues;
using Controller.Firmware.RemoteCopy;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Pairs;

/// <summary>
/// One atomic split's coordinator (seed 000 FIG 10/11, docs/architecture.md decision 2), from its hold to its answer:
/// it owns the split's stages and state (holds, cut, drain times, abort reason, the peer's part) and moves them,
/// under the registry's lock, by the drain, the fault hook, the hold timer, the release tasks and the peer's replies.
/// It ends exactly once by construction: the stage moves only forward by a compare-and-swap, Finished is reached by
/// one caller alone (<see cref="TryFinishUnsynchronized"/>), and only that caller answers, outside the lock, where
/// the result's words and telemetry are made. A split whose members live in two subsystems is coordinated here too,
/// at the subsystem the command came to (SPLIT PREPARE, COMMIT, ABORT and CONFIRM: docs/remote-copy.md
/// "Cross-subsystem atomic split"); at a peer the same object runs the peer's members (<see cref="PeerSplits"/>).
/// </summary>
internal sealed class SplitCoordinator
{
    // The holds of a member whose P-VOL held nothing (a sequence cut's): shared, never written.
    private static readonly List<long> NoHolds = [];

    private readonly AtomicSplitEngine _engine;
    private readonly PairRegistry _registry;
    private readonly PairStateMachine _states;
    private readonly WriteSequencer _sequencer;
    private readonly IScheduler _scheduler;

    // The SplitStage: moved only by TryMove, a compare-and-swap from the stage the mover saw, so two paths that both
    // saw Holding (the hold timer and the commit) cannot both move it, and Finished is entered once.
    private int _stage;

    // Release tasks not yet run, one per MP owning a held P-VOL; the last one to run ends the release.
    private int _releasesPending;

    // Written by the caller that finished the split, under the lock, and read by it after the lock is left.
    private bool _committed;
    private long _endTicks;

    // When the members here committed, and when the held writes were released (null: not, or not yet); under the lock.
    private long? _commitTicks;
    private long? _releasedTicks;

    /// <summary>Initializes a split in its Holding stage.</summary>
    /// <param name="engine">The splits of the table.</param>
    /// <param name="split">The handle the command's caller holds.</param>
    /// <param name="members">The members in this subsystem.</param>
    /// <param name="addresses">Every member, in the command's order (with the peer's).</param>
    /// <param name="startTicks">When the command came, on the scheduler's clock.</param>
    public SplitCoordinator(AtomicSplitEngine engine, AtomicSplit split, MirrorPair[] members, PairAddress[] addresses, long startTicks)
    {
        _engine = engine;
        _registry = engine.Registry;
        _states = engine.States;
        _sequencer = engine.Sequencer;
        _scheduler = engine.Scheduler;
        Split = split;
        Members = members;
        Addresses = addresses;
        StartTicks = startTicks;
        split.Coordinator = this;
    }

    /// <summary>Gets the handle the command's caller holds.</summary>
    public AtomicSplit Split { get; }

    /// <summary>Gets the split's number here.</summary>
    public int Id => Split.Id;

    /// <summary>Gets the command.</summary>
    public AtomicSplitRequest Request => Split.Request;

    /// <summary>Gets where the split is.</summary>
    public SplitStage Stage => (SplitStage)Volatile.Read(ref _stage);

    /// <summary>Gets the members in this subsystem (a coordinator's may be none: every member in the peer).</summary>
    public MirrorPair[] Members { get; }

    /// <summary>Gets every member, in the command's order.</summary>
    public PairAddress[] Addresses { get; }

    /// <summary>Gets or sets which split this is in both subsystems (the coordinator's serial and split number).</summary>
    public SplitIdentity Identity { get; set; }

    /// <summary>Gets or sets, at the coordinator of a cross-subsystem split, the members in the peer and their state.</summary>
    public PeerSplitPart? Peer { get; set; }

    /// <summary>Gets or sets, at a peer, the coordinator's link identity (0: this split was not coordinated elsewhere).</summary>
    public int CoordinatorPeer { get; set; }

    /// <summary>Gets or sets, at a peer, where the answer to the coordinator's commit goes.</summary>
    public Action<RemoteControlReply>? CommitReply { get; set; }

    /// <summary>Gets or sets the split time every member records (the coordinator's, sent with the commit).</summary>
    public DateTimeOffset CommitTime { get; set; }

    /// <summary>Gets the split point recorded in the members (this subsystem's write sequence).</summary>
    public long CommitPoint { get; private set; }

    /// <summary>Gets or sets the freeze's holds, one per member P-VOL (empty for a sequence cut).</summary>
    public HoldGate[] Gates { get; set; } = [];

    /// <summary>Gets or sets the sequence cut's split point (null for a freeze).</summary>
    public SplitCut? Cut { get; set; }

    /// <summary>Gets when the command came.</summary>
    public long StartTicks { get; }

    /// <summary>Gets or sets the hold timeout's timer, cancelled when the split ends.</summary>
    public IDisposable? Timeout { get; set; }

    /// <summary>Gets or sets when the holds (or the cut) were set.</summary>
    public long HoldTicks { get; set; }

    /// <summary>Gets when the drain ended (null: it did not).</summary>
    public long? DrainDoneTicks { get; private set; }

    /// <summary>Gets the error an abort answers with (None while the split can still commit).</summary>
    public PairErrorCode AbortError { get; private set; }

    /// <summary>Gets the member an abort names, if any.</summary>
    public PairAddress? AbortPair { get; private set; }

    /// <summary>Gets why the split was refused or aborted, formatted when read.</summary>
    public SplitNote AbortReason { get; private set; }

    /// <summary>Starts the hold timer (under the lock, when the members are marked busy).</summary>
    public void StartTimerUnsynchronized()
    {
        Timeout = _scheduler.ScheduleAfter(Request.HoldTimeout, new SplitTimer(this));
    }

    /// <summary>Refuses the split before anything was held (under the lock): Holding to Finished; answer with <see cref="AnswerRefusal"/>.</summary>
    /// <param name="error">Why.</param>
    /// <param name="failed">The failing member, if any.</param>
    /// <param name="reason">The words.</param>
    /// <returns>False when the split had already left Holding (nothing to answer).</returns>
    public bool RefuseUnsynchronized(PairErrorCode error, PairAddress? failed, SplitNote reason)
    {
        if (!TryMove(SplitStage.Holding, SplitStage.Finished))
        {
            return false;
        }

        AbortError = error;
        AbortPair = failed;
        AbortReason = reason;
        _engine.LogUnsynchronized(Id, AtomicSplitPhase.Abort, new SplitNote("refused before the hold: {0}", reason));
        return true;
    }

    /// <summary>Answers a refused split (outside the lock, by the caller whose refusal took it to Finished).</summary>
    public void AnswerRefusal()
    {
        Split.Complete(new AtomicSplitResult { SplitId = Id, Error = AbortError, FailedPair = AbortPair, Message = AbortReason.ToString(), Members = Addresses });
    }

    /// <summary>Runs what follows the start, outside the lock: the peer's prepare (a cross sequence cut), or the drain.</summary>
    /// <param name="armed">Whether the holds or the cut are set here.</param>
    /// <param name="drain">The drain to start, or null when nothing here needs draining.</param>
    public void Run(bool armed, SplitDrain? drain)
    {
        if (!armed)
        {
            // A cross-subsystem sequence cut: the peer arms its side before this side takes the point.
            SendPrepare();
        }
        else if (drain is not null)
        {
            drain.Start();
        }
        else
        {
            OnDrained();
        }
    }

    /// <summary>S1060 done, on an MP: give the fault hook its chance, then commit.</summary>
    public void OnDrained()
    {
        lock (_registry.Lock)
        {
            if (Stage != SplitStage.Holding)
            {
                return;
            }

            DrainDoneTicks = _scheduler.Time.GetTimestamp();
            _engine.LogUnsynchronized(Id, AtomicSplitPhase.DrainDone, new SplitNote("every write admitted before the {0} has completed", Cut is null ? "hold" : "cut"));
        }

        TimeSpan delay = _engine.BeforeSplitCommit?.Invoke(Split) ?? TimeSpan.Zero;
        if (delay > TimeSpan.Zero)
        {
            _scheduler.ScheduleAfter(delay, new SplitCommitItem(this));
        }
        else
        {
            Commit();
        }
    }

    /// <summary>The hold timeout (S1160): an abort, unless the split has left Holding already.</summary>
    public void OnTimeout()
    {
        bool? finished;
        lock (_registry.Lock)
        {
            if (Stage != SplitStage.Holding)
            {
                return;
            }

            finished = AbortUnsynchronized(PairErrorCode.SplitTimeout, null, new SplitNote("the split did not commit within its hold timeout of {0:0.###} ms", Request.HoldTimeout.TotalMilliseconds));
        }

        AnswerOrRelease(finished);
    }

    /// <summary>
    /// The abort path (S1150), under the lock: no member ends split. A freeze releases its held writes, which then run
    /// as mirrored writes; a sequence cut disarms its cut, and a member whose writes from the cut on were only marked
    /// is brought back by a resync of exactly those tracks (PAIR -> COPY(RS) -> PAIR, cause SplitAborted).
    /// </summary>
    /// <param name="error">The error the split answers with.</param>
    /// <param name="pair">The member to name, if any.</param>
    /// <param name="reason">Why, formatted when read.</param>
    /// <returns>True when the split is finished now (nothing held): the caller answers; false when held writes must be
    /// released first; null when it was not holding (nothing to do). <see cref="AnswerOrRelease"/> does what it says.</returns>
    public bool? AbortUnsynchronized(PairErrorCode error, PairAddress? pair, SplitNote reason)
    {
        if (!TryMove(SplitStage.Holding, SplitStage.Aborted))
        {
            return null;
        }

        AbortError = error;
        AbortPair = pair;
        AbortReason = reason;
        _engine.LogUnsynchronized(Id, AtomicSplitPhase.Abort, reason);
        foreach (MirrorPair member in Members)
        {
            if (member.Cut is null)
            {
                continue;
            }

            member.Cut = null;
            if (_registry.IsInTableUnsynchronized(member) && member.State == PairState.Pair && member.PVolBitmap.CountSet() > 0)
            {
                _states.ResyncAfterAbortUnsynchronized(member);
            }
        }

        if (Peer is PeerSplitPart peer)
        {
            // The peer holds, or may have split tentatively: it is told, now or when the link is back.
            AtomicSplitEngine.ClearStreamCutsUnsynchronized(peer);
            if (peer.Contacted)
            {
                _engine.SendOutcome(peer.Path, _engine.SplitMessage(RemoteControlKind.SplitAbort, this, []));
            }
        }

        return Gates.Length == 0 ? TryFinishUnsynchronized() : false;
    }

    /// <summary>After an abort or a commit decided under the lock, outside it: answer, or release the held writes first.</summary>
    /// <param name="outcome">What <see cref="AbortUnsynchronized"/> returned.</param>
    public void AnswerOrRelease(bool? outcome)
    {
        if (outcome == true)
        {
            AnswerFinished();
        }
        else if (outcome == false)
        {
            QueueReleases();
        }
    }

    /// <summary>
    /// Ends the split, under the lock: Committed or Aborted to Finished, by one caller alone. The members are free for
    /// the next split (a peer's tentative split keeps them until the coordinator's outcome), the timer is cancelled, a
    /// committed peer's split is confirmed. Only the caller that gets true answers, with <see cref="AnswerFinished"/>.
    /// </summary>
    /// <returns>True for the one caller that finished the split; false when it was finished before, or is still holding.</returns>
    public bool TryFinishUnsynchronized()
    {
        bool committed = TryMove(SplitStage.Committed, SplitStage.Finished);
        if (!committed && !TryMove(SplitStage.Aborted, SplitStage.Finished))
        {
            return false;
        }

        _committed = committed;
        _endTicks = _scheduler.Time.GetTimestamp();

        // A split that ends before its timeout cancels it: no timer fires, seconds later, for every split.
        Timeout?.Dispose();
        if (Peer is PeerSplitPart peer)
        {
            AtomicSplitEngine.ClearStreamCutsUnsynchronized(peer);
            if (committed)
            {
                // Every member is split: the peer's tentative split becomes final.
                _engine.SendOutcome(peer.Path, _engine.SplitMessage(RemoteControlKind.SplitConfirm, this, []));
            }
        }

        // A peer's tentative split keeps its members busy until the coordinator confirms or aborts it.
        if (!(committed && CoordinatorPeer != 0))
        {
            _engine.ReleaseMembersUnsynchronized(this);
        }

        return true;
    }

    /// <summary>
    /// Answers the split with its point and telemetry: outside the lock, by the caller that finished it. The words and
    /// the percentiles are made here, from values taken under the lock; nothing changes them after Finished.
    /// </summary>
    public void AnswerFinished()
    {
        bool committed = _committed;
        AtomicSplitResult result = new()
        {
            SplitId = Id,
            Error = committed ? PairErrorCode.None : AbortError,
            FailedPair = committed ? null : AbortPair,
            Message = committed
                ? Addresses.Length + " pairs split at sequence " + CommitPoint.ToString(CultureInfo.InvariantCulture) + (Peer is null ? string.Empty : " (" + Peer.Members.Length + " of them in the peer)")
                : "atomic split " + Id + " aborted, no member split: " + AbortReason,
            Members = Addresses,
            SplitSequence = committed ? CommitPoint : 0,
            SplitTime = committed ? CommitTime : null,
            Telemetry = Measure(),
        };
        Split.Complete(result);
    }

    /// <summary>Marks the end of the drain for a split coordinated elsewhere (the peer's commit), under the lock.</summary>
    /// <param name="reply">Where the answer to the coordinator's commit goes.</param>
    /// <param name="time">The coordinator's split time.</param>
    public void AcceptCommitUnsynchronized(Action<RemoteControlReply> reply, DateTimeOffset time)
    {
        CommitReply = reply;
        CommitTime = time;
    }

    // S1100-S1130. At the coordinator of a cross-subsystem split the peer splits first (S1120, tentatively), then
    // the members here; a peer commits when its coordinator says so.
    private void Commit()
    {
        if (Peer is PeerSplitPart peer && !peer.Committed)
        {
            SendCommit(peer);
            return;
        }

        CommitHere();
    }

    // S1100/S1110 and S1130: every member split at one point, then the holds released; or the abort, if a member
    // left PAIR meanwhile.
    private void CommitHere()
    {
        bool? finished = null;
        lock (_registry.Lock)
        {
            if (Stage != SplitStage.Holding)
            {
                return;
            }

            foreach (MirrorPair pair in Members)
            {
                if (!_registry.IsInTableUnsynchronized(pair) || pair.State != PairState.Pair)
                {
                    PairAddress address = new(pair.PVolAddress, pair.SVolAddress);
                    string now = _registry.IsInTableUnsynchronized(pair) ? PairStateNames.Of(pair.State) : "deleted";
                    finished = AbortUnsynchronized(PairErrorCode.MemberFailed, address, new SplitNote("member {0} left PAIR during the split (now {1})", address, now));
                    break;
                }
            }

            if (Stage == SplitStage.Holding && TryMove(SplitStage.Holding, SplitStage.Committed))
            {
                // Freeze: every member write is held, so the point is simply now. Cut: the last number below it. A
                // peer's members record the coordinator's time, and stay read-only until it confirms.
                long point = Cut is null ? _sequencer.Current : Cut.TakePoint() - 1;
                _commitTicks = _scheduler.Time.GetTimestamp();
                DateTimeOffset time = CoordinatorPeer != 0 || Peer is not null ? CommitTime : _scheduler.Time.GetUtcNow();
                CommitPoint = point;
                CommitTime = time;
                foreach (MirrorPair pair in Members)
                {
                    pair.SplitMode = CoordinatorPeer != 0 ? SplitMode.ReadOnly : Request.SplitMode;
                    pair.SplitSequence = point;
                    pair.SplitTime = time;
                    pair.SplitSource = Identity;
                    pair.SplitUpstream = pair.PVol.Pairing.AsSVol is { State: PairState.Pair } upstream ? upstream.PVolAddress : null;

                    // The cut stays armed: a write that read PAIR just before this line still finds it (it is
                    // numbered from the cut on) and only marks. It is disarmed when a copy starts (NewJobUnsynchronized).
                    pair.State = PairState.Psus;
                    _states.LogUnsynchronized(pair.PVolAddress, pair.SVolAddress, pair.EntryId, PairOperation.Split, CommandResult.Accepted, PairState.Pair, PairState.Psus, PairErrorCode.None, PairEventCause.AtomicSplit);
                    if (pair.Type == MirrorType.Remote)
                    {
                        // A remote member's secondary learns the split behind the update copies already sent.
                        _engine.Primary.TellSecondary(pair, new RemoteControl(RemoteControlKind.SetState, new PairAddress(pair.PVolAddress, pair.SVolAddress)) { State = PairState.Psus, SplitMode = pair.SplitMode }, null);
                    }
                }

                _engine.LogUnsynchronized(Id, AtomicSplitPhase.Commit, new SplitNote(CoordinatorPeer != 0 ? "{0} members split at sequence {1} (split {2}, tentatively until the coordinator confirms)" : "{0} members split at sequence {1} (split {2})", Members.Length, point, Identity));
                finished = Gates.Length == 0 ? TryFinishUnsynchronized() : false;
            }
        }

        // Committed or aborted: answer now, or once the held writes are released.
        AnswerOrRelease(finished);
    }

    // One release task per MP, lifting every gate of the volumes it owns in member order: a split of many members
    // costs a task per MP, not one per member.
    private void QueueReleases()
    {
        Dictionary<MpWorker<BlockCommand>, List<HoldGate>> byMp = [];
        foreach (HoldGate gate in Gates)
        {
            if (!byMp.TryGetValue(gate.Volume.Owner!, out List<HoldGate>? gates))
            {
                gates = [];
                byMp[gate.Volume.Owner!] = gates;
            }

            gates.Add(gate);
        }

        Volatile.Write(ref _releasesPending, byMp.Count);
        foreach (List<HoldGate> gates in byMp.Values)
        {
            new SplitRelease(this, [.. gates]).Queue();
        }
    }

    // Every gate's held writes ran (on their MPs): answer.
    private void OnReleased()
    {
        bool finished;
        lock (_registry.Lock)
        {
            int held = 0;
            foreach (HoldGate gate in Gates)
            {
                held += gate.HoldTicks.Count;
            }

            _releasedTicks = _scheduler.Time.GetTimestamp();
            _engine.LogUnsynchronized(Id, AtomicSplitPhase.Release, new SplitNote(Stage == SplitStage.Aborted ? "{0} held writes released in arrival order, as mirrored writes" : "{0} held writes released in arrival order", held));
            finished = TryFinishUnsynchronized();
        }

        if (finished)
        {
            AnswerFinished();
        }
    }

    // Sequence cut across two subsystems: the peer arms its side first.
    private void SendPrepare()
    {
        PeerSplitPart peer = Peer!;
        RemoteControl prepare;
        lock (_registry.Lock)
        {
            peer.Contacted = true;
            prepare = _engine.SplitMessage(RemoteControlKind.SplitPrepare, this, peer.Members);
            _engine.LogUnsynchronized(Id, AtomicSplitPhase.Hold, new SplitNote("asking the peer ({0}) to arm {1} members before the cut", peer.Path.Name, peer.Members.Length));
        }

        peer.Path.SendControl(prepare, OnPeerPrepared);
    }

    private void OnPeerPrepared(RemoteControlReply reply)
    {
        SplitDrain? drain = null;
        bool? finished = null;
        bool armed = false;
        lock (_registry.Lock)
        {
            if (Stage != SplitStage.Holding)
            {
                return;
            }

            if (!reply.IsGood)
            {
                finished = AbortUnsynchronized(AtomicSplitEngine.PeerError(reply), null, new SplitNote("the peer did not prepare: {0}", reply.Message));
            }
            else
            {
                drain = _engine.ArmUnsynchronized(this);
                armed = true;
            }
        }

        if (!armed)
        {
            AnswerOrRelease(finished);
        }
        else if (drain is not null)
        {
            drain.Start();
        }
        else
        {
            OnDrained();
        }
    }

    // S1120: the peer splits its members (tentatively) before the members here do.
    private void SendCommit(PeerSplitPart peer)
    {
        RemoteControl commit;
        lock (_registry.Lock)
        {
            if (Stage != SplitStage.Holding)
            {
                return;
            }

            CommitTime = _scheduler.Time.GetUtcNow();
            peer.Contacted = true;
            commit = _engine.SplitMessage(RemoteControlKind.SplitCommit, this, peer.Members);
        }

        peer.Path.SendControl(commit, OnPeerCommitted);
    }

    private void OnPeerCommitted(RemoteControlReply reply)
    {
        bool? finished = null;
        lock (_registry.Lock)
        {
            if (Stage != SplitStage.Holding)
            {
                // Aborted meanwhile (its timeout): the abort follows the commit on the link and undoes it there.
                return;
            }

            if (reply.IsGood)
            {
                Peer!.Committed = true;
                _engine.LogUnsynchronized(Id, AtomicSplitPhase.Commit, new SplitNote("the peer split its {0} members (tentatively)", Peer.Members.Length));
            }
            else
            {
                finished = AbortUnsynchronized(AtomicSplitEngine.PeerError(reply), null, new SplitNote("the peer did not split its members: {0}", reply.Message));
            }
        }

        if (reply.IsGood)
        {
            CommitHere();
        }
        else
        {
            AnswerOrRelease(finished);
        }
    }

    private AtomicSplitTelemetry Measure()
    {
        long frequency = _scheduler.Time.TimestampFrequency;
        List<long> all = [];
        AtomicSplitTelemetry.MemberHold[] members = new AtomicSplitTelemetry.MemberHold[Members.Length];
        foreach (HoldGate gate in Gates)
        {
            // Finished: the gate's holds are read only here now, so they are sorted where they are.
            gate.HoldTicks.Sort();
            all.AddRange(gate.HoldTicks);
        }

        all.Sort();
        int next = 0;
        for (int i = 0; i < members.Length; i++)
        {
            List<long> ticks = GateOf(Members[i].PVol, ref next)?.HoldTicks ?? NoHolds;
            members[i] = new AtomicSplitTelemetry.MemberHold(
                Addresses[i],
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

        long drainEnd = DrainDoneTicks ?? HoldTicks;
        return new AtomicSplitTelemetry
        {
            Mechanism = Request.Mechanism,
            MemberCount = Members.Length,
            HeldWrites = all.Count,
            HoldP50 = AtomicSplitTelemetry.Percentile(all, 50, frequency),
            HoldP99 = AtomicSplitTelemetry.Percentile(all, 99, frequency),
            HoldMax = AtomicSplitTelemetry.Percentile(all, 100, frequency),
            HoldSamples = samples,
            Members = members,
            Drain = TimeSpan.FromSeconds((double)(drainEnd - HoldTicks) / frequency),
            Commit = _commitTicks is long commit && DrainDoneTicks is long drained ? TimeSpan.FromSeconds((double)(commit - drained) / frequency) : null,
            Release = _releasedTicks is long released && _commitTicks is long committed ? TimeSpan.FromSeconds((double)(released - committed) / frequency) : null,
            Latency = TimeSpan.FromSeconds((double)(_endTicks - StartTicks) / frequency),
        };
    }

    // The gate of a member's P-VOL, if it was held. The gates were made in member order, one per P-VOL (members may
    // share one), so the next gate is nearly always the one; a shared P-VOL met again is looked up.
    private HoldGate? GateOf(Ldev volume, ref int next)
    {
        if (next < Gates.Length && ReferenceEquals(Gates[next].Volume, volume))
        {
            return Gates[next++];
        }

        foreach (HoldGate gate in Gates)
        {
            if (ReferenceEquals(gate.Volume, volume))
            {
                return gate;
            }
        }

        return null;
    }

    private bool TryMove(SplitStage from, SplitStage to)
    {
        return Interlocked.CompareExchange(ref _stage, (int)to, (int)from) == (int)from;
    }

    // The hold timeout (S1160).
    private sealed class SplitTimer(SplitCoordinator split) : IWorkItem
    {
        public void Execute()
        {
            split.OnTimeout();
        }
    }

    // A commit the fault hook delayed.
    private sealed class SplitCommitItem(SplitCoordinator split) : IWorkItem
    {
        public void Execute()
        {
            split.Commit();
        }
    }

    // Lifts the gates of one MP's volumes, on that MP, in order with the writes queued there.
    private sealed class SplitRelease(SplitCoordinator split, HoldGate[] gates) : IMpTask, IWorkItem
    {
        private static readonly TimeSpan QueueFullRetry = TimeSpan.FromMilliseconds(1);

        public void Queue()
        {
            if (!gates[0].Volume.Owner!.TrySubmitInternal(BlockCommand.ForTask(gates[0].Volume, this)))
            {
                split._scheduler.ScheduleAfter(QueueFullRetry, this);
            }
        }

        public void Run()
        {
            foreach (HoldGate gate in gates)
            {
                gate.Release(split._engine.Handler);
            }

            if (Interlocked.Decrement(ref split._releasesPending) == 0)
            {
                split.OnReleased();
            }
        }

        public void Execute()
        {
            Queue();
        }
    }
}
