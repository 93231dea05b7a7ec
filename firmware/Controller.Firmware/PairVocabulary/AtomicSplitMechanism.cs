// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.PairVocabulary;

/// <summary>How an atomic split takes its single split point (docs/architecture.md decision 2).</summary>
public enum AtomicSplitMechanism
{
    /// <summary>
    /// Freeze (seed 000 FIG 10/11): new writes to the member P-VOLs are held (queued, neither failed nor
    /// acknowledged), the writes admitted before are drained, every member is split, the held writes are released
    /// in arrival order.
    /// </summary>
    Freeze = 0,

    /// <summary>
    /// Sequence cut: no write is held. The split takes write sequence number S; writes numbered below S still reach
    /// the S-VOLs, writes from S on only mark the bitmaps; the split completes when every write below S has.
    /// </summary>
    SequenceCut = 1,
}
