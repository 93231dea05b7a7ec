// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Media;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Queues;
using Controller.Firmware.RemoteCopy;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;
using Microsoft.Extensions.ObjectPool;

namespace Controller.Firmware.Pairs;

/// <summary>
/// The replication link at a remote pair's primary (TrueCopy-like, docs/architecture.md, "The remote-copy link"): the
/// primary owns a remote pair's state and the secondary follows it. Each command is decided by the state machine
/// (<see cref="RemoteMirrorTable"/>, T1); an accepted one is agreed with the secondary over the pair's
/// <see cref="IRemoteCopyPath"/> before it is answered: a create or a resync asks the secondary first (it must accept,
/// and a resync needs its bitmap); a split, a suspension or a delete takes effect here first and is then told, in
/// order with the update copies already sent. A link that goes down suspends every mirroring pair on it (PSUE); a
/// command that needs the peer is then refused with LINK DOWN. Owns the paths, the creates in flight and the pool of
/// update sends.
/// </summary>
internal sealed class RemotePrimary
{
    private static readonly TimeSpan ControlQueueRetry = TimeSpan.FromMilliseconds(1);

    private readonly CopyManagementTable _table;
    private readonly PairRegistry _registry;
    private readonly PairStateMachine _states;
    private readonly IScheduler _scheduler;
    private readonly List<IRemoteCopyPath> _paths = [];
    private readonly HashSet<PairAddress> _creating = [];
    private readonly ObjectPool<RemoteUpdateSend> _sends = RemoteUpdateSend.CreatePool(4096);
    private int _nextProxyMp;

    /// <summary>Initializes the primary side of a table.</summary>
    /// <param name="table">The table (its owners).</param>
    /// <param name="scheduler">Retries control sends when an MP's queue is full.</param>
    public RemotePrimary(CopyManagementTable table, IScheduler scheduler)
    {
        _table = table;
        _registry = table.Registry;
        _states = table.States;
        _scheduler = scheduler;
    }

    /// <summary>
    /// Adds a remote-copy path to a peer subsystem: pairs whose S-VOL is on one of the peer's ports use it, and the
    /// path going down suspends them.
    /// </summary>
    /// <param name="path">The path.</param>
    public void AddRemotePath(IRemoteCopyPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        lock (_registry.Lock)
        {
            _paths.Add(path);
        }

        path.StateChanged += up =>
        {
            if (up)
            {
                _table.Splits.ResendOutcomes(path);
            }
            else
            {
                OnPathDown(path);
            }
        };
    }

    /// <summary>Finds the path that reaches a port of a peer.</summary>
    /// <param name="port">A port ID.</param>
    /// <returns>The path, or null when no peer has the port.</returns>
    public IRemoteCopyPath? FindRemotePath(PortId port)
    {
        lock (_registry.Lock)
        {
            return FindRemotePathUnsynchronized(port);
        }
    }

