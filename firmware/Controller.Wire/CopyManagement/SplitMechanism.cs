// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire.CopyManagement;

/// <summary>
/// How an atomic split makes its pairs consistent with each other: the MECHANISM field, bits 2-1 of the
/// copy-management CDB's byte 1. The value 3 is refused.
/// </summary>
public enum SplitMechanism : byte
{
    /// <summary>The controller's default (today: freeze).</summary>
    ControllerDefault = 0,

    /// <summary>Freeze: hold new writes to every P-VOL of the set while the split point is taken.</summary>
    Freeze = 1,

    /// <summary>Sequence cut: split at one write sequence number without holding writes.</summary>
    SequenceCut = 2,
}
