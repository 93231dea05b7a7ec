// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using static Controller.Firmware.Pairs.TransitionRule;
using static Controller.Firmware.PairVocabulary.PairErrorCode;
using static Controller.Firmware.PairVocabulary.PairState;

namespace Controller.Firmware.Pairs;

/// <summary>
/// The local-mirror command table, modelled on vendor table T2 (Hitachi CCI "Pair status versus ShadowImage
/// commands", newer generation) with T3 for the restore and swap columns. A split in COPY is accepted (T2's COPY row,
/// footnote [1]: a pair created without -split goes COPY -> PSUS; T3: Split in COPY(PD)): PSUS at once, the tracks not
/// yet copied marked, so the resync that follows copies them. Where this table departs from T2,
/// docs/state-tables.md says so and why. The no-copy create follows T1's column (FIG 12 applies to local mirrors
/// too); pairsplit -P is a remote-mirror command.
/// </summary>
public static class LocalMirrorTable
{
    /// <summary>Gets the table.</summary>
    public static PairCommandTable Instance { get; } = new("T2 local mirror",
    [
        //              Create                       Split                               SuspendByError           Resync                   Restore                             SwapResync                          Delete      CreateNoCopy                 SplitProtectPVol
        (Smpl,        [To(Copy),                    Reject(Smpl, NotPaired),            Reject(Smpl, NotPaired), Reject(Smpl, NotPaired), Reject(Smpl, NotPaired),            Reject(Smpl, NotPaired),            NoOp(Smpl), To(Copy),                    Reject(Smpl, NotPaired)]),
        (Copy,        [NoOp(Copy),                  To(Psus),                           To(Psue),                NoOp(Copy),              Reject(Copy, CopyInProgress),       Reject(Copy, CopyInProgress),       To(Smpl),   NoOp(Copy),                  Reject(Copy, NotSupportedForMirrorType)]),
        (Pair,        [NoOp(Pair),                  To(Psus),                           To(Psue),                NoOp(Pair),              Reject(Pair, NotSplit),             Reject(Pair, NotSplit),             To(Smpl),   NoOp(Pair),                  Reject(Pair, NotSupportedForMirrorType)]),
        (Psus,        [Reject(Psus, PairSuspended), NoOp(Psus),                         To(Psue),                To(CopyResync),          To(Rcpy),                           To(CopyResync),                     To(Smpl),   Reject(Psus, PairSuspended), Reject(Psus, NotSupportedForMirrorType)]),
        (Psue,        [Reject(Psue, PairSuspended), NoOp(Psue),                         NoOp(Psue),              To(CopyResync),          Reject(Psue, SuspendedByError),     Reject(Psue, SuspendedByError),     To(Smpl),   Reject(Psue, PairSuspended), Reject(Psue, NotSupportedForMirrorType)]),
        (CopyResync,  [NoOp(CopyResync),            Reject(CopyResync, CopyInProgress), To(Psue),                NoOp(CopyResync),        Reject(CopyResync, CopyInProgress), Reject(CopyResync, CopyInProgress), To(Smpl),   NoOp(CopyResync),            Reject(CopyResync, NotSupportedForMirrorType)]),
        (Rcpy,        [NoOp(Rcpy),                  Reject(Rcpy, CopyInProgress),       To(Psue),                NoOp(Rcpy),              NoOp(Rcpy),                         Reject(Rcpy, CopyInProgress),       To(Smpl),   NoOp(Rcpy),                  Reject(Rcpy, NotSupportedForMirrorType)]),
    ]);
}
