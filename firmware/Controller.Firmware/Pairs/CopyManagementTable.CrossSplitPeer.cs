// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.RemoteCopy;

namespace Controller.Firmware.Pairs;

/// <summary>
/// The peer's side of a cross-subsystem atomic split (CopyManagementTable.CrossSplit has the protocol): its members
/// are split by the same machinery as a local split (holds, drain, commit, release), started and committed by the
/// coordinator's messages. In a sequence cut, a member whose P-VOL is the S-VOL of a remote pair from the coordinator
/// is cut by the coordinator's point, which each update copy carries (no write held); a member its own hosts write
/// is held from the prepare to the commit, because two write sequences cannot be cut consistently without a hold.
/// A commit here is tentative: the members stay read-only (and busy) until the coordinator confirms; an abort then
/// brings them back to PAIR by a resync of what was marked.
/// </summary>
public sealed partial class CopyManagementTable
{
    // The splits coordinated elsewhere with members here: while they run, and after a tentative commit until the outcome.
    private readonly Dictionary<SplitIdentity, AtomicSplit> _peerSplits = [];

    private void ReceiveSplitControl(int peer, RemoteControl request, Action<RemoteControlReply> reply)
    {
        switch (request.Kind)
        {
            case RemoteControlKind.SplitPrepare:
                RemoteControlReply prepared;
                lock (_lock)
                {
                    prepared = BeginPeerSplitUnsynchronized(peer, request, out _);
                }

                reply(prepared);
                break;
            case RemoteControlKind.SplitCommit:
                CommitPeerSplit(peer, request, reply);
                break;
            case RemoteControlKind.SplitAbort:
                AbortPeerSplit(request.Split, "aborted by its coordinator");
                reply(new RemoteControlReply(RemoteStatus.Good, PairErrorCode.None, "aborted"));
                break;
            default:
                ConfirmPeerSplit(request);
                reply(new RemoteControlReply(RemoteStatus.Good, PairErrorCode.None, "confirmed"));
                break;
        }
    }

    // Checks the members (all or nothing), marks them busy and holds or cuts them; the reply says prepared or why not.
    private RemoteControlReply BeginPeerSplitUnsynchronized(int peer, RemoteControl request, out AtomicSplit? split)
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

        MirrorPair[] members = PreCheckUnsynchronized(addresses, out PairErrorCode error, out PairAddress? failed, out string reason);
        if (error == PairErrorCode.None)
        {
            foreach (MirrorPair member in members)
            {
                if (member.IsSecondary)
                {
                    error = PairErrorCode.NotPrimary;
                    reason = "member " + member.PVolAddress + " -> " + member.SVolAddress + " has its primary elsewhere";
                    break;
                }
            }
        }

        if (error != PairErrorCode.None)
        {
            _splitEvents.Add(new AtomicSplitEvent(_scheduler.Time.GetUtcNow(), _sequencer.Current, 0, AtomicSplitPhase.Abort, "split " + request.Split + " refused here: " + reason));
            return RemoteControlReply.Refused(error, reason + (failed is null ? string.Empty : " (" + failed + ")"));
        }

        AtomicSplitRequest local = AtomicSplitRequest.ByList(addresses, request.Mechanism, SplitMode.ReadOnly) with { HoldTimeout = request.HoldTimeout };
        AtomicSplit created = null!;
        created = new AtomicSplit(_nextSplitId++, local, members, addresses, _scheduler.Time.GetTimestamp(), result => OnPeerSplitFinished(created, result))
        {
            Identity = request.Split,
            Coordinator = peer,
        };
        BeginUnsynchronized(created);
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
                HoldUnsynchronized(gates, member.PVol);
            }
        }

        created.Gates = [.. gates];
        created.HoldTicks = _scheduler.Time.GetTimestamp();
        LogSplit(created, AtomicSplitPhase.Hold, "split " + request.Split + " from peer 0x" + peer.ToString("X6", System.Globalization.CultureInfo.InvariantCulture) + ": " + members.Length + " members, " + streamCut + " cut by the coordinator's stream, " + gates.Count + " P-VOLs held");
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
        lock (_lock)
        {
            AtomicSplit? split = _peerSplits.GetValueOrDefault(request.Split);
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
                refused = RemoteControlReply.Refused(split.AbortError == PairErrorCode.None ? PairErrorCode.MemberFailed : split.AbortError, "split " + request.Split + " ended here: " + split.AbortReason);
            }

            if (refused is null)
            {
                split!.CommitReply = reply;
                split.CommitTime = request.SplitTime;
                drain = MakeDrainUnsynchronized(split);
            }
        }

        if (refused is not null)
        {
            reply(refused);
        }
        else
        {
            drain!.Start();
        }
    }

    // The local split machinery ended: tell the coordinator (if it asked for the commit), and forget a failed split.
    private void OnPeerSplitFinished(AtomicSplit split, AtomicSplitResult result)
    {
        Action<RemoteControlReply>? reply;
        lock (_lock)
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
    private void AbortPeerSplit(SplitIdentity identity, string why)
    {
        AtomicSplitResult? answer = null;
        AtomicSplit? running = null;
        lock (_lock)
        {
            if (!_peerSplits.Remove(identity, out AtomicSplit? split))
            {
                return;
            }

            if (split.Stage == SplitStage.Holding)
            {
                running = split;
                answer = AbortUnsynchronized(split, PairErrorCode.MemberFailed, null, why);
            }
            else
            {
                // Split tentatively: back to PAIR over the marked tracks.
                foreach (MirrorPair member in split.Members)
                {
                    if (IsInTableUnsynchronized(member) && member.State == PairState.Psus && member.SplitSource == identity)
                    {
                        ResyncAfterAbortUnsynchronized(member);
                    }
                }

                ReleaseMembersUnsynchronized(split);
                _splitEvents.Add(new AtomicSplitEvent(_scheduler.Time.GetUtcNow(), _sequencer.Current, split.Id, AtomicSplitPhase.Abort, "split " + identity + " undone: " + why));
            }
        }

        if (answer is not null)
        {
            running!.Complete(answer);
        }
        else if (running is not null)
        {
            QueueReleases(running);
        }
    }

    // The coordinator committed too: the members' split is final, with the S-VOL access the command asked for.
    private void ConfirmPeerSplit(RemoteControl request)
    {
        lock (_lock)
        {
            if (!_peerSplits.Remove(request.Split, out AtomicSplit? split))
            {
                return;
            }

            foreach (MirrorPair member in split.Members)
            {
                if (IsInTableUnsynchronized(member) && member.State == PairState.Psus && member.SplitSource == request.Split)
                {
                    member.SplitMode = request.SplitMode;
                }
            }

            ReleaseMembersUnsynchronized(split);
            _splitEvents.Add(new AtomicSplitEvent(_scheduler.Time.GetUtcNow(), _sequencer.Current, split.Id, AtomicSplitPhase.Release, "split " + request.Split + " confirmed by its coordinator"));
        }
    }

    // The link to a coordinator is gone: its splits that have not committed here abort; a tentative split waits for
    // the outcome (the coordinator sends it when the link is back).
    private void AbortPeerSplitsOf(int peer)
    {
        List<SplitIdentity> running = [];
        lock (_lock)
        {
            foreach (KeyValuePair<SplitIdentity, AtomicSplit> entry in _peerSplits)
            {
                if (entry.Value.Coordinator == peer && entry.Value.Stage == SplitStage.Holding)
                {
                    running.Add(entry.Key);
                }
            }
        }

        foreach (SplitIdentity identity in running)
        {
            AbortPeerSplit(identity, "the link to the coordinator went down before the commit");
        }
    }
}
