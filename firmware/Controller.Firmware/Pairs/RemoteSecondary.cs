// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.RemoteCopy;
using Controller.Firmware.Volumes;
using Microsoft.Extensions.ObjectPool;

namespace Controller.Firmware.Pairs;

/// <summary>
/// The replication link at a remote pair's secondary: the side of each remote pair whose S-VOL is here, kept as its
/// primary says (create, state changes, resync, delete), and the update copies the primary sends, written to the S-VOL
/// on its MP and passed on to the S-VOL's own local mirrors (the cascade LV2 -> LV4) before they are answered. The
/// secondary decides nothing about the pair's state except that losing its primary suspends it (PSUE). Both transports
/// (FCP exchanges at the port front, <see cref="ScheduledRemotePath"/> in tests) reach it through the table.
/// </summary>
internal sealed class RemoteSecondary
{
    private readonly CopyManagementTable _table;
    private readonly PairRegistry _registry;
    private readonly PairStateMachine _states;
    private readonly WriteSequencer _sequencer;
    private readonly Scheduling.IScheduler _scheduler;
    private readonly ObjectPool<WriteFanIn> _fanIns;

    /// <summary>Initializes the secondary side of a table.</summary>
    /// <param name="table">The table (its owners).</param>
    /// <param name="sequencer">Numbers the update copies that arrive.</param>
    /// <param name="scheduler">Retries bitmap handovers when an MP's queue is full.</param>
    /// <param name="fanIns">The pool of write fan-ins the update copies use.</param>
    public RemoteSecondary(CopyManagementTable table, WriteSequencer sequencer, Scheduling.IScheduler scheduler, ObjectPool<WriteFanIn> fanIns)
    {
        _table = table;
        _registry = table.Registry;
        _states = table.States;
        _sequencer = sequencer;
        _scheduler = scheduler;
        _fanIns = fanIns;
    }

