// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.PairVocabulary;

namespace Controller.HostSim.CrashTest;

/// <summary>
/// The remote restart table of docs/durability.md as the determining-swap scenario sees it: for each outcome of the
/// swap (<see cref="SwapSides"/>) and each row (the owner's P-VOL row, the other side's S-VOL row), the states it may
/// show once both subsystems run again, whichever of them was killed. The pair was split (PSUS, answered) before the
/// swap, and the swap changes the rows only by commits: the owner turns its row into a COPY(RS) S-VOL row and commits
/// before it replies; the requester turns its own into a COPY(RS) P-VOL row and commits before it answers the host.
/// </summary>
internal static class SwapRestartTable
{
    // Not swapped. P-VOL row (SS1): PSUS kept, and PSUS comes back PSUS at a primary after a crash; a link lost does
    // not touch a split pair. S-VOL row (SS2): PSUS kept and restored as kept (split read-only); PSUE when SS2 ran on
    // and the owner's kill failed its passed-on swap (a determining pair that cannot reach its owner is suspended by
    // error, R2-10).
    private static readonly PairState[] s_beforePVol = [PairState.Psus];
    private static readonly PairState[] s_beforeSVol = [PairState.Psus, PairState.Psue];

    // Swapped. P-VOL row (SS2): COPY(RS) kept (PAIR only if its end was kept by a later commit); after a crash
    // COPY(RS) copies every track again (reaching PAIR), a kept PAIR is PSUE; alive while SS1 died, the copy or the
    // mirror is suspended by error when the link goes. S-VOL row (SS1): COPY(RS) or PAIR kept, restored as kept at a
    // secondary; alive while SS2 died, suspended by error with the link; told COPY(RS) again by a restarted primary,
    // then PAIR.
    private static readonly PairState[] s_afterPVol = [PairState.CopyResync, PairState.Pair, PairState.Psue];
    private static readonly PairState[] s_afterSVol = [PairState.CopyResync, PairState.Pair, PairState.Psue];

    // Two S-VOL rows: SS1's is the owner's turned row (COPY(RS) kept, PSUE once its link to SS2 went); SS2's is its
    // row from before the swap (PSUS kept, PSUE when the owner's reply was lost with the owner).
    private static readonly PairState[] s_twoSVolsAtSs1 = [PairState.CopyResync, PairState.Psue];
    private static readonly PairState[] s_twoSVolsAtSs2 = [PairState.Psus, PairState.Psue];

    /// <summary>The states a row may show after the restart.</summary>
    /// <param name="sides">What the rows say about the swap (not <see cref="SwapSides.Inconsistent"/>).</param>
    /// <param name="atSs1">True for SS1's row, false for SS2's.</param>
    /// <returns>The states allowed.</returns>
    public static IReadOnlyList<PairState> Allowed(SwapSides sides, bool atSs1)
    {
        return sides switch
        {
            SwapSides.Before => atSs1 ? s_beforePVol : s_beforeSVol,
            SwapSides.After => atSs1 ? s_afterSVol : s_afterPVol,
            SwapSides.TwoSVols => atSs1 ? s_twoSVolsAtSs1 : s_twoSVolsAtSs2,
            _ => throw new ArgumentOutOfRangeException(nameof(sides), sides, "rows that disagree on the roles allow no state"),
        };
    }
}
