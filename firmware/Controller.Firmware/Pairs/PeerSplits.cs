// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.PairVocabulary;
using Controller.Firmware.RemoteCopy;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Pairs;

/// <summary>
/// The peer's side of cross-subsystem atomic splits (the protocol is described at <see cref="SplitCoordinator"/>): its
/// members are split by the same machinery as a local split (holds, drain, commit, release), each by a
/// <see cref="SplitCoordinator"/> started and committed by the coordinator's messages. In a sequence cut, a member
/// whose P-VOL is the S-VOL of a remote pair from the coordinator is cut by the coordinator's point, which each update
/// copy carries (no write held); a member its own hosts write is held from the prepare to the commit, because two write
/// sequences cannot be cut consistently without a hold. A commit here is tentative: the members stay read-only (and
/// busy) until the coordinator confirms; an abort then brings them back to PAIR by a resync of what was marked.
/// </summary>
internal sealed class PeerSplits
{
    private readonly AtomicSplitEngine _engine;
    private readonly PairRegistry _registry;
    private readonly PairStateMachine _states;

    // The splits coordinated elsewhere with members here: while they run, and after a tentative commit until the outcome.
    private readonly Dictionary<SplitIdentity, SplitCoordinator> _peerSplits = [];

    /// <summary>Initializes the peer side of a table's splits.</summary>
    /// <param name="engine">The table's splits.</param>
    public PeerSplits(AtomicSplitEngine engine)
    {
        _engine = engine;
        _registry = engine.Registry;
        _states = engine.States;
    }

    /// <summary>Carries out a split message from a coordinator.</summary>
    /// <param name="peer">The coordinator's link identity.</param>
    /// <param name="request">The message (prepare, commit, abort, confirm).</param>
    /// <param name="reply">Told the answer.</param>
    public void Receive(int peer, RemoteControl request, Action<RemoteControlReply> reply)
    {
        switch (request.Kind)
        {
            case RemoteControlKind.SplitPrepare:
                RemoteControlReply prepared;
                lock (_registry.Lock)
                {
                    prepared = BeginPeerSplitUnsynchronized(peer, request, out _);
                }

                reply(prepared);
                break;
            case RemoteControlKind.SplitCommit:
                CommitPeerSplit(peer, request, reply);
                break;
            case RemoteControlKind.SplitAbort:
                AbortPeerSplit(request.Split, SplitNote.Text("aborted by its coordinator"));
                reply(new RemoteControlReply(RemoteStatus.Good, PairErrorCode.None, "aborted"));
                break;
            default:
                ConfirmPeerSplit(request);
                reply(new RemoteControlReply(RemoteStatus.Good, PairErrorCode.None, "confirmed"));
                break;
        }
    }

    /// <summary>
    /// The link to a coordinator is gone: its splits that have not committed here abort; a tentative split waits for
    /// the outcome (the coordinator sends it when the link is back).
    /// </summary>
    /// <param name="peer">The coordinator's link identity.</param>
    public void AbortSplitsOf(int peer)
    {
        List<SplitIdentity> running = [];
        lock (_registry.Lock)
        {
            foreach (KeyValuePair<SplitIdentity, SplitCoordinator> entry in _peerSplits)
            {
                if (entry.Value.CoordinatorPeer == peer && entry.Value.Stage == SplitStage.Holding)
                {
                    running.Add(entry.Key);
                }
            }
        }

        foreach (SplitIdentity identity in running)
        {
            AbortPeerSplit(identity, SplitNote.Text("the link to the coordinator went down before the commit"));
        }
    }

    // Checks the members (all or nothing), marks them busy and holds or cuts them; the reply says prepared or why not.
    private RemoteControlReply BeginPeerSplitUnsynchronized(int peer, RemoteControl request, out SplitCoordinator? split)
    {
        split = null;
        if (_peerSplits.ContainsKey(request.Split))
        {
            return RemoteControlReply.Refused(PairErrorCode.SplitInProgress, "split " + request.Split + " is already running here");
        }

        PairAddress[] addresses = [.. request.Members];
        if (addresses.Length == 0)
        {
            return RemoteControlReply.Refused(PairErrorCode.EmptyPairList, "split " + request.Split + " names no member here");
        }

        MirrorPair[] members = _engine.PreCheckUnsynchronized(addresses, out PairErrorCode error, out PairAddress? failed, out SplitNote reason);
        if (error == PairErrorCode.None)
        {
            foreach (MirrorPair member in members)
            {
                if (member.IsSecondary)
                {
                    error = PairErrorCode.NotPrimary;
                    reason = new SplitNote("member {0} -> {1} has its primary elsewhere", member.PVolAddress, member.SVolAddress);
                    break;
                }
            }
        }

        if (error != PairErrorCode.None)
        {
            _engine.LogUnsynchronized(0, AtomicSplitPhase.Abort, new SplitNote("split {0} refused here: {1}", request.Split, reason));
            return RemoteControlReply.Refused(error, reason + (failed is null ? string.Empty : " (" + failed + ")"));
        }

        AtomicSplitRequest local = AtomicSplitRequest.ByList(addresses, request.Mechanism, SplitMode.ReadOnly) with { HoldTimeout = request.HoldTimeout };
        SplitCoordinator created = null!;
        AtomicSplit handle = new(_engine.NextSplitIdUnsynchronized(), local, result => OnPeerSplitFinished(created, result));
        created = new SplitCoordinator(_engine, handle, members, addresses, _engine.Scheduler.Time.GetTimestamp())
        {
            Identity = request.Split,
            CoordinatorPeer = peer,
        };
        _engine.BeginUnsynchronized(created);
        List<HoldGate> gates = [];
        int streamCut = 0;
        foreach (MirrorPair member in members)
        {
            bool fedByCoordinator = request.Mechanism == AtomicSplitMechanism.SequenceCut && member.PVol.Pairing.AsSVol is { IsSecondary: true } upstream && upstream.Peer == peer;
            if (fedByCoordinator)
            {
                member.Cut = SplitCut.StreamCut;
                streamCut++;
            }
            else
            {
                _engine.HoldUnsynchronized(gates, member.PVol);
            }
        }

        created.Gates = [.. gates];
        created.HoldTicks = _engine.Scheduler.Time.GetTimestamp();
        _engine.LogUnsynchronized(created.Id, AtomicSplitPhase.Hold, new SplitNote("split {0} from peer 0x{1:X6}: {2} members, {3} cut by the coordinator's stream, {4} P-VOLs held", request.Split, peer, members.Length, streamCut, gates.Count));
        _peerSplits[request.Split] = created;
        split = created;
        return new RemoteControlReply(RemoteStatus.Good, PairErrorCode.None, "prepared");
    }