    /// <summary>
    /// Carries out a pair-control message from a primary. The reply comes once, at once or (for a resync, which
    /// takes the S-side bitmap on the S-VOL's MP) from that MP.
    /// </summary>
    /// <param name="peer">The primary's link identity (its initiator port ID): the row follows it, and its loss suspends the row.</param>
    /// <param name="request">The message.</param>
    /// <param name="sVol">For a create: the LDEV at the S-VOL's address here (the port front resolves it), or null.</param>
    /// <param name="reply">Told the answer.</param>
    public void ReceiveRemoteControl(int peer, RemoteControl request, Ldev? sVol, Action<RemoteControlReply> reply)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reply);
        if (request.Kind.IsSplitMessage())
        {
            _table.PeerSplits.Receive(peer, request, reply);
            return;
        }

        if (request.Kind == RemoteControlKind.PairCommand)
        {
            _table.Takeover.ReceivePairCommand(peer, request, reply);
            return;
        }

        if (request.Kind == RemoteControlKind.NameMirrors)
        {
            reply(_table.Names.ReceiveMirrorName(request));
            return;
        }

        RemoteControlReply? answer;
        lock (_registry.Lock)
        {
            MirrorPair? row = _registry.FindUnsynchronized(request.Pair.PVol, request.Pair.SVol);
            if (row is not null && !row.IsSecondary)
            {
                answer = RemoteControlReply.Refused(PairErrorCode.NotPrimary, "this subsystem is the primary of " + request.Pair);
            }
            else
            {
                answer = request.Kind switch
                {
                    RemoteControlKind.Create => CreateSecondaryUnsynchronized(peer, request, row, sVol, reply),
                    RemoteControlKind.SetState => SetSecondaryStateUnsynchronized(row, request),
                    RemoteControlKind.Delete => DeleteSecondaryUnsynchronized(row),
                    RemoteControlKind.Resync => BeginSecondaryResyncUnsynchronized(row, reply),
                    _ => RemoteControlReply.Refused(PairErrorCode.NotSupportedForMirrorType, "unknown remote control message " + (int)request.Kind),
                };
            }
        }

        if (answer is not null)
        {
            reply(answer);
        }
    }

    /// <summary>
    /// Takes an update copy from a primary: checks that its S-VOL's side is mirroring and queues the write to the
    /// S-VOL's MP. The completion is told once the S-VOL and every cascade below it have the data (Good), or that it
    /// did not land. Lock-free; allocates nothing.
    /// </summary>
    /// <param name="update">The update.</param>
    /// <param name="completion">Told when it has ended (the origin command it gets is a mirror write of the pair).</param>
    /// <param name="tag">The caller's tag (the exchange).</param>
    /// <returns>None when queued; else why it was refused at once (nothing was written).</returns>
    public PairErrorCode ReceiveRemoteUpdate(in RemoteUpdate update, IBlockCommandCompletion completion, long tag)
    {
        ArgumentNullException.ThrowIfNull(completion);
        MirrorPair? row = _registry.FindSecondary(update.SVol);
        if (row is null)
        {
            return PairErrorCode.NotPaired;
        }

        PairState state = row.State;
        if (state is not (PairState.Copy or PairState.Pair or PairState.CopyResync))
        {
            return state == PairState.Psue ? PairErrorCode.SuspendedByError : PairErrorCode.PairSuspended;
        }

        Ldev sVol = row.SVol;
        long blocks = update.Data.Count / Media.TrackGeometry.BlockSize;
        if (update.Lba < 0 || update.Lba > sVol.BlockCount - blocks)
        {
            return PairErrorCode.CapacityMismatch;
        }

        // Numbered in this subsystem's write sequence when it arrives, like a host write here: a split of the
        // S-VOL's own local mirrors cuts it by this number. (A write the primary acknowledged only after this one
        // landed is numbered later, here too.) Beyond the cut of a split the primary coordinates, it carries the
        // number only that split's stream cut excludes.
        long sequence = update.IsCopiedTrack ? long.MaxValue : update.BeyondCut ? SplitCut.BeyondStreamCut : _sequencer.Next();
        WriteFanIn fanIn = _fanIns.Get();
        fanIn.Arm(BlockCommand.MirrorWrite(row, sVol, update.Lba, update.Data, completion, tag, sequence), 1);
        if (!sVol.Owner!.TrySubmitInternal(BlockCommand.MirrorWrite(row, sVol, update.Lba, update.Data, fanIn, tag, sequence)))
        {
            _fanIns.Return(fanIn);
            return PairErrorCode.PairBusy;
        }

        return PairErrorCode.None;
    }

    /// <summary>
    /// The link from a primary is gone (its connection closed, or the in-process path went down): every row that
    /// follows it and was mirroring is suspended by error, as soon as this side learns of it.
    /// </summary>
    /// <param name="peer">The primary's link identity.</param>
    public void OnRemotePeerLost(int peer)
    {
        lock (_registry.Lock)
        {
            foreach (MirrorPair row in _registry.RowsUnsynchronized.ToArray())
            {
                if (row.IsSecondary && row.Peer == peer && row.State is PairState.Copy or PairState.Pair or PairState.CopyResync)
                {
                    _states.ApplyUnsynchronized(row, PairOperation.SuspendByError, SplitMode.ReadOnly, PairEventCause.LinkDown);
                }
            }
        }

        _table.PeerSplits.AbortSplitsOf(peer);
    }

    private RemoteControlReply? CreateSecondaryUnsynchronized(int peer, RemoteControl request, MirrorPair? existing, Ldev? sVol, Action<RemoteControlReply> reply)
    {
        PairAddress address = request.Pair;
        if (existing is not null)
        {
            // A create repeated (its first answer was lost): the side exists; the primary's table decides.
            return new RemoteControlReply(RemoteStatus.Good, PairErrorCode.None, "exists") { State = existing.State, BlockCount = existing.SVol.BlockCount };
        }

        PairErrorCode error = PairErrorCode.None;
        string why = string.Empty;
        if (sVol?.Owner is null)
        {
            error = PairErrorCode.RemoteVolumeNotMapped;
            why = "no volume is mapped at " + address.SVol;
        }
        else if (request.TrackSizeBytes != sVol.Geometry.TrackSizeBytes)
        {
            error = PairErrorCode.TrackSizeMismatch;
            why = "the primary uses " + request.TrackSizeBytes + "-byte tracks, this subsystem " + sVol.Geometry.TrackSizeBytes;
        }
        else if (request.BlockCount != sVol.BlockCount)
        {
            error = PairErrorCode.CapacityMismatch;
            why = "the P-VOL has " + request.BlockCount + " blocks, the S-VOL " + sVol.BlockCount;
        }
        else
        {
            foreach (MirrorPair pair in _registry.RowsUnsynchronized)
            {
                if (ReferenceEquals(pair.SVol, sVol) && !PairRegistry.IsSplit(pair))
                {
                    error = PairErrorCode.SVolInUse;
                    why = address.SVol + " is already the S-VOL of " + pair.PVolAddress + " -> " + pair.SVolAddress;
                    break;
                }
            }
        }

        // FIG 12: a no-copy create needs the S-VOL split by the same atomic split as the P-VOL, from one image.
        MirrorPair? origin = null;
        if (error == PairErrorCode.None && request.NoCopyOrigin is VolumeAddress pOrigin)
        {
            origin = _registry.SplitPairOfUnsynchronized(sVol!);
            string? notOne = origin is null ? "the S-VOL is not the S-VOL of a pair split by an atomic split"
                : origin.SplitSource != request.Split ? "the S-VOL comes from split " + origin.SplitSource + ", the P-VOL from " + request.Split
                : origin.PVolAddress != pOrigin && origin.SplitUpstream != pOrigin ? "the S-VOL's split image is of " + origin.PVolAddress + ", not of " + pOrigin + " or a mirror of it"
                : null;
            if (notOne is not null)
            {
                error = PairErrorCode.NoCopyRefused;
                why = notOne;
            }
        }

        if (error != PairErrorCode.None)
        {
            _states.LogUnsynchronized(address.PVol, address.SVol, 0, PairOperation.Create, CommandResult.Rejected, PairState.Smpl, PairState.Smpl, error, PairEventCause.PeerCommand);
            return RemoteControlReply.Refused(error, why);
        }

        Ldev far = new(new LdevId(ushort.MaxValue), new RemoteVolume(address.PVol, request.BlockCount, null), sVol!.Geometry);
        MirrorPair row = new(_registry.NextEntryIdUnsynchronized(), address.PVol, far, address.SVol, sVol, 0, MirrorType.Remote)
        {
            LocalRole = PairRole.SVol,
            Fence = request.Fence,
            Peer = peer,
            Determining = request.Determining,
        };
        _registry.AddRowUnsynchronized(row);

        // From here on hosts may not write the S-VOL; the initial copy arrives as copied tracks.
        row.State = PairState.Copy;
        _states.LogUnsynchronized(address.PVol, address.SVol, row.EntryId, origin is null ? PairOperation.Create : PairOperation.CreateNoCopy, CommandResult.Accepted, PairState.Smpl, PairState.Copy, PairErrorCode.None, PairEventCause.PeerCommand);
        if (origin is not null)
        {
            // The S-VOL's changes since the split go back for the copy, taken on its MP behind every admitted write.
            new SecondaryBitmapHandover(row, [origin.SVolBitmap], reply, _scheduler).Queue();
            return null;
        }

        return new RemoteControlReply(RemoteStatus.Good, PairErrorCode.None, "created") { State = PairState.Copy, BlockCount = sVol.BlockCount };
    }

    private RemoteControlReply SetSecondaryStateUnsynchronized(MirrorPair? row, RemoteControl request)
    {
        if (row is null)
        {
            return RemoteControlReply.Refused(PairErrorCode.NotPaired, "no side of " + request.Pair + " is here");
        }

        PairState from = row.State;
        PairState to = request.State;
        if (to == PairState.Psue && from == PairState.Psus && row.SplitMode == SplitMode.ReadWrite)
        {
            // A suspension the primary made while the pair mirrored (a link loss), reaching a side whose S-VOL its host
            // has taken over since (SSWS, pairsplit -RS) or that was split read/write after it: older than this row's
            // state, and applying it would take the S-VOL from the host that writes it now. Kept as it is.
            _states.LogUnsynchronized(row.PVolAddress, row.SVolAddress, row.EntryId, PairOperation.SuspendByError, CommandResult.Rejected, from, from, PairErrorCode.None, PairEventCause.PeerCommand);
            return new RemoteControlReply(RemoteStatus.Good, PairErrorCode.None, PairStateNames.OfSVol(from) + ": the primary's suspension is older than this side's split; kept") { State = from };
        }

        if (to == PairState.Psus)
        {
            row.SplitMode = request.SplitMode;
            row.SplitSequence = _sequencer.Current;
            row.SplitTime = _scheduler.Time.GetUtcNow();
        }

        row.State = to;
        _states.LogUnsynchronized(row.PVolAddress, row.SVolAddress, row.EntryId, OperationOf(from, to), CommandResult.Accepted, from, to, PairErrorCode.None, PairEventCause.PeerCommand);
        return new RemoteControlReply(RemoteStatus.Good, PairErrorCode.None, PairStateNames.OfSVol(to)) { State = to };
    }

    private RemoteControlReply DeleteSecondaryUnsynchronized(MirrorPair? row)
    {
        if (row is null)
        {
            return new RemoteControlReply(RemoteStatus.Good, PairErrorCode.None, "no such pair: nothing to delete") { State = PairState.Smpl };
        }

        _states.ApplyUnsynchronized(row, PairOperation.Delete, SplitMode.ReadOnly, PairEventCause.PeerCommand);
        return new RemoteControlReply(RemoteStatus.Good, PairErrorCode.None, "deleted") { State = PairState.Smpl };
    }

    // COPY(RS) now (no host write to the S-VOL is admitted from here on); the S-side bitmap is taken on the S-VOL's
    // MP, behind every host write it admitted while split, and goes back with the reply.
    private RemoteControlReply? BeginSecondaryResyncUnsynchronized(MirrorPair? row, Action<RemoteControlReply> reply)
    {
        if (row is null)
        {
            return RemoteControlReply.Refused(PairErrorCode.NotPaired, "no side of the pair is here");
        }

        PairState from = row.State;
        row.State = PairState.CopyResync;
        _states.LogUnsynchronized(row.PVolAddress, row.SVolAddress, row.EntryId, PairOperation.Resync, CommandResult.Accepted, from, PairState.CopyResync, PairErrorCode.None, PairEventCause.PeerCommand);
        new SecondaryBitmapHandover(row, null, reply, _scheduler).Queue();
        return null;
    }

    // The operation a state change of the primary stands for, for the secondary's event log.
    private static PairOperation OperationOf(PairState from, PairState to)
    {
        return to switch
        {
            PairState.Psus => PairOperation.Split,
            PairState.Psue => PairOperation.SuspendByError,
            PairState.CopyResync => PairOperation.Resync,
            _ => from == PairState.Copy ? PairOperation.Create : PairOperation.Resync,
        };
    }
}
