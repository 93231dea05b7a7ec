// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Bitmaps;
using Controller.Firmware.Media;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Volumes;
using Microsoft.Extensions.ObjectPool;

namespace Controller.Firmware.WritePath;

/// <summary>
/// Runs an LDEV's commands to completion on the MP that owns it: the write path of docs/architecture.md ("The write path"). A host
/// write is checked against the volume's pairs, numbered, written, and then passed on to each mirror by the
/// pair's state: PAIR copies it to the S-VOL's MP before the acknowledgement; COPY and COPY(RS) copy it unless
/// every track it touches is still to be copied (the copy will carry it); PSUS, PSUE and RCPY mark the P-side
/// bitmap. A mirror write does the same on its volume, so cascades follow. No lock, no allocation for a write to
/// a simplex volume, one pooled <see cref="WriteFanIn"/> for a mirrored one. On a volume that can be synced (a file
/// store) the answer of a write that must be durable first (write-through, or FUA) and of SYNCHRONIZE CACHE goes to
/// the volume's <see cref="GroupCommit"/>, which gives it after a sync that covers it: the MP does not wait for the disk.
/// </summary>
internal sealed class BlockCommandHandler : IParkedWriteHandler, IDurableAnswers
{
    private readonly WriteSequencer _sequencer;
    private readonly ObjectPool<WriteFanIn> _fanIns;
    private readonly CopyManagementTable _pairs;
    private readonly HostCommandLimit _hostLimit;
    private readonly byte[] _zeroTrack;

    /// <summary>Initializes the handler the MPs of one subsystem share.</summary>
    /// <param name="sequencer">Numbers every admitted host write (docs/architecture.md decision 1).</param>
    /// <param name="fanIns">Fan-ins for mirrored writes.</param>
    /// <param name="pairs">Told when a mirror write fails, to suspend its pair.</param>
    /// <param name="hostLimit">Told when a host command is answered.</param>
    /// <param name="zeroTrack">The copy engine's shared track of zeros: a copied track carrying it was never written.</param>
    public BlockCommandHandler(WriteSequencer sequencer, ObjectPool<WriteFanIn> fanIns, CopyManagementTable pairs, HostCommandLimit hostLimit, byte[] zeroTrack)
    {
        _zeroTrack = zeroTrack;
        _sequencer = sequencer;
        _fanIns = fanIns;
        _pairs = pairs;
        _hostLimit = hostLimit;
    }

    /// <inheritdoc/>
    public void Execute(in BlockCommand command)
    {
        switch (command.Kind)
        {
            case BlockCommandKind.Read:
                Answer(command, command.Ldev.Media.Read(command.Lba, command.Buffer.AsSpan()));
                break;
            case BlockCommandKind.Write:
                HostWrite(command);
                break;
            case BlockCommandKind.MirrorWrite:
                MirrorWrite(command);
                break;
            case BlockCommandKind.CopyWrite:
                CopyWrite(command);
                break;
            case BlockCommandKind.Synchronize:
                Synchronize(command);
                break;
            default:
                command.Task!.Run();
                break;
        }
    }

