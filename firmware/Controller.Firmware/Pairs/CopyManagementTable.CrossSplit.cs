// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.RemoteCopy;

namespace Controller.Firmware.Pairs;

/// <summary>
/// An atomic split whose members live in two subsystems (seed 000 S1040-S1150, R0-15, R0-24), at its coordinator: the
/// subsystem the command came to. Its members in the peer are split over the remote-copy path, after the members here
/// are held (freeze) or before the point is taken here (sequence cut), so that every member is split at one point:
/// <list type="bullet">
/// <item>Freeze: hold and drain here; then SPLIT COMMIT to the peer, which holds, drains and splits its members
/// tentatively; then the members here; then release and answer; then SPLIT CONFIRM.</item>
/// <item>Sequence cut: SPLIT PREPARE to the peer, which arms a stream cut on its members fed by this subsystem's
/// remote pairs and holds the others; then the cut here (the remote pairs feeding the peer's members carry it in
/// every update copy: the point travels with the replication stream) and the drain; then SPLIT COMMIT, which the
/// peer drains behind (every update below the point is on its members by then); then the members here; SPLIT
/// CONFIRM.</item>
/// </list>
/// Any refusal, timeout or link failure before the peer's commit is answered aborts every member (the peer is told,
/// at once or when the link is back). A peer that split tentatively and then lost the link keeps its members split,
/// read-only, until the coordinator's outcome reaches it: it never decides alone, so no member ends split unless all
/// did.
/// </summary>
public sealed partial class CopyManagementTable
{
    // Outcomes (confirm, abort) a peer has not acknowledged yet: sent again when its path is back up.
    private readonly List<(IRemoteCopyPath Path, RemoteControl Message)> _pendingOutcomes = [];

