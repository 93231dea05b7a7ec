// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.PairVocabulary;

/// <summary>How a split leaves the S-VOL for hosts [pairsplit -r / -rw].</summary>
public enum SplitMode
{
    /// <summary>The S-VOL is read-only after the split (pairsplit -r).</summary>
    ReadOnly = 0,

    /// <summary>The S-VOL accepts host writes after the split and marks its own bitmap (pairsplit -rw).</summary>
    ReadWrite = 1,
}