    private void HostWrite(in BlockCommand command)
    {
        if (command.Buffer.Count == 0)
        {
            // A write of no blocks (transfer length 0) writes nothing and marks nothing: SCSI calls it good.
            Answer(command, MediaStatus.Good);
            return;
        }

        Ldev volume = command.Ldev;
        if (volume.Hold is HoldGate gate)
        {
            // A freeze holds this P-VOL: parked before it takes a number, run in arrival order at the release.
            gate.Park(command);
            return;
        }

        VolumePairing pairing = volume.Pairing;
        MediaStatus admission = pairing.AdmitHostWrite();
        if (admission != MediaStatus.Good)
        {
            Answer(command, admission);
            return;
        }

        if (volume.Intent is WriteIntent intent && !intent.Covers(command.Lba, command.Buffer.Count / TrackGeometry.BlockSize))
        {
            // A region with no kept intent: parked before it takes a number, run again once the intent is on stable
            // storage, so a crash finds every region a write may have half-done (WriteIntent). Simplex volumes too:
            // a pair deleted just before a crash comes back if its deletion was never kept, and then the writes
            // made after the deletion must be in its marks.
            intent.Park(command);
            return;
        }

        long sequence = _sequencer.Next();
        MediaStatus status = volume.Media.Write(command.Lba, command.Buffer.AsSpan());

        // On media that can be synced, a write that returned is counted at once (a later SYNCHRONIZE CACHE's sync
        // must cover it); its answer waits for a sync when the LDEV is write-through or the host set FUA.
        GroupCommit? commit = status == MediaStatus.Good ? volume.Commit : null;
        long ticket = commit is null ? 0 : commit.Issue();
        bool durableFirst = commit is not null && (commit.WriteThrough || command.ForceUnitAccess);
        if (status != MediaStatus.Good || pairing.IsSimplex)
        {
            if (durableFirst)
            {
                HoldUntilDurable(commit!, new DurableAck(command, ticket, null));
            }
            else
            {
                Answer(command, status);
            }

            return;
        }

        long blocks = command.Buffer.Count / TrackGeometry.BlockSize;

        // An admitted write to an S-VOL (after a read/write split) marks the S side, so a resync copies the track
        // back. Marked whatever the state reads now: admission is the decision, and an extra mark is harmless.
        foreach (MirrorPair upstream in pairing.AsSVols)
        {
            upstream.SVolBitmap.MarkWrite(command.Lba, blocks);
        }

        WriteFanIn? fanIn = null;
        PassOn(command, pairing, null, blocks, sequence, ref fanIn);
        if (durableFirst)
        {
            // The write's own part ends when its sync does; the mirrors' parts end on their own MPs meanwhile.
            HoldUntilDurable(commit!, new DurableAck(command, ticket, fanIn));
        }
        else if (fanIn is null)
        {
            Answer(command, MediaStatus.Good);
        }
        else
        {
            // The write's own part: the acknowledgement goes out when the last mirror has it.
            fanIn.Release();
        }
    }

    // SYNCHRONIZE CACHE, run in order with the LDEV's other commands: every write this MP ran before it is covered.
    private void Synchronize(in BlockCommand command)
    {
        GroupCommit? commit = command.Ldev.Commit;
        if (commit is null)
        {
            // RAM: nothing to sync (Flush is a no-op there), answered in order.
            Answer(command, command.Ldev.Media.Flush());
            return;
        }

        HoldUntilDurable(commit, new DurableAck(command, commit.Issued, null));
    }

    // Hands an answer to the LDEV's group commit. Not on the MP's time: the MP goes on with its next command while
    // the group commit's sync slots sync. A full group is synced here instead (rare; correct, only slower).
    private void HoldUntilDurable(GroupCommit commit, in DurableAck ack)
    {
        if (commit.IsDurable(ack.Ticket))
        {
            OnDurable(ack, MediaStatus.Good);
        }
        else if (!commit.TryHold(ack))
        {
            OnDurable(ack, commit.SyncThrough(ack.Ticket));
        }
    }

    /// <summary>
    /// Gives an answer held for a sync, on the thread of the sync that covered it (or the MP's, when it synced inline or
    /// a sync covered the answer as it was held): a host command is answered, a fan-in part released. A failed sync fails the host write (MEDIUM ERROR), or suspends the pair
    /// whose S-VOL did not keep its mirror write, as a failed mirror write does.
    /// </summary>
    /// <param name="ack">The held answer.</param>
    /// <param name="status">The sync's outcome.</param>
    public void OnDurable(in DurableAck ack, MediaStatus status)
    {
        BlockCommand command = ack.Command;
        if (ack.FanIn is not WriteFanIn fanIn)
        {
            Answer(command, status);
            return;
        }

        if (status != MediaStatus.Good)
        {
            if (command.Kind == BlockCommandKind.Write)
            {
                fanIn.Fail(status);
            }
            else
            {
                MirrorPair pair = (MirrorPair)command.Relation!;
                fanIn.MirrorFailed(pair, status);
                _pairs.SuspendOnFault(pair, PairEventCause.MirrorWriteError);
            }
        }

        fanIn.Release();
    }

    /// <summary>Answers a host write that was parked for its write intent and cannot run (the intent could not be kept).</summary>
    /// <param name="command">The write.</param>
    /// <param name="status">The answer.</param>
    public void AnswerParked(in BlockCommand command, MediaStatus status)
    {
        Answer(command, status);
    }

