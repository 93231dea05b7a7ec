// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.PairVocabulary;
using static Controller.Firmware.Pairs.TransitionRule;
using static Controller.Firmware.PairVocabulary.PairErrorCode;
using static Controller.Firmware.PairVocabulary.PairState;

namespace Controller.Firmware.Pairs;

/// <summary>
/// The remote-mirror command table, modelled on vendor table T1 (Hitachi CCI "Pair status versus TrueCopy/Universal
/// Replicator commands", the newer generation: PSUE x pairsplit -r/-P is "Acceptable", a no-op). T1's columns:
/// paircreate (Create), paircreate -nocopy (CreateNoCopy), pairsplit -r/-rw (Split), pairsplit -P
/// (SplitProtectPVol), pairsplit -S (Delete), pairresync (Resync). T1's COPY row serves COPY and COPY(RS); PDUB
/// (LUSE volumes) is not modelled. The columns T1 does not have: SuspendByError is the simulator's fault injection
/// (pairsplit -E of the local table); a remote mirror has no restore (a swap resync is TrueCopy's way back). The
/// SwapResync column is pairresync -swaps: sent to the S-VOL, passed to the owner, which decides it by this column
/// (from PSUS, or from PSUE after an S-VOL takeover) and hands the P role over; sent to the P-VOL it is refused with
/// <see cref="NotSecondary"/> before the table. A determining pair's resync and swap resync are decided by FIG 4
/// (<see cref="DeterminingPairTable"/>) instead. RCPY never happens to a
/// remote pair; its row only lets a delete through. A no-copy create enters COPY, not PAIR as in T1: it copies the
/// tracks changed since the atomic split both volumes came from (usually none, so PAIR follows in one step), and is
/// refused when the volumes are not provably from one split (FIG 12, R0-30, R0-31): never a PAIR whose volumes differ.
/// </summary>
public static class RemoteMirrorTable
{
    /// <summary>Gets the table.</summary>
    public static PairCommandTable Instance { get; } = new("T1 remote mirror",
    [
        //              Create                       Split                     SuspendByError                          Resync                   Restore                                   SwapResync                                Delete      CreateNoCopy                               SplitProtectPVol
        (Smpl,        [To(Copy),                    Reject(Smpl, NotPaired),  Reject(Smpl, NotPaired),                Reject(Smpl, NotPaired), Reject(Smpl, NotPaired),                  Reject(Smpl, NotPaired),                  NoOp(Smpl), To(Copy),                                  Reject(Smpl, NotPaired)]),
        (Copy,        [NoOp(Copy),                  To(Psus),                 To(Psue),                               NoOp(Copy),              Reject(Copy, NotSupportedForMirrorType),  Reject(Copy, CopyInProgress),             To(Smpl),   NoOp(Copy),                                Reject(Copy, CopyInProgress)]),
        (Pair,        [NoOp(Pair),                  To(Psus),                 To(Psue),                               NoOp(Pair),              Reject(Pair, NotSupportedForMirrorType),  Reject(Pair, NotSplit),                   To(Smpl),   NoOp(Pair),                                To(Psus)]),
        (Psus,        [Reject(Psus, PairSuspended), NoOp(Psus),               To(Psue),                               To(CopyResync),          Reject(Psus, NotSupportedForMirrorType),  To(CopyResync),                           To(Smpl),   Reject(Psus, PairSuspended),               NoOp(Psus)]),
        (Psue,        [Reject(Psue, PairSuspended), NoOp(Psue),               NoOp(Psue),                             To(CopyResync),          Reject(Psue, NotSupportedForMirrorType),  To(CopyResync),                           To(Smpl),   Reject(Psue, PairSuspended),               NoOp(Psue)]),
        (CopyResync,  [NoOp(CopyResync),            To(Psus),                 To(Psue),                               NoOp(CopyResync),        Reject(CopyResync, NotSupportedForMirrorType), Reject(CopyResync, CopyInProgress), To(Smpl), NoOp(CopyResync),                   Reject(CopyResync, CopyInProgress)]),
        (Rcpy,        [Reject(Rcpy, NotSupportedForMirrorType), Reject(Rcpy, NotSupportedForMirrorType), Reject(Rcpy, NotSupportedForMirrorType), Reject(Rcpy, NotSupportedForMirrorType), Reject(Rcpy, NotSupportedForMirrorType), Reject(Rcpy, NotSupportedForMirrorType), To(Smpl), Reject(Rcpy, NotSupportedForMirrorType), Reject(Rcpy, NotSupportedForMirrorType)]),
    ]);

    /// <summary>
    /// The table of determining pairs (seed 002 FIG 3): T1, with T8 (a split of a PSUE pair re-arms it to PSUS) and
    /// T9 (a split while copying) as configured. Their resync and swap resync are decided by FIG 4 before this table.
    /// </summary>
    /// <param name="rearmFromSuspendAbnormal">T8 on.</param>
    /// <param name="splitWhileCopying">T9 on (as T1).</param>
    /// <returns>The table.</returns>
    public static PairCommandTable ForDetermining(bool rearmFromSuspendAbnormal, bool splitWhileCopying)
    {
        List<(PairState, PairOperation, TransitionRule)> changes = [];
        if (rearmFromSuspendAbnormal)
        {
            changes.Add((Psue, PairOperation.Split, To(Psus)));
        }

        if (!splitWhileCopying)
        {
            changes.Add((Copy, PairOperation.Split, Reject(Copy, CopyInProgress)));
            changes.Add((CopyResync, PairOperation.Split, Reject(CopyResync, CopyInProgress)));
        }

        return Instance.With("T1 determining pair", changes);
    }
}
