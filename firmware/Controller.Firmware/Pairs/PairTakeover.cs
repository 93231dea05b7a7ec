// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Bitmaps;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.RemoteCopy;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Pairs;

/// <summary>
/// Commands sent to a remote pair's secondary, and the takeovers (seed 002): the pair's state has one owner, its
/// primary, so the secondary passes them over a path that reaches the primary (RC PAIR COMMAND) and the owner decides
/// them under the lock, one at a time with its own hosts' commands (R2-9: a resync at SS1 and a swap resync at SS2
/// cannot both win). A swap resync the owner accepts moves the ownership: the owner turns its row into the
/// secondary's (its volume an S-VOL in COPY(RS), refusing host writes from then on) and hands over its differential
/// bitmap; the requester turns its row into the primary's and copies the union to the old P-VOL. Two commands run at
/// the secondary alone, because they are for when the primary is out of reach: the delete of a PSUE side and the
/// S-VOL takeover (a read/write split of a PSUE S-VOL, CCI's SSWS), which makes the S-VOL writable.
/// </summary>
internal sealed class PairTakeover
{
    private readonly CopyManagementTable _table;
    private readonly PairRegistry _registry;
    private readonly PairStateMachine _states;
    private readonly WriteSequencer _sequencer;
    private readonly IScheduler _scheduler;

    /// <summary>Initializes the takeover side of a table.</summary>
    /// <param name="table">The table (its owners).</param>
    /// <param name="sequencer">Stamps a takeover's split point.</param>
    /// <param name="scheduler">Its clock stamps a takeover's split time; retries handovers.</param>
    public PairTakeover(CopyManagementTable table, WriteSequencer sequencer, IScheduler scheduler)
    {
        _table = table;
        _registry = table.Registry;
        _states = table.States;
        _sequencer = sequencer;
        _scheduler = scheduler;
    }

    /// <summary>At a secondary: answers at once, or returns the send that passes the command to the owner (under the lock).</summary>
    /// <param name="pair">The secondary's row.</param>
    /// <param name="operation">The command.</param>
    /// <param name="splitMode">For a split: whether the S-VOL becomes read/write.</param>
    /// <param name="answer">Told the answer, now or later.</param>
    /// <returns>The send to run after the lock is left, or null.</returns>
    public Action? ExecuteAtSecondaryUnsynchronized(MirrorPair pair, PairOperation operation, SplitMode splitMode, Action<PairCommandResponse> answer)
    {
        PairState state = pair.State;
        if (pair.ControlBusy)
        {
            // A command passed to the owner is still out (a swap the owner may already have committed): nothing here
            // may change the row under it.
            answer(_states.AnswerUnsynchronized(pair.PVolAddress, pair.SVolAddress, pair.EntryId, operation, TransitionRule.Reject(state, PairErrorCode.PairBusy), state).ToResponse());
            return null;
        }

        if (operation == PairOperation.Delete && state == PairState.Psue)
        {
            answer(_states.ApplyUnsynchronized(pair, operation, splitMode).ToResponse());
            return null;
        }

        if (operation == PairOperation.Split && splitMode == SplitMode.ReadWrite && state == PairState.Psue)
        {
            answer(TakeOverSVolUnsynchronized(pair).ToResponse());
            return null;
        }

        if (pair.Determining && operation == PairOperation.Resync)
        {
            // FIG 4: a resync sent to the S-VOL is ABNORMAL END in every state; no need to ask the owner.
            answer(_states.AnswerUnsynchronized(pair.PVolAddress, pair.SVolAddress, pair.EntryId, operation, TransitionRule.Reject(state, DeterminingPairTable.Lookup(operation, PairRole.SVol, state).Error), state).ToResponse());
            return null;
        }

        IRemoteCopyPath? owner = _table.Primary.FindRemotePathUnsynchronized(pair.PVolAddress.PortId);
        PairErrorCode error = owner is null ? PairErrorCode.NotPrimary
            : operation is PairOperation.Create or PairOperation.CreateNoCopy ? PairErrorCode.NotPrimary
            : !owner.IsUp ? PairErrorCode.LinkDown
            : PairErrorCode.None;
        if (error == PairErrorCode.LinkDown && pair.Determining && operation == PairOperation.SwapResync && state == PairState.Psus)
        {
            // R2-10: the owner cannot be reached, so the lock cannot be taken: suspended by error, nobody takes over.
            _states.ApplyUnsynchronized(pair, PairOperation.SuspendByError, SplitMode.ReadOnly, PairEventCause.LinkDown);
        }

        if (error != PairErrorCode.None)
        {
            answer(_states.AnswerUnsynchronized(pair.PVolAddress, pair.SVolAddress, pair.EntryId, operation, TransitionRule.Reject(pair.State, error), pair.State).ToResponse());
            return null;
        }

        pair.ControlBusy = true;
        RemoteControl forwarded = new(RemoteControlKind.PairCommand, new PairAddress(pair.PVolAddress, pair.SVolAddress))
        {
            Operation = operation,
            SplitMode = splitMode,
            BlockCount = pair.SVol.BlockCount,
            TrackSizeBytes = pair.SVol.Geometry.TrackSizeBytes,
        };
        return () => owner!.SendControl(forwarded, reply =>
        {
            answer(FinishForwarded(pair, forwarded, state, owner, reply));
            _table.Queue.RunWaiting(pair.EntryId);
        });
    }