    // Answers a host command that needs no mirror: it leaves the in-flight count first, so a host that reacts to
    // the answer by sending the next command finds room.
    private void Answer(in BlockCommand command, MediaStatus status)
    {
        _hostLimit.Leave();
        command.Completion.Complete(command, status);
    }

    private void MirrorWrite(in BlockCommand command)
    {
        MirrorPair pair = (MirrorPair)command.Relation!;
        if (command.Ldev.Hold is HoldGate gate && !(pair.IsSecondary && command.Sequence < gate.FromSequence))
        {
            // A member P-VOL fed by an upstream mirror: its writes are held like host writes (the upstream host
            // write is acknowledged after the release). An update copy that arrived from a primary before the hold
            // passes: its write was admitted before the coordinator's hold, and its other copies are in the image.
            gate.Park(command);
            return;
        }

        WriteFanIn fanIn = (WriteFanIn)command.Completion;
        if (pair.State is PairState.Smpl or PairState.Psue)
        {
            // The pair was deleted or suspended by error since the write was queued: the volume is no longer its
            // copy (a local PSUE resync copies every track), and a host may already own it. A remote pair keeps
            // marking in PSUE: the track is owed to its S-VOL. An update copy received from a primary says it failed.
            MarkOwedToRemote(pair, command);
            fanIn.MirrorFailed(pair, MediaStatus.WriteProtected);
            fanIn.Release();
            return;
        }

        Ldev volume = command.Ldev;
        if (volume.MirrorTarget is IMirrorTarget far)
        {
            // The S-VOL is in the peer: the update copy leaves from this MP, in the order the writes came here.
            far.Write(command);
            return;
        }

        MediaStatus status = volume.Media.Write(command.Lba, command.Buffer.AsSpan());
        GroupCommit? commit = status == MediaStatus.Good ? volume.Commit : null;
        long ticket = commit is null ? 0 : commit.Issue();
        if (status != MediaStatus.Good)
        {
            // The mirror no longer holds a copy: suspend it (its resync then copies every track).
            fanIn.MirrorFailed(pair, status);
            _pairs.SuspendOnFault(pair, PairEventCause.MirrorWriteError);
        }
        else
        {
            VolumePairing pairing = volume.Pairing;
            if (pairing.AsSVols.Length > 1)
            {
                // The volume is also the split S-VOL of other pairs (FIG 12's LV4): this write changes it for them.
                MarkOtherSVolPairs(pairing, pair, command);
            }

            if (pairing.AsPVol.Length != 0)
            {
                WriteFanIn? cascade = fanIn;
                PassOn(command, pairing, pair, command.Buffer.Count / TrackGeometry.BlockSize, command.Sequence, ref cascade);
            }
        }

        if (commit is not null && commit.WriteThrough)
        {
            // A write-through S-VOL: the origin is answered only once this copy is on stable storage too.
            HoldUntilDurable(commit, new DurableAck(command, ticket, fanIn));
            return;
        }

        fanIn.Release();
    }

    // A copied track: when no mirror downstream will read the buffer, the store keeps it as the track's storage
    // (no second copy of 64 KiB) and the storage it replaces goes back to the copy engine's pool. A track of the
    // shared zeros (never written on the source) makes the target's track unwritten again: sparse stays sparse.
    private void CopyWrite(in BlockCommand command)
    {
        MirrorPair pair = (MirrorPair)command.Relation!;
        if (pair.State is not (PairState.Copy or PairState.CopyResync or PairState.Rcpy))
        {
            // A copy cancelled (delete, suspend, a split) while this track was queued: never overwrite what is no
            // longer a copy target. A remote pair, or a local one split during its copy, still owes the track to its
            // S-VOL (its resync copies the marks; docs/state-tables.md, split in COPY).
            MarkOwedToRemote(pair, command);
            if (pair.Type == MirrorType.Local && pair.State == PairState.Psus)
            {
                pair.PVolBitmap.MarkWrite(command.Lba, command.Buffer.Count / TrackGeometry.BlockSize);
            }

            ((WriteFanIn)command.Completion).Release();
            return;
        }

        Ldev volume = command.Ldev;
        if (volume.Hold is HoldGate gate)
        {
            gate.Park(command);
            return;
        }

        ArraySegment<byte> data = command.Buffer;
        if (volume.Pairing.AsPVol.Length == 0 && volume.Pairing.AsSVols.Length <= 1 && volume.Media is ITrackStore store && data.Offset == 0 && data.Count == data.Array!.Length)
        {
            byte[]? buffer = ReferenceEquals(data.Array, _zeroTrack) ? null : data.Array;
            if (store.TryExchangeTrack(volume.Geometry.TrackOfBlock(command.Lba), ref buffer))
            {
                WriteFanIn fanIn = (WriteFanIn)command.Completion;
                fanIn.ReplaceOriginBuffer(buffer);
                fanIn.Release();
                return;
            }
        }

        MirrorWrite(command);
    }

