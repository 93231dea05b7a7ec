// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Pairs;

/// <summary>
/// Why a pair command was refused. The numbers are part of the copy-management protocol (issue #4 carries them
/// in the vendor sense data) and never change meaning; see docs/state-tables.md.
/// </summary>
public enum PairErrorCode
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>The volume is not in a pair (SMPL): create the pair first.</summary>
    NotPaired = 1,

    /// <summary>The pair exists and is suspended: resync it instead of creating it again.</summary>
    PairSuspended = 2,

    /// <summary>A copy (initial, resync or restore) is running: wait for PAIR.</summary>
    CopyInProgress = 3,

    /// <summary>The pair must be split (PSUS) first.</summary>
    NotSplit = 4,

    /// <summary>The pair is suspended by error: only a (full) resync or a delete is possible.</summary>
    SuspendedByError = 5,

    /// <summary>The P-VOL and S-VOL capacities differ.</summary>
    CapacityMismatch = 6,

    /// <summary>The P-VOL already has three local mirrors (mirror units 0-2).</summary>
    MirrorUnitsExhausted = 7,

    /// <summary>The S-VOL is already the S-VOL of another pair.</summary>
    SVolInUse = 8,

    /// <summary>The P-VOL and the S-VOL are the same volume.</summary>
    SameVolume = 9,

    /// <summary>No pair joins these two volumes.</summary>
    PairNotFound = 10,

    /// <summary>The pair would close a loop of mirrors (its S-VOL already feeds its P-VOL, directly or by a cascade).</summary>
    MirrorLoop = 11,
}
