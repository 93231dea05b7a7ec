// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Addressing;
using Controller.Firmware.RemoteCopy;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;
using Microsoft.Extensions.ObjectPool;

namespace Controller.Firmware.Pairs;

/// <summary>
/// Remote mirrors at their primary (TrueCopy-like, docs/architecture.md, "The remote-copy link"): the primary owns a remote pair's state and
/// the secondary follows it. Each command is decided by <see cref="RemoteMirrorTable"/> (T1); an accepted one is
/// agreed with the secondary over the pair's <see cref="IRemoteCopyPath"/> before it is answered: a create or a
/// resync asks the secondary first (it must accept, and a resync needs its bitmap); a split, a suspension or a
/// delete takes effect here first and is then told, in order with the update copies already sent. A link that goes
/// down suspends every mirroring pair on it (PSUE); a command that needs the peer is then refused with LINK DOWN.
/// </summary>
public sealed partial class CopyManagementTable
{
    private static readonly TimeSpan ControlQueueRetry = TimeSpan.FromMilliseconds(1);

    private readonly List<IRemoteCopyPath> _paths = [];
    private readonly HashSet<PairAddress> _creating = [];
    private readonly ObjectPool<RemoteUpdateSend> _sends = RemoteUpdateSend.CreatePool(4096);
    private int _nextProxyMp;