    /// <summary>
    /// Creates a remote pair (paircreate with a fence level): the secondary checks its S-VOL and creates its side in
    /// COPY, then this side is created and the initial copy runs over the link. On volumes that already form a pair
    /// the table decides (a no-op in COPY or PAIR, rejected when suspended).
    /// </summary>
    /// <param name="pVolAddress">The P-VOL's address (a port of this subsystem).</param>
    /// <param name="pVol">The P-VOL.</param>
    /// <param name="sVolAddress">The S-VOL's address (a port of the peer).</param>
    /// <param name="fence">The fence level.</param>
    /// <param name="noCopy">
    /// Create without the initial copy (FIG 12): the P-VOL and the S-VOL must be split S-VOLs of one atomic split
    /// whose P-VOLs were one mirrored image; only the tracks written on either since are copied.
    /// </param>
    /// <param name="determining">Create a determining pair (seed 002): its resyncs are decided by FIG 4.</param>
    /// <returns>The answer, once the secondary has answered (or the link failed).</returns>
    public Task<PairCommandResponse> CreateRemoteAsync(VolumeAddress pVolAddress, Ldev pVol, VolumeAddress sVolAddress, FenceLevel fence, bool noCopy = false, bool determining = false)
    {
        ArgumentNullException.ThrowIfNull(pVol);
        if (pVol.Owner is null)
        {
            ThrowHelper.ThrowInvalidOperation("LDEV " + pVol.Id + " is not attached to an MP of this subsystem");
        }

        PairAddress address = new(pVolAddress, sVolAddress);
        PairOperation operation = noCopy ? PairOperation.CreateNoCopy : PairOperation.Create;
        IRemoteCopyPath? path = FindRemotePath(sVolAddress.PortId);
        MirrorPair? origin = null;
        PairDecision? decided = null;
        lock (_registry.Lock)
        {
            MirrorPair? existing = _registry.FindUnsynchronized(pVolAddress, sVolAddress);
            if (existing is not null)
            {
                decided = existing.IsSecondary
                    ? _states.AnswerUnsynchronized(pVolAddress, sVolAddress, existing.EntryId, operation, TransitionRule.Reject(existing.State, PairErrorCode.NotPrimary), existing.State)
                    : _states.ApplyUnsynchronized(existing, operation, SplitMode.ReadOnly);
            }
            else if (noCopy && (origin = _registry.SplitPairOfUnsynchronized(pVol)) is null)
            {
                decided = _states.RefuseUnsynchronized(pVolAddress, sVolAddress, operation, PairErrorCode.NoCopyRefused) with { Note = ": the P-VOL is not the S-VOL of a pair split by an atomic split" };
            }
            else
            {
                PairErrorCode error = path is null ? PairErrorCode.NoRemotePath : CheckNewRemotePairUnsynchronized(pVol, sVolAddress);
                if (error == PairErrorCode.None && !_creating.Add(address))
                {
                    error = PairErrorCode.PairBusy;
                }

                if (error != PairErrorCode.None)
                {
                    decided = _states.RefuseUnsynchronized(pVolAddress, sVolAddress, operation, error);
                }
            }
        }

        if (decided is PairDecision now)
        {
            return Task.FromResult(now.ToResponse());
        }

        TaskCompletionSource<PairCommandResponse> answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        RemoteControl create = new(RemoteControlKind.Create, address)
        {
            Fence = fence,
            BlockCount = pVol.BlockCount,
            TrackSizeBytes = pVol.Geometry.TrackSizeBytes,
            NoCopyOrigin = origin?.PVolAddress,
            Split = origin?.SplitSource ?? default,
            Determining = determining,
        };
        path!.SendControl(create, reply => answer.SetResult(FinishCreate(create, pVol, path, origin, reply)));
        return answer.Task;
    }

