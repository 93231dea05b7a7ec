// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.PairVocabulary;

/// <summary>A pair command (CCI names in brackets), one column of the command table.</summary>
public enum PairOperation
{
    /// <summary>Create the pair with a full initial copy [paircreate].</summary>
    Create = 0,

    /// <summary>Split, the S-VOL read-only or read/write [pairsplit -r / -rw / -C].</summary>
    Split = 1,

    /// <summary>Force the pair into PSUE [pairsplit -E].</summary>
    SuspendByError = 2,

    /// <summary>Copy the union of both bitmaps P to S, then PAIR [pairresync].</summary>
    Resync = 3,

    /// <summary>Reverse resync: copy S to P, then PAIR [pairresync -restore].</summary>
    Restore = 4,

    /// <summary>Exchange roles, then copy differentially from the new P-VOL [pairresync -swaps].</summary>
    SwapResync = 5,

    /// <summary>Delete the pair, both volumes to SMPL [pairsplit -S].</summary>
    Delete = 6,

    /// <summary>
    /// Create the pair without an initial copy, straight to PAIR [paircreate -nocopy]; the Copy Management Table
    /// accepts it only for volumes that are provably equal (seed 000 FIG 12: one atomic split, unchanged since).
    /// </summary>
    CreateNoCopy = 7,

    /// <summary>Split and write-protect the P-VOL [pairsplit -P, remote mirrors]: from PAIR only.</summary>
    SplitProtectPVol = 8,
}
