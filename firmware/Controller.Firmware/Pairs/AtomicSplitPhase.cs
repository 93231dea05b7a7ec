// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Pairs;

/// <summary>The steps of an atomic split, as its event log records them (R0-35).</summary>
public enum AtomicSplitPhase
{
    /// <summary>The pre-check passed: freeze set the holds, or the sequence cut took its split point.</summary>
    Hold = 0,

    /// <summary>Every write admitted before the hold (or numbered below the cut) has completed, mirrors included.</summary>
    DrainDone = 1,

    /// <summary>Every member is split at the split point (PSUS).</summary>
    Commit = 2,

    /// <summary>The held writes were released (freeze; for a sequence cut nothing was held).</summary>
    Release = 3,

    /// <summary>The split was abandoned: no member ends split (R0-24).</summary>
    Abort = 4,
}
