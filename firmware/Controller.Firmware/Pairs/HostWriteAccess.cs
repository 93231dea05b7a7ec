// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.PairVocabulary;

namespace Controller.Firmware.Pairs;

/// <summary>
/// Whether a host may write a paired volume, per state and role (vendor tables T4b/T4c): a table, like the
/// command table, tested cell by cell. A refused write is answered DATA PROTECT / WRITE PROTECTED (27/00).
/// Reads are never refused by pair state.
/// </summary>
public static class HostWriteAccess
{
    // [state] -> (P-VOL may be written, S-VOL may be written when split read-only, ... when split read/write).
    private static readonly (bool PVol, bool SVolReadOnlySplit, bool SVolReadWriteSplit)[] Cells =
    [
        /* SMPL     */ (true, true, true),     // not paired: both are plain volumes
        /* COPY     */ (true, false, false),   // the S-VOL is being made a copy
        /* PAIR     */ (true, false, false),   // every S-VOL write would break the mirror
        /* PSUS     */ (true, false, true),    // split: the S-VOL is the host's only with -rw
        /* PSUE     */ (true, false, false),   // suspended by error: S holds no consistent image
        /* COPY(RS) */ (true, false, false),   // resync overwrites the S-VOL
        /* RCPY     */ (false, false, false),  // restore overwrites the P-VOL: it refuses writes too
    ];

    /// <summary>Tells whether a host write is allowed.</summary>
    /// <param name="state">The pair's state.</param>
    /// <param name="role">The side written.</param>
    /// <param name="splitMode">The mode of the last split (matters for a PSUS S-VOL only).</param>
    /// <returns>True when the write may proceed.</returns>
    public static bool IsAllowed(PairState state, PairRole role, SplitMode splitMode)
    {
        (bool pVol, bool sVolReadOnly, bool sVolReadWrite) = Cells[(int)state];
        if (role == PairRole.PVol)
        {
            return pVol;
        }

        return splitMode == SplitMode.ReadWrite ? sVolReadWrite : sVolReadOnly;
    }
}