    // The owner answered a command this secondary passed on. It told this side every state change over its own link
    // before it answered; a swap resync it accepted makes this side the primary.
    private PairCommandResponse FinishForwarded(MirrorPair pair, RemoteControl forwarded, PairState before, IRemoteCopyPath owner, RemoteControlReply reply)
    {
        PairDecision decision;
        lock (_registry.Lock)
        {
            decision = FinishForwardedUnsynchronized(pair, forwarded, before, owner, reply);
        }

        // The primary's words go into the answer here, outside the lock.
        return reply.IsGood ? decision.ToResponse() : (decision with { Note = " (primary: " + reply.Message + ")" }).ToResponse();
    }

    private PairDecision FinishForwardedUnsynchronized(MirrorPair pair, RemoteControl forwarded, PairState before, IRemoteCopyPath owner, RemoteControlReply reply)
    {
        PairOperation operation = forwarded.Operation;
        pair.ControlBusy = false;
        if (!reply.IsGood)
        {
            if (reply.Status == RemoteStatus.LinkDown && pair.Determining && operation == PairOperation.SwapResync && _registry.IsInTableUnsynchronized(pair) && pair.State == PairState.Psus)
            {
                _states.ApplyUnsynchronized(pair, PairOperation.SuspendByError, SplitMode.ReadOnly, PairEventCause.LinkDown);
            }

            return _states.AnswerUnsynchronized(pair.PVolAddress, pair.SVolAddress, pair.EntryId, operation, TransitionRule.Reject(pair.State, reply.Error), pair.State);
        }

        if (operation == PairOperation.SwapResync)
        {
            return BecomePrimaryUnsynchronized(pair, owner, reply);
        }

        PairState now = _registry.IsInTableUnsynchronized(pair) ? pair.State : PairState.Smpl;
        TransitionRule done = now == before ? TransitionRule.NoOp(now) : TransitionRule.To(now);
        return _states.AnswerUnsynchronized(forwarded.Pair.PVol, forwarded.Pair.SVol, pair.EntryId, operation, done, before);
    }

    // At the owner: a command a secondary passed on. A swap resync is decided here; any other runs as if a host of
    // this subsystem had sent it (the secondary learns the outcome over this side's link first). On a determining
    // pair with a command out here it waits its turn (<see cref="DeterminingQueue"/>), found again when it
    // is decided: a swap resync may have turned the row meanwhile.
    public void ReceivePairCommand(int peer, RemoteControl request, Action<RemoteControlReply> reply)
    {
        List<Action> after = [];
        lock (_registry.Lock)
        {
            MirrorPair? row = _table.Queue.FindForCommandUnsynchronized(request.Pair.PVol, request.Pair.SVol);
            if (row is not null && _table.Queue.MustWaitUnsynchronized(row))
            {
                _table.Queue.EnqueueUnsynchronized(row, later => DecidePassedUnsynchronized(peer, request, reply, later));
                return;
            }

            DecidePassedUnsynchronized(peer, request, reply, after);
        }

        // Answers and sends after the lock is released: the transport may call the requester's code on this thread,
        // which takes the requester's lock.
        foreach (Action action in after)
        {
            action();
        }
    }