    // Splits the members listed into those of this subsystem and those of one peer (by the path that reaches their
    // P-VOL's port). A pair whose row here is the secondary's belongs to its primary, the peer.
    private PairAddress[] PartitionUnsynchronized(PairAddress[] addresses, out PeerSplitPart? peer, out PairErrorCode error, out PairAddress? failed, out string reason)
    {
        peer = null;
        error = PairErrorCode.None;
        failed = null;
        reason = string.Empty;
        List<PairAddress> local = [];
        List<PairAddress> remote = [];
        IRemoteCopyPath? path = null;
        foreach (PairAddress address in addresses)
        {
            MirrorPair? row = FindUnsynchronized(address.PVol, address.SVol);
            if (row is not null && !row.IsSecondary)
            {
                local.Add(address);
                continue;
            }

            IRemoteCopyPath? reaching = FindRemotePathUnsynchronized(address.PVol.PortId);
            if (reaching is null)
            {
                // Not here and not in a peer: the pre-check reports it (PairNotFound, or NotPrimary for a secondary row).
                if (row is not null)
                {
                    error = PairErrorCode.NotPrimary;
                    failed = address;
                    reason = "pair " + address + " is split at its primary, which no remote-copy path of this subsystem reaches";
                    return [];
                }

                local.Add(address);
                continue;
            }

            if (path is not null && !ReferenceEquals(path, reaching))
            {
                error = PairErrorCode.NotSupportedForMirrorType;
                failed = address;
                reason = "pair " + address + " is in a third subsystem: an atomic split spans this subsystem and one peer";
                return [];
            }

            path = reaching;
            remote.Add(address);
        }

        if (path is not null)
        {
            // The remote pairs of this subsystem whose S-VOLs are P-VOLs of the peer's members: they feed them.
            List<MirrorPair> feeding = [];
            foreach (MirrorPair pair in _pairs)
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
    private static PairErrorCode CheckCrossUnsynchronized(MirrorPair[] members, PeerSplitPart peer, out PairAddress? failed, out string reason)
    {
        foreach (MirrorPair member in members)
        {
            if (member.PVol.Pairing.AsSVol is { IsSecondary: true } upstream)
            {
                failed = new PairAddress(member.PVolAddress, member.SVolAddress);
                reason = "member " + failed + " is fed by the remote pair " + upstream.PVolAddress + " -> " + upstream.SVolAddress + ": issue a split spanning both subsystems at the upstream one";
                return PairErrorCode.NotPrimary;
            }
        }

        failed = null;
        reason = string.Empty;
        return peer.Members.Length == 0 ? PairErrorCode.EmptyPairList : PairErrorCode.None;
    }

    private IRemoteCopyPath? FindRemotePathUnsynchronized(Addressing.PortId port)
    {
        foreach (IRemoteCopyPath path in _paths)
        {
            if (path.Reaches(port))
            {
                return path;
            }
        }

        return null;
    }

    // Sequence cut: the peer arms its side first.
    private void SendPrepare(AtomicSplit split)
    {
        PeerSplitPart peer = split.Peer!;
        RemoteControl prepare;
        lock (_lock)
        {
            peer.Contacted = true;
            prepare = SplitMessage(RemoteControlKind.SplitPrepare, split, peer.Members);
            LogSplit(split, AtomicSplitPhase.Hold, "asking the peer (" + peer.Path.Name + ") to arm " + peer.Members.Length + " members before the cut");
        }

        peer.Path.SendControl(prepare, reply => OnPeerPrepared(split, reply));
    }

    private void OnPeerPrepared(AtomicSplit split, RemoteControlReply reply)
    {
        SplitDrain? drain = null;
        AtomicSplitResult? answer = null;
        bool armed = false;
        lock (_lock)
        {
            if (split.Stage != SplitStage.Holding)
            {
                return;
            }

            if (!reply.IsGood)
            {
                answer = AbortUnsynchronized(split, PeerError(reply), null, "the peer did not prepare: " + reply.Message);
            }
            else
            {
                drain = ArmUnsynchronized(split);
                armed = true;
            }
        }

        if (answer is not null)
        {
            split.Complete(answer);
        }
        else if (armed && drain is not null)
        {
            drain.Start();
        }
        else if (armed)
        {
            OnSplitDrained(split);
        }
    }

    // S1120: the peer splits its members (tentatively) before the members here do.
    private void SendCommit(AtomicSplit split, PeerSplitPart peer)
    {
        RemoteControl commit;
        lock (_lock)
        {
            if (split.Stage != SplitStage.Holding)
            {
                return;
            }

            split.CommitTime = _scheduler.Time.GetUtcNow();
            peer.Contacted = true;
            commit = SplitMessage(RemoteControlKind.SplitCommit, split, peer.Members);
        }

        peer.Path.SendControl(commit, reply => OnPeerCommitted(split, reply));
    }

    private void OnPeerCommitted(AtomicSplit split, RemoteControlReply reply)
    {
        AtomicSplitResult? answer = null;
        lock (_lock)
        {
            if (split.Stage != SplitStage.Holding)
            {
                // Aborted meanwhile (its timeout): the abort follows the commit on the link and undoes it there.
                return;
            }

            if (reply.IsGood)
            {
                split.Peer!.Committed = true;
                LogSplit(split, AtomicSplitPhase.Commit, "the peer split its " + split.Peer.Members.Length + " members (tentatively)");
            }
            else
            {
                answer = AbortUnsynchronized(split, PeerError(reply), null, "the peer did not split its members: " + reply.Message);
            }
        }

        if (reply.IsGood)
        {
            CommitHere(split);
        }
        else if (answer is not null)
        {
            split.Complete(answer);
        }
        else
        {
            QueueReleases(split);
        }
    }

    // LINK_DOWN when the link failed; else the peer's own reason (PEER_NACK: a member not found, not PAIR, busy).
    private static PairErrorCode PeerError(RemoteControlReply reply)
    {
        return reply.Status == RemoteStatus.LinkDown ? PairErrorCode.LinkDown : reply.Error;
    }

    private static RemoteControl SplitMessage(RemoteControlKind kind, AtomicSplit split, IReadOnlyList<PairAddress> members)
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

    private static void ClearStreamCutsUnsynchronized(PeerSplitPart peer)
    {
        foreach (MirrorPair feeding in peer.Feeding)
        {
            feeding.StreamCut = null;
        }
    }

    // A confirm or an abort must reach the peer: if the link fails, it goes again when the path is back up.
    private void SendOutcome(IRemoteCopyPath path, RemoteControl message)
    {
        path.SendControl(message, reply =>
        {
            if (reply.Status == RemoteStatus.LinkDown)
            {
                lock (_lock)
                {
                    _pendingOutcomes.Add((path, message));
                }
            }
        });
    }

    private void ResendOutcomes(IRemoteCopyPath path)
    {
        List<RemoteControl> due = [];
        lock (_lock)
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
}

/// <summary>The peer's share of a cross-subsystem atomic split, at its coordinator.</summary>
internal sealed class PeerSplitPart(IRemoteCopyPath path, PairAddress[] members, MirrorPair[] feeding)
{
    /// <summary>Gets the path to the peer.</summary>
    public IRemoteCopyPath Path { get; } = path;

    /// <summary>Gets the peer's members, in the command's order.</summary>
    public PairAddress[] Members { get; } = members;

    /// <summary>Gets this subsystem's remote pairs that feed the peer's members (a sequence cut rides on their updates).</summary>
    public MirrorPair[] Feeding { get; } = feeding;

    /// <summary>Gets or sets whether the peer was sent a prepare or a commit (so an abort must follow).</summary>
    public bool Contacted { get; set; }

    /// <summary>Gets or sets whether the peer answered that its members are split.</summary>
    public bool Committed { get; set; }
}
