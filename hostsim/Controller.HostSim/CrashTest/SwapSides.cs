// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.CrashTest;

/// <summary>What the two subsystems' rows of the determining pair say about a swap resync, after a restart.</summary>
internal enum SwapSides
{
    /// <summary>Not swapped: SS1 holds the P-VOL row, SS2 the S-VOL row, as the pair was made.</summary>
    Before,

    /// <summary>Swapped: SS2 holds the P-VOL row and owns the pair, SS1 the S-VOL row.</summary>
    After,

    /// <summary>
    /// The owner (SS1) took the swap and turned its row into the S-VOL's, but the requester (SS2) kept its S-VOL row:
    /// neither side owns the pair. Only a swap unanswered at the kill of one of them may leave this.
    /// </summary>
    TwoSVols,

    /// <summary>Any other pair of rows (one missing, two P-VOLs, rows of different volumes): the roles disagree.</summary>
    Inconsistent,
}