    private void DecidePassedUnsynchronized(int peer, RemoteControl request, Action<RemoteControlReply> reply, List<Action> after)
    {
        MirrorPair? row = _table.Queue.FindForCommandUnsynchronized(request.Pair.PVol, request.Pair.SVol);
        RemoteControlReply? answer = row is null ? RemoteControlReply.Refused(PairErrorCode.NotPaired, "no pair " + request.Pair + " here")
            : IsSwapTakenAlreadyUnsynchronized(peer, request, row) ? SwapTakenAgainUnsynchronized(row, reply)
            : row.IsSecondary ? RemoteControlReply.Refused(PairErrorCode.NotPrimary, "this subsystem holds the S-VOL of " + request.Pair + " too: neither side owns the pair (delete and re-create it)")
            : request.Operation is PairOperation.Create or PairOperation.CreateNoCopy ? RemoteControlReply.Refused(PairErrorCode.NotPrimary, "a pair is created at its primary")
            : request.Operation == PairOperation.SwapResync ? SwapAtOwnerUnsynchronized(peer, row, reply)
            : null;
        if (answer is not null)
        {
            after.Add(() => reply(answer));
            return;
        }

        if (request.Operation == PairOperation.SwapResync)
        {
            // Accepted: the bitmap goes back from the volume's MP.
            return;
        }

        // An answer decided now is sent after the lock is released; a later one comes from a callback that has
        // taken and released this lock first, so it sees deciding = false.
        bool deciding = true;
        RemoteControlReply? decided = null;
        Action? send = _table.Primary.ExecuteAtPrimaryUnsynchronized(row!, request.Operation, request.SplitMode, done =>
        {
            RemoteControlReply outcome = done.Result == CommandResult.Rejected
                ? RemoteControlReply.Refused(done.Error, done.Message) with { State = done.State }
                : new RemoteControlReply(RemoteStatus.Good, PairErrorCode.None, done.Message) { State = done.State };
            if (deciding)
            {
                decided = outcome;
            }
            else
            {
                reply(outcome);
            }
        });
        deciding = false;
        if (decided is not null)
        {
            RemoteControlReply now = decided;
            after.Add(() => reply(now));
        }

        if (send is not null)
        {
            after.Add(send);
        }
    }

    // The owner decides a swap resync sent to the S-VOL: FIG 4 for a determining pair (NORMAL END only from suspend
    // normal), T1's SwapResync column otherwise. Accepted, this row becomes the secondary's at once, so any command
    // decided after this one here sees an S-VOL; the bitmap goes back from the volume's MP (null returned then).
    private RemoteControlReply? SwapAtOwnerUnsynchronized(int peer, MirrorPair row, Action<RemoteControlReply> reply)
    {
        PairState from = row.State;
        PairErrorCode error = row.Determining
            ? DeterminingPairTable.Lookup(PairOperation.SwapResync, PairRole.SVol, from).Error
            : RemoteMirrorTable.Instance.Lookup(from, PairOperation.SwapResync).Error;
        error = error != PairErrorCode.None ? error
            : row.ControlBusy ? PairErrorCode.PairBusy
            : row.ActiveSplit is not null ? PairErrorCode.SplitInProgress
            : PairErrorCode.None;
        if (error != PairErrorCode.None)
        {
            _states.LogUnsynchronized(row.PVolAddress, row.SVolAddress, row.EntryId, PairOperation.SwapResync, CommandResult.Rejected, from, from, error, PairEventCause.PeerCommand);
            return RemoteControlReply.Refused(error, row.PVolAddress + " -> " + row.SVolAddress + ": " + PairStateNames.Of(from) + " x swap resync rejected: " + error);
        }

        row.Job?.Cancel();
        _table.Names.ForgetUnsynchronized(row);
        _registry.RemoveRowUnsynchronized(row);
        Ldev local = row.PVol;
        Ldev far = new(new LdevId(ushort.MaxValue), new RemoteVolume(row.SVolAddress, local.BlockCount, null), local.Geometry);
        MirrorPair turned = new(row.EntryId, row.SVolAddress, far, row.PVolAddress, local, 0, MirrorType.Remote)
        {
            LocalRole = PairRole.SVol,
            Fence = row.Fence,
            Peer = peer,
            Determining = row.Determining,
            State = PairState.CopyResync,
        };
        _registry.AddRowUnsynchronized(turned);
        _states.LogUnsynchronized(turned.PVolAddress, turned.SVolAddress, turned.EntryId, PairOperation.SwapResync, CommandResult.Accepted, from, PairState.CopyResync, PairErrorCode.None, PairEventCause.PeerCommand);

        // What changed here since the split (host writes, tracks a stopped copy still owed) goes to the new primary,
        // taken on the volume's MP behind every write admitted before the swap.
        new SecondaryBitmapHandover(turned, [row.PVolBitmap, row.SVolBitmap], reply, _scheduler).Queue();
        return null;
    }

