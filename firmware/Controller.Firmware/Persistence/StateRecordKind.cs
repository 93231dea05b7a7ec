// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Persistence;

/// <summary>The kinds of record in the controller's state files (docs/durability.md, "Record formats").</summary>
public enum StateRecordKind : byte
{
    /// <summary>A Copy Management Table row, whole: it replaces any earlier record of the same entry ID.</summary>
    PairRow = 1,

    /// <summary>A row deleted (pairsplit -S): no later record of the entry ID, none restored.</summary>
    PairDeleted = 2,

    /// <summary>A differential bitmap of one side of a pair, as runs of marked tracks (checkpoints only).</summary>
    Bitmap = 3,

    /// <summary>
    /// The end of one journal commit (journal format 2): its payload is the count of records the commit holds. The
    /// records of a commit are applied only when its end is read, so a commit torn by a crash is dropped whole: the
    /// rows one command changed (an atomic split's members) come back all changed or none.
    /// </summary>
    CommitEnd = 4,
}