    /// <summary>
    /// The primary decides: T1 (FIG 4 for a determining pair's resyncs), then agrees the change with the secondary.
    /// Answers at once, or returns the send that asks the secondary first (a resync). Under the lock.
    /// </summary>
    /// <param name="pair">The primary's row.</param>
    /// <param name="operation">The command.</param>
    /// <param name="splitMode">For a split: whether the S-VOL becomes read/write.</param>
    /// <param name="answer">Told the answer, now or later.</param>
    /// <returns>The send to run after the lock is left, or null.</returns>
    public Action? ExecuteAtPrimaryUnsynchronized(MirrorPair pair, PairOperation operation, SplitMode splitMode, Action<PairCommandResponse> answer)
    {
        PairAddress address = new(pair.PVolAddress, pair.SVolAddress);
        PairState state = pair.State;
        if (operation == PairOperation.SwapResync || (operation == PairOperation.Resync && pair.Determining))
        {
            // A swap resync must be sent to the S-VOL; FIG 4 refuses it at the P-VOL in every state, and decides a
            // determining pair's resync (NORMAL END only from suspend normal: the lock is free).
            PairErrorCode error = pair.Determining ? DeterminingPairTable.Lookup(operation, PairRole.PVol, state).Error : PairErrorCode.NotSecondary;
            if (error != PairErrorCode.None)
            {
                answer(_states.AnswerUnsynchronized(pair.PVolAddress, pair.SVolAddress, pair.EntryId, operation, TransitionRule.Reject(state, error), state).ToResponse());
                return null;
            }
        }

        TransitionRule rule = _states.TableOf(pair).Lookup(state, operation);
        if (rule.Result != CommandResult.Accepted)
        {
            answer(_states.ApplyUnsynchronized(pair, operation, splitMode).ToResponse());
            return null;
        }

        if (pair.ControlBusy)
        {
            answer(_states.AnswerUnsynchronized(pair.PVolAddress, pair.SVolAddress, pair.EntryId, operation, TransitionRule.Reject(state, PairErrorCode.PairBusy), state).ToResponse());
            return null;
        }

        if (operation == PairOperation.Resync && pair.Determining && !pair.Path!.IsUp)
        {
            // R2-10: the partner cannot be reached, so the lock cannot be taken: ABNORMAL END, and the pair is
            // suspended by error (nobody takes over automatically).
            _states.ApplyUnsynchronized(pair, PairOperation.SuspendByError, SplitMode.ReadOnly, PairEventCause.LinkDown);
            answer(_states.AnswerUnsynchronized(pair.PVolAddress, pair.SVolAddress, pair.EntryId, operation, TransitionRule.Reject(pair.State, PairErrorCode.LinkDown), pair.State).ToResponse());
            return null;
        }

        pair.ControlBusy = true;
        if (operation != PairOperation.Resync)
        {
            // Here first: from now on the write path marks instead of sending. The secondary is told behind the
            // update copies already queued, so its S-VOL has every write mirrored before the change.
            PairDecision local = _states.ApplyUnsynchronized(pair, operation, splitMode);
            RemoteControl told = operation == PairOperation.Delete
                ? new RemoteControl(RemoteControlKind.Delete, address)
                : new RemoteControl(RemoteControlKind.SetState, address) { State = pair.State, SplitMode = splitMode };
            TellSecondary(pair, told, reply =>
            {
                answer(FinishAfterPeer(pair, operation, local, reply));
                _table.Queue.RunWaiting(pair.EntryId);
            });
            return null;
        }

        // A resync asks the secondary first: it stops host writes to its S-VOL and hands over its bitmap.
        RemoteControl resync = new(RemoteControlKind.Resync, address) { BlockCount = pair.PVol.BlockCount, TrackSizeBytes = pair.PVol.Geometry.TrackSizeBytes };
        IRemoteCopyPath path = pair.Path!;
        return () => path.SendControl(resync, reply =>
        {
            answer(FinishResync(pair, reply));
            _table.Queue.RunWaiting(pair.EntryId);
        });
    }

    /// <summary>Rents the state of one update copy in flight (the write path, on an MP).</summary>
    /// <returns>The pooled object.</returns>
    public RemoteUpdateSend RentUpdateSend()
    {
        return _sends.Get();
    }

    // The P-VOL may have one remote mirror (TrueCopy's one mirror unit); no second pair to the same S-VOL.
    private PairErrorCode CheckNewRemotePairUnsynchronized(Ldev pVol, VolumeAddress sVolAddress)
    {
        foreach (MirrorPair pair in _registry.RowsUnsynchronized)
        {
            if (pair.Type != MirrorType.Remote || pair.IsSecondary)
            {
                continue;
            }

            if (pair.SVolAddress == sVolAddress)
            {
                return PairErrorCode.SVolInUse;
            }

            if (ReferenceEquals(pair.PVol, pVol))
            {
                return PairErrorCode.MirrorUnitsExhausted;
            }
        }

        return PairErrorCode.None;
    }

    private PairCommandResponse FinishCreate(RemoteControl create, Ldev pVol, IRemoteCopyPath path, MirrorPair? origin, RemoteControlReply reply)
    {
        PairDecision decision;
        lock (_registry.Lock)
        {
            decision = FinishCreateUnsynchronized(create, pVol, path, origin, reply);
        }

        return reply.IsGood ? decision.ToResponse() : (decision with { Note = " (secondary: " + reply.Message + ")" }).ToResponse();
    }