    // A swap resync from the requester whose swap this side already took: this side's row is the turned one (the
    // S-VOL's, following that requester) while the request still names the pair as it was, so the requester still
    // holds its S-VOL row. That happens only when it crashed after this side committed the swap and before its own
    // turn was kept (its host had no answer and sends the command again): two S-VOL rows, no owner.
    private static bool IsSwapTakenAlreadyUnsynchronized(int peer, RemoteControl request, MirrorPair row)
    {
        return request.Operation == PairOperation.SwapResync && row.IsSecondary && row.Peer == peer
            && row.PVolAddress == request.Pair.SVol && row.SVolAddress == request.Pair.PVol;
    }

    // Takes such a swap again: the row here is the swap's COPY(RS) S-VOL row once more (a link lost since may have
    // suspended it), and every track goes back as changed, because what was handed over the first time died with the
    // requester, and what this side's old P-VOL took since the split is not known after a restart. A superset: the
    // copy back makes this volume equal to the new P-VOL whatever it held.
    private RemoteControlReply? SwapTakenAgainUnsynchronized(MirrorPair row, Action<RemoteControlReply> reply)
    {
        PairState from = row.State;
        row.State = PairState.CopyResync;
        _states.LogUnsynchronized(row.PVolAddress, row.SVolAddress, row.EntryId, PairOperation.SwapResync, CommandResult.Accepted, from, PairState.CopyResync, PairErrorCode.None, PairEventCause.PeerCommand);
        DifferentialBitmap every = new(row.SVol.BlockCount, row.SVol.Geometry);
        every.SetRange(0, every.TrackCount - 1);
        new SecondaryBitmapHandover(row, [every], reply, _scheduler).Queue();
        return null;
    }

    // The owner accepted this side's swap resync: this row becomes the primary's, and the differential copy of the
    // union (this side's changes, and the old primary's in the reply) runs to the old P-VOL.
    private PairDecision BecomePrimaryUnsynchronized(MirrorPair old, IRemoteCopyPath path, RemoteControlReply reply)
    {
        PairState from = old.State;
        if (!_registry.IsInTableUnsynchronized(old))
        {
            return _states.RefuseUnsynchronized(old.PVolAddress, old.SVolAddress, PairOperation.SwapResync, PairErrorCode.NotPaired);
        }

        _registry.RemoveRowUnsynchronized(old);
        Ldev local = old.SVol;
        Ldev far = _table.Primary.NewStandInUnsynchronized(old.PVolAddress, local.BlockCount, path, local.Geometry);
        MirrorPair row = new(old.EntryId, old.SVolAddress, local, old.PVolAddress, far, 0, MirrorType.Remote)
        {
            LocalRole = PairRole.PVol,
            Fence = old.Fence,
            Path = path,
            Determining = old.Determining,
            State = from,
        };
        if (reply.Bitmap is byte[] bits)
        {
            row.SVolBitmap.OrBits(bits);
        }

        _registry.AddRowUnsynchronized(row);

        // The old row's marks are read when the copy set is built, behind every write admitted before the swap.
        CopyJob job = _states.NewJobUnsynchronized(row, PairOperation.SwapResync, CopyDirection.PVolToSVol, full: false);
        job.Inherited = [old.SVolBitmap, old.PVolBitmap];
        row.State = PairState.CopyResync;
        _registry.StartWhenKeptUnsynchronized(job);
        return _states.AnswerUnsynchronized(row.PVolAddress, row.SVolAddress, row.EntryId, PairOperation.SwapResync, TransitionRule.To(PairState.CopyResync), from);
    }

    // S-VOL takeover (CCI horctakeover's SVOL-takeover, pairsplit -RS): the primary is out of reach (PSUE), and the
    // S-VOL becomes writable, split read/write (SSWS), its writes marked for the swap resync that follows the repair.
    private PairDecision TakeOverSVolUnsynchronized(MirrorPair pair)
    {
        PairState from = pair.State;
        pair.SplitMode = SplitMode.ReadWrite;
        pair.SplitSequence = _sequencer.Current;
        pair.SplitTime = _scheduler.Time.GetUtcNow();
        pair.State = PairState.Psus;
        _registry.PublishPairingUnsynchronized(pair);
        return _states.AnswerUnsynchronized(pair.PVolAddress, pair.SVolAddress, pair.EntryId, PairOperation.Split, TransitionRule.To(PairState.Psus), from) with { Note = " (S-VOL takeover: SSWS, read/write)" };
    }
}