    // The coordinator's commit: (a freeze begins here now) drain, then split the members tentatively; the reply
    // goes when the held writes are released.
    private void CommitPeerSplit(int peer, RemoteControl request, Action<RemoteControlReply> reply)
    {
        SplitDrain? drain = null;
        RemoteControlReply? refused = null;
        SplitCoordinator? ended = null;
        lock (_registry.Lock)
        {
            SplitCoordinator? split = _peerSplits.GetValueOrDefault(request.Split);
            if (split is null && request.Mechanism == AtomicSplitMechanism.Freeze)
            {
                RemoteControlReply begun = BeginPeerSplitUnsynchronized(peer, request, out split);
                refused = begun.IsGood ? null : begun;
            }
            else if (split is null)
            {
                refused = RemoteControlReply.Refused(PairErrorCode.MemberFailed, "split " + request.Split + " was not prepared here, or was aborted");
            }
            else if (split.Stage != SplitStage.Holding || split.CommitReply is not null)
            {
                // Answered below, outside the lock, from the split's values.
                ended = split;
            }

            if (refused is null && ended is null)
            {
                split!.AcceptCommitUnsynchronized(reply, request.SplitTime);
                drain = _engine.MakeDrainUnsynchronized(split);
            }
        }

        if (ended is not null)
        {
            reply(RemoteControlReply.Refused(ended.AbortError == PairErrorCode.None ? PairErrorCode.MemberFailed : ended.AbortError, "split " + request.Split + " ended here: " + ended.AbortReason));
        }
        else if (refused is not null)
        {
            reply(refused);
        }
        else
        {
            drain!.Start();
        }
    }

    // The local split machinery ended: tell the coordinator (if it asked for the commit), and forget a failed split.
    private void OnPeerSplitFinished(SplitCoordinator split, AtomicSplitResult result)
    {
        Action<RemoteControlReply>? reply;
        lock (_registry.Lock)
        {
            reply = split.CommitReply;
            if (!result.Succeeded)
            {
                _peerSplits.Remove(split.Identity);
            }
        }

        reply?.Invoke(result.Succeeded
            ? new RemoteControlReply(RemoteStatus.Good, PairErrorCode.None, "split " + split.Identity + ": " + result.Message)
            : RemoteControlReply.Refused(result.Error, result.Message));
    }

    // An abort from the coordinator, or the loss of the link before the commit: nothing stays split.
    private void AbortPeerSplit(SplitIdentity identity, SplitNote why)
    {
        bool? outcome = null;
        SplitCoordinator? running = null;
        lock (_registry.Lock)
        {
            if (!_peerSplits.Remove(identity, out SplitCoordinator? split))
            {
                return;
            }

            if (split.Stage == SplitStage.Holding)
            {
                running = split;
                outcome = split.AbortUnsynchronized(PairErrorCode.MemberFailed, null, why);
            }
            else
            {
                // Split tentatively: back to PAIR over the marked tracks.
                foreach (MirrorPair member in split.Members)
                {
                    if (_registry.IsInTableUnsynchronized(member) && member.State == PairState.Psus && member.SplitSource == identity)
                    {
                        _states.ResyncAfterAbortUnsynchronized(member);
                    }
                }

                _engine.ReleaseMembersUnsynchronized(split);
                _engine.LogUnsynchronized(split.Id, AtomicSplitPhase.Abort, new SplitNote("split {0} undone: {1}", identity, why));
            }
        }

        running?.AnswerOrRelease(outcome);
    }

    // The coordinator committed too: the members' split is final, with the S-VOL access the command asked for.
    private void ConfirmPeerSplit(RemoteControl request)
    {
        lock (_registry.Lock)
        {
            if (!_peerSplits.Remove(request.Split, out SplitCoordinator? split))
            {
                return;
            }

            foreach (MirrorPair member in split.Members)
            {
                if (_registry.IsInTableUnsynchronized(member) && member.State == PairState.Psus && member.SplitSource == request.Split)
                {
                    member.SplitMode = request.SplitMode;
                }
            }

            _engine.ReleaseMembersUnsynchronized(split);
            _engine.LogUnsynchronized(split.Id, AtomicSplitPhase.Release, new SplitNote("split {0} confirmed by its coordinator", request.Split));
        }
    }
}