    private PairDecision FinishCreateUnsynchronized(RemoteControl create, Ldev pVol, IRemoteCopyPath path, MirrorPair? origin, RemoteControlReply reply)
    {
        PairAddress address = create.Pair;
        PairOperation operation = origin is null ? PairOperation.Create : PairOperation.CreateNoCopy;
        _creating.Remove(address);
        if (!reply.IsGood)
        {
            return _states.RefuseUnsynchronized(address.PVol, address.SVol, operation, reply.Error);
        }

        // The S-VOL's stand-in: sized like the S-VOL, owned by an MP that sends its update copies in order.
        Ldev far = NewStandInUnsynchronized(address.SVol, reply.BlockCount, path, pVol.Geometry);
        MirrorPair pair = new(_registry.NextEntryIdUnsynchronized(), address.PVol, pVol, address.SVol, far, 0, MirrorType.Remote)
        {
            LocalRole = PairRole.PVol,
            Fence = create.Fence,
            Path = path,
            Determining = create.Determining,
        };
        if (origin is not null)
        {
            // FIG 12: the copy sends what changed on LV3 since the split (here) and on LV4 (the secondary's bits).
            pair.NoCopyInherited = [origin.SVolBitmap];
            if (reply.Bitmap is byte[] bits)
            {
                pair.SVolBitmap.OrBits(bits);
            }
        }

        _registry.AddRowUnsynchronized(pair);
        return _states.ApplyUnsynchronized(pair, operation, SplitMode.ReadOnly);
    }

    private PairCommandResponse FinishAfterPeer(MirrorPair pair, PairOperation operation, PairDecision local, RemoteControlReply reply)
    {
        PairState now;
        lock (_registry.Lock)
        {
            pair.ControlBusy = false;
            if (reply.IsGood || operation is PairOperation.Delete or PairOperation.SuspendByError)
            {
                // A delete or a suspension stands here even if the secondary never heard: it suspends its side
                // when it loses the link, and its PSUE side may then be deleted there.
                now = PairState.Smpl;
            }
            else
            {
                // A split the secondary could not take: its S-VOL is not the split image. Suspended by error instead.
                if (_registry.IsInTableUnsynchronized(pair))
                {
                    _states.ApplyUnsynchronized(pair, PairOperation.SuspendByError, SplitMode.ReadOnly, PairEventCause.LinkDown);
                }

                now = pair.State;
            }
        }

        if (reply.IsGood || operation is PairOperation.Delete or PairOperation.SuspendByError)
        {
            return local.ToResponse();
        }

        return new PairCommandResponse(CommandResult.Rejected, now, reply.Error, pair.PVolAddress + " -> " + pair.SVolAddress + ": " + operation + " not agreed with the secondary (" + reply.Message + "); the pair is " + PairStateNames.Of(now));
    }

    private PairCommandResponse FinishResync(MirrorPair pair, RemoteControlReply reply)
    {
        PairDecision decision;
        bool refusedByPeer;
        lock (_registry.Lock)
        {
            decision = FinishResyncUnsynchronized(pair, reply, out refusedByPeer);
        }

        // The secondary's words go into the answer here, outside the lock.
        return refusedByPeer ? (decision with { Note = " (secondary: " + reply.Message + ")" }).ToResponse() : decision.ToResponse();
    }

    private PairDecision FinishResyncUnsynchronized(MirrorPair pair, RemoteControlReply reply, out bool refusedByPeer)
    {
        refusedByPeer = false;
        pair.ControlBusy = false;
        if (!_registry.IsInTableUnsynchronized(pair))
        {
            return _states.RefuseUnsynchronized(pair.PVolAddress, pair.SVolAddress, PairOperation.Resync, PairErrorCode.NotPaired);
        }

        if (!reply.IsGood)
        {
            if (reply.Status == RemoteStatus.LinkDown && pair.Determining && pair.State == PairState.Psus)
            {
                // R2-10: the lock could not be taken because the partner went away: suspended by error.
                _states.ApplyUnsynchronized(pair, PairOperation.SuspendByError, SplitMode.ReadOnly, PairEventCause.LinkDown);
            }

            refusedByPeer = true;
            return _states.AnswerUnsynchronized(pair.PVolAddress, pair.SVolAddress, pair.EntryId, PairOperation.Resync, TransitionRule.Reject(pair.State, reply.Error), pair.State);
        }

        // The S side's changes join the union the copy builds (the P side's are already here).
        if (reply.Bitmap is byte[] bits)
        {
            pair.SVolBitmap.OrBits(bits);
        }

        return _states.ApplyUnsynchronized(pair, PairOperation.Resync, SplitMode.ReadOnly);
    }

