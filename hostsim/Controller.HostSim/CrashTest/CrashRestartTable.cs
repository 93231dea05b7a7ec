// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.PairVocabulary;

namespace Controller.HostSim.CrashTest;

/// <summary>
/// The restart table of docs/durability.md as a host may see it: for a state the controller may have kept, the states
/// a pair may show after a restart. After a crash a mirroring pair (PAIR) comes back PAIR (no write-intent bit: the
/// volumes are known equal) or PSUE; a suspended pair keeps its state; a copying pair keeps its state and copies
/// again, so by the time the host looks it may have reached PAIR. After a graceful stop every state is kept exactly
/// (a copy may have finished since). SMPL is a pair the table does not have.
/// </summary>
internal static class CrashRestartTable
{
    private static readonly PairState[][] s_afterCrash =
    [
        [PairState.Smpl], // SMPL
        [PairState.Copy, PairState.Pair], // COPY
        [PairState.Pair, PairState.Psue], // PAIR
        [PairState.Psus], // PSUS
        [PairState.Psue], // PSUE
        [PairState.CopyResync, PairState.Pair], // COPY(RS)
        [PairState.Rcpy, PairState.Pair], // RCPY
    ];

    private static readonly PairState[][] s_afterGracefulStop =
    [
        [PairState.Smpl],
        [PairState.Copy, PairState.Pair],
        [PairState.Pair],
        [PairState.Psus],
        [PairState.Psue],
        [PairState.CopyResync, PairState.Pair],
        [PairState.Rcpy, PairState.Pair],
    ];

    /// <summary>The states a pair may show after a restart, for one state it may have kept.</summary>
    /// <param name="kept">The kept state.</param>
    /// <param name="afterCrash">True after a crash (SIGKILL), false after a graceful stop.</param>
    /// <returns>The states allowed.</returns>
    public static IReadOnlyList<PairState> Allowed(PairState kept, bool afterCrash)
    {
        return (afterCrash ? s_afterCrash : s_afterGracefulStop)[(int)kept];
    }

    /// <summary>Whether a state is one a copy runs in (it reaches PAIR by itself, and that change is kept only by a later commit).</summary>
    /// <param name="state">The state.</param>
    /// <returns>True for COPY, COPY(RS) and RCPY.</returns>
    public static bool IsCopying(PairState state)
    {
        return state is PairState.Copy or PairState.CopyResync or PairState.Rcpy;
    }
}
