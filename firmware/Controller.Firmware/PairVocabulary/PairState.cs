// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.PairVocabulary;

/// <summary>
/// The state of a local mirror (ShadowImage-like), as the CCI tables name it. The S side shows
/// <see cref="Psus"/> as SSUS; <see cref="PairStateNames"/> gives each side's view.
/// </summary>
public enum PairState
{
    /// <summary>Simplex: not paired.</summary>
    Smpl = 0,

    /// <summary>Initial copy P to S running.</summary>
    Copy = 1,

    /// <summary>Paired: S-VOL kept equal to the P-VOL by mirrored writes.</summary>
    Pair = 2,

    /// <summary>Split by command: both sides mark their changes in bitmaps (S side shows SSUS).</summary>
    Psus = 3,

    /// <summary>Suspended by error: no valid differential; the next resync copies everything.</summary>
    Psue = 4,

    /// <summary>COPY(RS): resync running, copying the union of the P-side and S-side bitmaps P to S.</summary>
    CopyResync = 5,

    /// <summary>RCPY: restore running, copying S to P; the P-VOL refuses host writes.</summary>
    Rcpy = 6,
}