    /// <summary>
    /// Adds a remote-copy path to a peer subsystem: pairs whose S-VOL is on one of the peer's ports use it, and the
    /// path going down suspends them.
    /// </summary>
    /// <param name="path">The path.</param>
    public void AddRemotePath(IRemoteCopyPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        lock (_lock)
        {
            _paths.Add(path);
        }

        path.StateChanged += up =>
        {
            if (up)
            {
                ResendOutcomes(path);
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
        lock (_lock)
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
        lock (_lock)
        {
            MirrorPair? existing = FindUnsynchronized(pVolAddress, sVolAddress);
            if (existing is not null)
            {
                return Task.FromResult(existing.IsSecondary
                    ? Answer(pVolAddress, sVolAddress, existing.EntryId, operation, TransitionRule.Reject(existing.State, PairErrorCode.NotPrimary), existing.State)
                    : ApplyUnsynchronized(existing, operation, SplitMode.ReadOnly));
            }

            if (noCopy)
            {
                origin = SplitPairOfUnsynchronized(pVol);
                if (origin is null)
                {
                    PairCommandResponse refused = Refuse(pVolAddress, sVolAddress, operation, PairErrorCode.NoCopyRefused);
                    return Task.FromResult(refused with { Message = refused.Message + ": the P-VOL is not the S-VOL of a pair split by an atomic split" });
                }
            }

            PairErrorCode error = path is null ? PairErrorCode.NoRemotePath : CheckNewRemotePairUnsynchronized(pVol, sVolAddress);
            if (error == PairErrorCode.None && !_creating.Add(address))
            {
                error = PairErrorCode.PairBusy;
            }

            if (error != PairErrorCode.None)
            {
                return Task.FromResult(Refuse(pVolAddress, sVolAddress, operation, error));
            }
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
    /// Runs a command on a pair, local or remote. A local pair's command is decided at once (<see cref="Execute"/>);
    /// a remote pair's is agreed with its secondary first. At the secondary a delete of a pair whose primary is out
    /// of reach (PSUE) and an S-VOL takeover (a read/write split in PSUE) are run there; every other command is
    /// passed to the primary over a path that reaches it, and refused with <see cref="PairErrorCode.NotPrimary"/>
    /// when there is none (CopyManagementTable.Takeover.cs).
    /// </summary>
    /// <param name="pVolAddress">The P-VOL's address.</param>
    /// <param name="sVolAddress">The S-VOL's address.</param>
    /// <param name="operation">The command (use <see cref="Create"/> or <see cref="CreateRemoteAsync"/> to create).</param>
    /// <param name="splitMode">For a split: whether the S-VOL becomes read/write.</param>
    /// <returns>The answer.</returns>
    public Task<PairCommandResponse> ExecuteAsync(VolumeAddress pVolAddress, VolumeAddress sVolAddress, PairOperation operation, SplitMode splitMode = SplitMode.ReadOnly)
    {
        if (operation is PairOperation.Create or PairOperation.CreateNoCopy)
        {
            ThrowHelper.ThrowArgument(nameof(operation), "create needs the LDEVs: call Create or CreateRemoteAsync");
        }

        MirrorPair? pair;
        lock (_lock)
        {
            pair = FindForCommandUnsynchronized(pVolAddress, sVolAddress);
        }

        if (pair is null || pair.Type == MirrorType.Local)
        {
            return Task.FromResult(Execute(pVolAddress, sVolAddress, operation, splitMode));
        }

        TaskCompletionSource<PairCommandResponse> answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        List<Action> after = [];
        lock (_lock)
        {
            pair = FindForCommandUnsynchronized(pVolAddress, sVolAddress);
            if (pair is null)
            {
                return Task.FromResult(Refuse(pVolAddress, sVolAddress, operation, PairErrorCode.NotPaired));
            }

            if (MustWaitUnsynchronized(pair))
            {
                // A determining pair with a command out: this one waits its turn (CopyManagementTable.DeterminingQueue.cs).
                EnqueueUnsynchronized(pair, later => DecideHostCommandUnsynchronized(pVolAddress, sVolAddress, operation, splitMode, answer.SetResult, later));
                return answer.Task;
            }

            DecideHostCommandUnsynchronized(pVolAddress, sVolAddress, operation, splitMode, answer.SetResult, after);
        }

        // Outside the lock: a path that is down answers at once, on this thread.
        foreach (Action action in after)
        {
            action();
        }

        return answer.Task;
    }

    // The primary decides: T1 (FIG 4 for a determining pair's resyncs), then agrees the change with the secondary.
    // Answers at once, or returns the send that asks the secondary first (a resync).
    private Action? ExecuteAtPrimaryUnsynchronized(MirrorPair pair, PairOperation operation, SplitMode splitMode, Action<PairCommandResponse> answer)
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
                answer(Answer(pair.PVolAddress, pair.SVolAddress, pair.EntryId, operation, TransitionRule.Reject(state, error), state));
                return null;
            }
        }

        TransitionRule rule = TableOf(pair).Lookup(state, operation);
        if (rule.Result != CommandResult.Accepted)
        {
            answer(ApplyUnsynchronized(pair, operation, splitMode));
            return null;
        }

        if (pair.ControlBusy)
        {
            answer(Answer(pair.PVolAddress, pair.SVolAddress, pair.EntryId, operation, TransitionRule.Reject(state, PairErrorCode.PairBusy), state));
            return null;
        }

        if (operation == PairOperation.Resync && pair.Determining && !pair.Path!.IsUp)
        {
            // R2-10: the partner cannot be reached, so the lock cannot be taken: ABNORMAL END, and the pair is
            // suspended by error (nobody takes over automatically).
            ApplyUnsynchronized(pair, PairOperation.SuspendByError, SplitMode.ReadOnly, PairEventCause.LinkDown);
            answer(Answer(pair.PVolAddress, pair.SVolAddress, pair.EntryId, operation, TransitionRule.Reject(pair.State, PairErrorCode.LinkDown), pair.State));
            return null;
        }

        pair.ControlBusy = true;
        if (operation != PairOperation.Resync)
        {
            // Here first: from now on the write path marks instead of sending. The secondary is told behind the
            // update copies already queued, so its S-VOL has every write mirrored before the change.
            PairCommandResponse local = ApplyUnsynchronized(pair, operation, splitMode);
            RemoteControl told = operation == PairOperation.Delete
                ? new RemoteControl(RemoteControlKind.Delete, address)
                : new RemoteControl(RemoteControlKind.SetState, address) { State = pair.State, SplitMode = splitMode };
            TellSecondary(pair, told, reply =>
            {
                answer(FinishAfterPeer(pair, operation, local, reply));
                RunWaiting(pair.EntryId);
            });
            return null;
        }

        // A resync asks the secondary first: it stops host writes to its S-VOL and hands over its bitmap.
        RemoteControl resync = new(RemoteControlKind.Resync, address) { BlockCount = pair.PVol.BlockCount, TrackSizeBytes = pair.PVol.Geometry.TrackSizeBytes };
        IRemoteCopyPath path = pair.Path!;
        return () => path.SendControl(resync, reply =>
        {
            answer(FinishResync(pair, reply));
            RunWaiting(pair.EntryId);
        });
    }

    /// <summary>Rents the state of one update copy in flight (the write path, on an MP).</summary>
    /// <returns>The pooled object.</returns>
    internal RemoteUpdateSend RentUpdateSend()
    {
        return _sends.Get();
    }

    // The P-VOL may have one remote mirror (TrueCopy's one mirror unit); no second pair to the same S-VOL.
    private PairErrorCode CheckNewRemotePairUnsynchronized(Ldev pVol, VolumeAddress sVolAddress)
    {
        foreach (MirrorPair pair in _pairs)
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
        PairAddress address = create.Pair;
        PairOperation operation = origin is null ? PairOperation.Create : PairOperation.CreateNoCopy;
        lock (_lock)
        {
            _creating.Remove(address);
            if (!reply.IsGood)
            {
                PairCommandResponse refused = Refuse(address.PVol, address.SVol, operation, reply.Error);
                return refused with { Message = refused.Message + " (secondary: " + reply.Message + ")" };
            }

            // The S-VOL's stand-in: sized like the S-VOL, owned by an MP that sends its update copies in order.
            Ldev far = new(new LdevId(ushort.MaxValue), new RemoteVolume(address.SVol, reply.BlockCount, path), pVol.Geometry)
            {
                Owner = _mps[_nextProxyMp++ % _mps.Count],
            };
            MirrorPair pair = new(_nextEntryId++, address.PVol, pVol, address.SVol, far, 0, MirrorType.Remote)
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

            AddRowUnsynchronized(pair);
            return ApplyUnsynchronized(pair, operation, SplitMode.ReadOnly);
        }
    }

    private PairCommandResponse FinishAfterPeer(MirrorPair pair, PairOperation operation, PairCommandResponse local, RemoteControlReply reply)
    {
        lock (_lock)
        {
            pair.ControlBusy = false;
            if (reply.IsGood || operation is PairOperation.Delete or PairOperation.SuspendByError)
            {
                // A delete or a suspension stands here even if the secondary never heard: it suspends its side
                // when it loses the link, and its PSUE side may then be deleted there.
                return local;
            }

            // A split the secondary could not take: its S-VOL is not the split image. Suspended by error instead.
            if (IsInTableUnsynchronized(pair))
            {
                ApplyUnsynchronized(pair, PairOperation.SuspendByError, SplitMode.ReadOnly, PairEventCause.LinkDown);
            }

            return new PairCommandResponse(CommandResult.Rejected, pair.State, reply.Error, pair.PVolAddress + " -> " + pair.SVolAddress + ": " + operation + " not agreed with the secondary (" + reply.Message + "); the pair is " + PairStateNames.Of(pair.State));
        }
    }

    private PairCommandResponse FinishResync(MirrorPair pair, RemoteControlReply reply)
    {
        lock (_lock)
        {
            pair.ControlBusy = false;
            if (!IsInTableUnsynchronized(pair))
            {
                return Refuse(pair.PVolAddress, pair.SVolAddress, PairOperation.Resync, PairErrorCode.NotPaired);
            }

            if (!reply.IsGood)
            {
                if (reply.Status == RemoteStatus.LinkDown && pair.Determining && pair.State == PairState.Psus)
                {
                    // R2-10: the lock could not be taken because the partner went away: suspended by error.
                    ApplyUnsynchronized(pair, PairOperation.SuspendByError, SplitMode.ReadOnly, PairEventCause.LinkDown);
                }

                PairCommandResponse refused = Answer(pair.PVolAddress, pair.SVolAddress, pair.EntryId, PairOperation.Resync, TransitionRule.Reject(pair.State, reply.Error), pair.State);
                return refused with { Message = refused.Message + " (secondary: " + reply.Message + ")" };
            }

            // The S side's changes join the union the copy builds (the P side's are already here).
            if (reply.Bitmap is byte[] bits)
            {
                pair.SVolBitmap.OrBits(bits);
            }

            return ApplyUnsynchronized(pair, PairOperation.Resync, SplitMode.ReadOnly);
        }
    }

    // Sends a control message from the MP that owns the S-VOL's stand-in: behind every update copy of the pair that
    // MP has taken, on the same FIFO link. Without a reply handler, a failure suspends the pair.
    private void TellSecondary(MirrorPair pair, RemoteControl message, Action<RemoteControlReply>? reply)
    {
        reply ??= answer =>
        {
            if (!answer.IsGood)
            {
                SuspendOnFault(pair, answer.Status == RemoteStatus.LinkDown ? PairEventCause.LinkDown : PairEventCause.PeerRefused);
            }
        };
        new ControlSend(pair.SVol, pair.Path!, message, reply, _scheduler).Queue();
    }

    // The path went down: every remote pair on it that was mirroring is suspended by error (a split pair stays
    // split: it was not mirroring, and its bitmaps stay valid).
    private void OnPathDown(IRemoteCopyPath path)
    {
        lock (_lock)
        {
            foreach (MirrorPair pair in _pairs.ToArray())
            {
                if (ReferenceEquals(pair.Path, path) && pair.State is PairState.Copy or PairState.Pair or PairState.CopyResync)
                {
                    ApplyUnsynchronized(pair, PairOperation.SuspendByError, SplitMode.ReadOnly, PairEventCause.LinkDown);
                }
            }
        }
    }

    // A control message queued as a task on the MP of the S-VOL's stand-in (retried when the queue is full).
    private sealed class ControlSend(Ldev far, IRemoteCopyPath path, RemoteControl message, Action<RemoteControlReply> reply, IScheduler scheduler) : IMpTask, IWorkItem
    {
        public void Queue()
        {
            if (!far.Owner!.TrySubmit(BlockCommand.ForTask(far, this)))
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