    /// <summary>
    /// Sends a control message from the MP that owns the S-VOL's stand-in: behind every update copy of the pair that
    /// MP has taken, on the same FIFO link. Without a reply handler, a failure suspends the pair.
    /// </summary>
    /// <param name="pair">The primary's row.</param>
    /// <param name="message">The message.</param>
    /// <param name="reply">Told the secondary's reply, or null.</param>
    public void TellSecondary(MirrorPair pair, RemoteControl message, Action<RemoteControlReply>? reply)
    {
        reply ??= answer =>
        {
            if (!answer.IsGood)
            {
                _states.SuspendOnFault(pair, answer.Status == RemoteStatus.LinkDown ? PairEventCause.LinkDown : PairEventCause.PeerRefused);
            }
        };
        new ControlSend(pair.SVol, pair.Path!, message, reply, _scheduler).Queue();
    }

    /// <summary>Finds the path that reaches a port of a peer (under the lock).</summary>
    /// <param name="port">A port ID.</param>
    /// <returns>The path, or null.</returns>
    public IRemoteCopyPath? FindRemotePathUnsynchronized(PortId port)
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

    /// <summary>The MP that owns a new far volume's stand-in: in turn, so update copies spread over the MPs (under the lock).</summary>
    /// <returns>The MP.</returns>
    // The stand-in of a remote S-VOL at the primary: sized like the S-VOL, owned by an MP that sends its update copies
    // in the order it takes them (its mirror target), so one pair's updates leave in write order.
    public Ldev NewStandInUnsynchronized(VolumeAddress sVol, long blockCount, IRemoteCopyPath path, TrackGeometry geometry)
    {
        RemoteVolume media = new(sVol, blockCount, path);
        return new Ldev(new LdevId(ushort.MaxValue), media, geometry)
        {
            Owner = NextProxyOwnerUnsynchronized(),
            MirrorTarget = new RemoteMirrorTarget(_table, media),
        };
    }

    public MpWorker<BlockCommand> NextProxyOwnerUnsynchronized()
    {
        IReadOnlyList<MpWorker<BlockCommand>> mps = _table.Mps;
        return mps[_nextProxyMp++ % mps.Count];
    }

    // The path went down: every remote pair on it that was mirroring is suspended by error (a split pair stays
    // split: it was not mirroring, and its bitmaps stay valid).
    private void OnPathDown(IRemoteCopyPath path)
    {
        lock (_registry.Lock)
        {
            foreach (MirrorPair pair in _registry.RowsUnsynchronized.ToArray())
            {
                if (ReferenceEquals(pair.Path, path) && pair.State is PairState.Copy or PairState.Pair or PairState.CopyResync)
                {
                    _states.ApplyUnsynchronized(pair, PairOperation.SuspendByError, SplitMode.ReadOnly, PairEventCause.LinkDown);
                }
            }
        }
    }

    // A control message queued as a task on the MP of the S-VOL's stand-in (retried when the queue is full).
    private sealed class ControlSend(Ldev far, IRemoteCopyPath path, RemoteControl message, Action<RemoteControlReply> reply, IScheduler scheduler) : IMpTask, IWorkItem
    {
        public void Queue()
        {
            if (!far.Owner!.TrySubmitInternal(BlockCommand.ForTask(far, this)))
            {
                scheduler.ScheduleAfter(ControlQueueRetry, this);
            }
        }

        public void Run()
        {
            path.SendControl(message, reply);
        }

        public void Execute()
        {
            Queue();
        }
    }
}
