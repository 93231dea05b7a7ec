// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire.CopyManagement;

/// <summary>
/// The vendor-specific operation codes of the copy-management commands (docs/protocol.md). Every one of them uses
/// the 16-byte <see cref="CopyManagementCdb"/>; <see cref="CopyManagementOpcodes"/> names them and tells a
/// copy-management opcode from any other.
/// </summary>
public enum CopyManagementOpcode : byte
{
    /// <summary>PAIR CREATE (paircreate): a pair list of one pair.</summary>
    PairCreate = 0xC0,

    /// <summary>PAIR SPLIT (pairsplit; the CDB's RW bit selects a read/write S-VOL): a pair list of one pair.</summary>
    PairSplit = 0xC1,

    /// <summary>PAIR RESYNC (pairresync, P-VOL to S-VOL): a pair list of one pair.</summary>
    PairResync = 0xC2,

    /// <summary>PAIR RESTORE (pairresync -restore, S-VOL to P-VOL): a pair list of one pair.</summary>
    PairRestore = 0xC3,

    /// <summary>PAIR SWAP RESYNC (pairresync -swaps): a pair list of one pair.</summary>
    PairSwapResync = 0xC4,

    /// <summary>PAIR DELETE (pairsplit -S): a pair list of one pair.</summary>
    PairDelete = 0xC5,

    /// <summary>PAIR SUSPEND BY ERROR (a forced PSUE, for fault injection): a pair list of one pair.</summary>
    PairSuspendByError = 0xC6,

    /// <summary>NAME MIRRORS (FIG 8): a mirror name, then a pair list; no pairs deletes the name.</summary>
    NameMirrors = 0xC8,

    /// <summary>ATOMIC SPLIT by pair list (FIG 7): a pair list of one pair or more.</summary>
    AtomicSplit = 0xC9,

    /// <summary>ATOMIC SPLIT by mirror name (FIG 9): a mirror name.</summary>
    AtomicSplitByName = 0xCA,

    /// <summary>PAIR STATUS (data-in): the Copy Management Table rows, as many as fit in the allocation length.</summary>
    PairStatus = 0xD0,
}