    private static void MarkOtherSVolPairs(VolumePairing pairing, MirrorPair deliveredBy, in BlockCommand command)
    {
        foreach (MirrorPair other in pairing.AsSVols)
        {
            if (!ReferenceEquals(other, deliveredBy))
            {
                other.SVolBitmap.MarkWrite(command.Lba, command.Buffer.Count / TrackGeometry.BlockSize);
            }
        }
    }

    // At a remote pair's primary, a write that will not reach the S-VOL now is marked in the P-side bitmap: a
    // remote pair's bitmap stays valid in PSUE (TrueCopy), so its resync sends only what is marked.
    private static void MarkOwedToRemote(MirrorPair pair, in BlockCommand command)
    {
        if (pair.Type == MirrorType.Remote && !pair.IsSecondary && pair.State != PairState.Smpl)
        {
            pair.PVolBitmap.MarkWrite(command.Lba, command.Buffer.Count / TrackGeometry.BlockSize);
        }
    }

    // Passes a write that landed on a volume on to the mirrors it is the P-VOL of, each by its state. The pair
    // that delivered the write (a restore writing its own P-VOL) is skipped. 'sequence' is the origin host write's
    // number: a pair under a sequence cut mirrors only writes numbered below the cut's point.
    private void PassOn(in BlockCommand write, VolumePairing pairing, MirrorPair? deliveredBy, long blocks, long sequence, ref WriteFanIn? fanIn)
    {
        foreach (MirrorPair pair in pairing.AsPVol)
        {
            if (ReferenceEquals(pair, deliveredBy))
            {
                continue;
            }

            switch (pair.State)
            {
                case PairState.Pair:
                    // The state is read before the cut: a split commits PSUS while its cut stays armed, so a
                    // write that read PAIR just before the commit still finds the cut (SplitCut).
                    SplitCut? cut = pair.Cut;
                    if (cut is not null && !cut.Includes(sequence))
                    {
                        pair.PVolBitmap.MarkWrite(write.Lba, blocks);
                    }
                    else
                    {
                        Forward(write, pair, sequence, ref fanIn);
                    }

                    break;
                case PairState.Copy:
                case PairState.CopyResync:
                    DifferentialBitmap? copySet = pair.CopySet;
                    if (copySet is null)
                    {
                        // The copy set is being built on this MP later: the P-side mark joins it.
                        pair.PVolBitmap.MarkWrite(write.Lba, blocks);
                    }
                    else if (!copySet.CoversWrite(write.Lba, blocks))
                    {
                        // A track already copied (or claimed, its copy queued ahead of this write): mirror it.
                        Forward(write, pair, sequence, ref fanIn);
                    }

                    break;
                case PairState.Psus:
                case PairState.Psue:
                case PairState.Rcpy:
                    pair.PVolBitmap.MarkWrite(write.Lba, blocks);
                    break;
                default:
                    // SMPL: deleted since the pairing was read.
                    break;
            }
        }
    }

    private void Forward(in BlockCommand write, MirrorPair pair, long sequence, ref WriteFanIn? fanIn)
    {
        if (fanIn is null)
        {
            fanIn = _fanIns.Get();
            fanIn.Arm(write, 1);
        }

        fanIn.AddPending();
        Ldev target = pair.SVol;
        if (!target.Owner!.TrySubmitInternal(BlockCommand.MirrorWrite(pair, target, write.Lba, write.Buffer, fanIn, write.Tag, sequence)))
        {
            // Never silently behind: a mirror that cannot take the write is suspended (PSUE, full resync later).
            fanIn.Release();
            _pairs.SuspendOnFault(pair, PairEventCause.MirrorQueueFull);
        }
    }
}
